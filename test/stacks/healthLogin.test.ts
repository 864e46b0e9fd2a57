// Runs the health server's Python tests (login: health_server_test.py, inventory: health_inventory_test.py) with python3.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";

describe("the health server logs in to the database (python3, in-test PostgreSQL and MySQL servers)", function () {
  this.timeout(60_000);

  it("passes SCRAM-SHA-256, md5 and mysql_native_password logins, refuses a stale password with 503, never sends a cleartext password without TLS", () => {
    const result = spawnSync("python3", ["-B", path.join(__dirname, "health_server_test.py"), "-v"], {
      encoding: "utf8",
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).to.equal(0);
    expect(result.stderr).to.match(/Ran 8 tests[\s\S]*\nOK\s*$/);
  });
});

describe("the health server checks every inventoried resource as the application uses it (python3)", function () {
  this.timeout(60_000);

  it("names each logical name ok or failed with its reason: database login, DescribeTable, bucket read, file system mounted, volume readable where attached; in parallel, cached", () => {
    const result = spawnSync("python3", ["-B", path.join(__dirname, "health_inventory_test.py"), "-v"], {
      encoding: "utf8",
    });
    expect(result.status, `${result.stdout}\n${result.stderr}`).to.equal(0);
    expect(result.stderr).to.match(/Ran 18 tests[\s\S]*\nOK\s*$/);
  });
});
