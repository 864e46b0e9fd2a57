// Packs the component package (prepack builds it) and publishes the tarball to a local registry.
import * as fs from "fs";
import * as path from "path";
import { PackResult, parsePackJson, run, stageComponentPackage } from "./componentPackage";
import { LocalRegistry } from "./verdaccio";

/**
 * Packs a staged copy of components/ (`<workDir>/components`, with `<workDir>/node_modules` linked to the
 * repository's: keep installs out of `workDir`) into `<workDir>/tarballs` and publishes the tarball to `registry` as a
 * user created for it, the way a release does. Returns what `npm pack` reported.
 */
export async function publishComponent(registry: LocalRegistry, workDir: string): Promise<PackResult> {
  const tarballs = path.join(workDir, "tarballs");
  fs.mkdirSync(tarballs, { recursive: true });
  const packageDir = stageComponentPackage(workDir);
  const pack = await run("npm", ["pack", "--json", "--pack-destination", tarballs], { cwd: packageDir });
  const packed = parsePackJson(pack.stdout);

  const token = await registry.addUser("release-bot", "a-password-for-this-test-only");
  const userconfig = path.join(workDir, "publisher.npmrc");
  fs.writeFileSync(userconfig, `${registry.url.replace(/^http:/, "")}:_authToken=${token}\n`);
  await run(
    "npm",
    ["publish", path.join(tarballs, packed.filename), "--registry", registry.url, "--userconfig", userconfig],
    { cwd: workDir },
  );
  return packed;
}
