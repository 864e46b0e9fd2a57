// The repository's root folder, the same from the sources and from the build.
import * as fs from "fs";
import * as path from "path";

/**
 * The repository's root: the nearest folder above this file with a package.json. The same from the
 * sources (scripts/) and from the build (bin/scripts/), which a path relative to `__dirname` is not.
 */
export const REPOSITORY_DIR = ((): string => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, "..");
  }
})();
