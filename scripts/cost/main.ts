// Standalone entry: `npm run cost -- <flags>` (the same command as `dr cost`).
import { runStandalone } from "../standalone";
import { registerCostCommand } from "./command";

runStandalone("cost", (program) => registerCostCommand(program), process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
