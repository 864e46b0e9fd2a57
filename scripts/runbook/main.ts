// Standalone entry: `npm run runbook -- <flags>` (the same command as `dr runbook`).
import { registerRunbookCommand } from "./command";
import { runStandalone } from "../standalone";

runStandalone("runbook", (program) => registerRunbookCommand(program), process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
