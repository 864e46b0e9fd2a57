// Finding the Pulumi project directory as the Pulumi CLI does: the nearest folder with a project file.
import * as fs from "fs";
import * as path from "path";

/** The project file names the Pulumi CLI recognises (`Pulumi` with a JSON or YAML extension). */
export const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml", "Pulumi.json"] as const;

/** Whether `dir` holds a Pulumi project file. */
export function hasProjectFile(dir: string): boolean {
  return PROJECT_FILES.some((file) => fs.existsSync(path.join(dir, file)));
}

/** The nearest directory at or above `start` with a Pulumi project file, as the Pulumi CLI finds it. */
export function findProjectDir(start: string): string | undefined {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (hasProjectFile(dir)) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}

/** The environment variable that names the project's directory when `--work-dir` is not given. */
export const WORK_DIR_ENV = "DR_WORK_DIR";

/**
 * The project directory the operator named: `--work-dir` when given, else `$DR_WORK_DIR` when set and not
 * empty (so a command started from anywhere, cron's `$HOME` included, finds the project), else undefined.
 */
export function givenWorkDir(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return flag ?? (env[WORK_DIR_ENV] || undefined);
}
