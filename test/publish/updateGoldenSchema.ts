// `npm run schema:update`: rewrites the golden schema from the component's sources. Review the diff: it
// is the change other languages see (the versioning policy in components/README.md says which release it
// needs).
import * as fs from "fs";
import * as path from "path";
import { analyzeComponentPackage, GOLDEN_SCHEMA, goldenText } from "./componentPackage";

fs.mkdirSync(path.dirname(GOLDEN_SCHEMA), { recursive: true });
fs.writeFileSync(GOLDEN_SCHEMA, goldenText(analyzeComponentPackage()));
process.stdout.write(`wrote ${path.relative(process.cwd(), GOLDEN_SCHEMA)}\n`);
