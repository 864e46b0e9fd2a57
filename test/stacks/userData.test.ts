import { expect } from "chai";
import { ChildProcess, execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { HEALTH_SERVER_SOURCE, MOUNT_ATTEMPTS, renderUserData } from "../../stacks/userData";

/** The file between `cat > <file> <<'<marker>'` and `<marker>` in a rendered user data script. */
function heredoc(script: string, file: string): string {
  const match = new RegExp(`cat > ${file.replace(/[/.]/g, "\\$&")} <<'(\\w+)'\\n([\\s\\S]*?)\\n\\1\\n`).exec(
    script,
  );
  if (!match) throw new Error(`no heredoc for ${file}`);
  return match[2];
}

/** The health server the user data installs: its compressed heredoc, decoded as the script decodes it. */
function healthServerOf(script: string): string {
  return zlib
    .gunzipSync(Buffer.from(heredoc(script, "/opt/dr-app/health_server.py.gz.b64"), "base64"))
    .toString("utf8");
}

function get(port: number, urlPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path: urlPath }, (res) => {
        let body = "";
        res.on("data", (chunk) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

const DR_SECRET = "arn:aws:secretsmanager:us-west-2:111122223333:secret:dr-app-dr-app-db-credential-AbCdEf";

describe("servers' user data and the default health server", () => {
  const values = {
    APP_ROLE: "dr",
    APP_REGION: "us-west-2",
    APP_PORT: "80",
    APP_HEALTH_PATH: "/health",
    APP_DB_ENDPOINT: "dr-20261123t093000a7-app-db.xyz.us-west-2.rds.amazonaws.com:5432",
    APP_BUCKET_NAME: "app-replica-0-20261123",
  };
  const script = renderUserData(values);

  it("is a valid bash script that writes the environment file, within EC2's 16 KB of user data", () => {
    expect(script.startsWith("#!/bin/bash\n")).to.equal(true);
    expect(Buffer.byteLength(script)).to.be.below(16 * 1024);
    execFileSync("bash", ["-n"], { input: script });
    expect(heredoc(script, "/etc/dr-app/app.env").split("\n")).to.deep.equal(
      Object.entries(values).map(([key, value]) => `${key}=${value}`),
    );
  });

  it("restarts the AMI's dr-app.service when there is one, else installs the health server", () => {
    expect(script).to.contain("if systemctl list-unit-files dr-app.service");
    expect(healthServerOf(script)).to.equal(HEALTH_SERVER_SOURCE);
    expect(script).to.contain(
      "base64 -d /opt/dr-app/health_server.py.gz.b64 | gunzip > /opt/dr-app/health_server.py",
    );
    const unit = heredoc(script, "/etc/systemd/system/dr-app-health.service");
    expect(unit).to.contain("ExecStart=/usr/bin/python3 /opt/dr-app/health_server.py /etc/dr-app/app.env");
    expect(script).to.contain("systemctl enable --now dr-app-health.service");
  });

  describe("the health server, run with python3 against a local database port and a stand-in aws CLI", () => {
    let dir: string;
    let database: net.Server;
    let databasePort: number;
    let closedPort: number;
    let python: string;
    const servers: ChildProcess[] = [];

    before(async () => {
      // The interpreter itself, not a version manager's shim, which would put its own bin first on the PATH.
      python = execFileSync("python3", ["-c", "import sys; print(sys.executable)"], {
        encoding: "utf8",
      }).trim();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "health-server-"));
      fs.writeFileSync(path.join(dir, "health_server.py"), healthServerOf(script));
      // Stands in for `aws s3api head-bucket --bucket <name> --region <region>` and `list-objects-v2` (only
      // readable-bucket is readable, and empty), `aws dynamodb describe-table` (only one restored table) and `aws secretsmanager get-secret-value --secret-id <arn> ... --region us-west-2` (only
      // the dr secret, in its region).
      fs.writeFileSync(
        path.join(dir, "aws"),
        [
          "#!/bin/sh",
          'if [ "$1" = secretsmanager ]; then',
          '  [ "$4" = "$DR_SECRET" ] && [ "${10}" = us-west-2 ] && echo \'{"username":"appadmin","password":"s3cret","engine":"postgres","dbname":"app"}\' && exit 0',
          '  echo "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can\'t find the specified secret." >&2; exit 254',
          "fi",
          'if [ "$1" = dynamodb ]; then',
          '  [ "$4" = dr-20261123t093000a7-orders ] && echo ACTIVE && exit 0',
          '  echo "An error occurred (ResourceNotFoundException) when calling the DescribeTable operation: Requested resource not found" >&2; exit 254',
          "fi",
          '[ "$2" = list-objects-v2 ] && [ "$4" = readable-bucket ] && echo None && exit 0',
          '[ "$2" = head-bucket ] && [ "$4" = readable-bucket ] && [ "$6" = us-west-2 ] && exit 0',
          'echo "An error occurred (403) when calling the HeadBucket operation: Forbidden" >&2',
          "exit 254",
          "",
        ].join("\n"),
        { mode: 0o755 },
      );
      // A PostgreSQL server that refuses TLS and trusts appadmin on database app (protocol v3 messages):
      // a login that reaches ReadyForQuery. Anyone else gets an ErrorResponse, as pg_hba would answer.
      database = net.createServer((socket) => {
        let buffered = Buffer.alloc(0);
        let sslAnswered = false;
        socket.on("data", (chunk) => {
          buffered = Buffer.concat([buffered, chunk]);
          if (!sslAnswered && buffered.length >= 8) {
            sslAnswered = true;
            buffered = buffered.subarray(8);
            socket.write("N");
          }
          if (sslAnswered && buffered.length >= 4 && buffered.length >= buffered.readUInt32BE(0)) {
            const params = buffered.subarray(8).toString("latin1");
            if (params.includes("user\0appadmin\0") && params.includes("database\0app\0")) {
              socket.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0, 0x5a, 0, 0, 0, 5, 0x49]));
            } else {
              const message = Buffer.from(
                "SFATAL\0C28000\0Mno pg_hba.conf entry for that user\0\0",
                "latin1",
              );
              const header = Buffer.alloc(5);
              header.write("E", 0);
              header.writeUInt32BE(message.length + 4, 1);
              socket.end(Buffer.concat([header, message]));
            }
            buffered = Buffer.alloc(0);
          }
        });
        socket.on("error", () => undefined);
      });
      await new Promise<void>((resolve) => database.listen(0, "127.0.0.1", resolve));
      databasePort = (database.address() as net.AddressInfo).port;
      const closed = net.createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      closedPort = (closed.address() as net.AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
    });

    after(async () => {
      servers.forEach((server) => server.kill());
      await new Promise((resolve) => database.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    });

    /** Starts the server on a free port with this environment file; resolves with the port. */
    async function start(env: Record<string, string>): Promise<number> {
      const envFile = path.join(dir, `app-${servers.length}.env`);
      fs.writeFileSync(
        envFile,
        Object.entries({ ...env, APP_PORT: "0", APP_HEALTH_PATH: "/health", APP_REGION: "us-west-2" })
          .map(([key, value]) => `${key}=${value}`)
          .join("\n") + "\n",
      );
      const server = spawn(python, [path.join(dir, "health_server.py"), envFile], {
        env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, DR_SECRET },
        stdio: ["ignore", "pipe", "ignore"],
      });
      servers.push(server);
      return new Promise((resolve, reject) => {
        server.on("error", reject);
        server.on("exit", (code) => reject(new Error(`health server exited with ${code}`)));
        server.stdout?.on("data", (chunk: Buffer) => {
          const match = /on :(\d+)\/health/.exec(chunk.toString());
          if (match) resolve(Number(match[1]));
        });
      });
    }

    it("answers 200 when it logs in to the database with the secret's credential and the bucket is readable", async () => {
      const port = await start({
        APP_DB_ENDPOINT: `127.0.0.1:${databasePort}`,
        APP_DB_SECRET_ID: DR_SECRET,
        APP_BUCKET_NAME: "readable-bucket",
      });
      const response = await get(port, "/health");
      expect(response.status, response.body).to.equal(200);
      expect(JSON.parse(response.body)).to.deep.equal({ healthy: true, problems: [] });
      expect((await get(port, "/")).status).to.equal(404);
    });

    it("answers 503 when the database accepts TCP but it has no credential to log in with, or an unreadable one", async () => {
      for (const [secret, problem] of [
        ["", `no database credential (APP_DB_SECRET_ID) given: cannot log in to 127.0.0.1:${databasePort}`],
        [
          "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod-only-AbCdEf",
          "credential arn:aws:secretsmanager:us-east-1:111122223333:secret:prod-only-AbCdEf is not readable: An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret.",
        ],
      ]) {
        const port = await start({
          APP_DB_ENDPOINT: `127.0.0.1:${databasePort}`,
          APP_DB_SECRET_ID: secret,
          APP_BUCKET_NAME: "readable-bucket",
        });
        const response = await get(port, "/health");
        expect(response.status).to.equal(503);
        expect(JSON.parse(response.body).problems).to.deep.equal([problem]);
      }
    });

    it("answers 503 naming the database when its port refuses connections", async () => {
      const port = await start({
        APP_DB_SECRET_ID: DR_SECRET,
        APP_DB_ENDPOINT: `127.0.0.1:${closedPort}`,
        APP_BUCKET_NAME: "readable-bucket",
      });
      const response = await get(port, "/health");
      expect(response.status).to.equal(503);
      const problems: string[] = JSON.parse(response.body).problems;
      expect(problems).to.have.length(1);
      expect(problems[0]).to.match(
        new RegExp(`^database 127\\.0\\.0\\.1:${closedPort} does not accept TCP connections: `),
      );
    });

    it("with the inventory's variables, answers 503 naming the one entry that fails: a table that never came to exist", async () => {
      const entries = {
        APP_DATA_NAMES: "orders-db,orders,lost,assets",
        APP_DATA_ORDERS_DB_KIND: "rds",
        APP_DATA_ORDERS_DB_ENDPOINT: `127.0.0.1:${databasePort}`,
        APP_DB_SECRET_ID: DR_SECRET,
        APP_DATA_ORDERS_KIND: "dynamodb",
        APP_DATA_ORDERS_NAME: "dr-20261123t093000a7-orders",
        APP_DATA_LOST_KIND: "dynamodb",
        APP_DATA_LOST_NAME: "dr-20261123t093000a7-lost",
        APP_DATA_ASSETS_KIND: "s3",
        APP_DATA_ASSETS_NAME: "readable-bucket",
      };
      const port = await start(entries);
      const response = await get(port, "/health");
      expect(response.status, response.body).to.equal(503);
      const body = JSON.parse(response.body);
      expect(body.data).to.deep.equal({
        "orders-db": { kind: "rds", ok: true },
        orders: { kind: "dynamodb", ok: true },
        lost: {
          kind: "dynamodb",
          ok: false,
          reason:
            "table dr-20261123t093000a7-lost is not usable: An error occurred (ResourceNotFoundException) when calling the DescribeTable operation: Requested resource not found",
        },
        assets: { kind: "s3", ok: true },
      });
      const healthy = await start({ ...entries, APP_DATA_NAMES: "orders-db,orders,assets" });
      expect((await get(healthy, "/health")).status).to.equal(200);
    });

    it("answers 503 naming the bucket when it is not readable, and the missing database endpoint", async () => {
      const port = await start({ APP_DB_ENDPOINT: "", APP_BUCKET_NAME: "someone-elses-bucket" });
      const response = await get(port, "/health");
      expect(response.status).to.equal(503);
      expect(JSON.parse(response.body).problems).to.deep.equal([
        "no database endpoint (APP_DB_ENDPOINT) given",
        "bucket someone-elses-bucket is not readable: An error occurred (403) when calling the HeadBucket operation: Forbidden",
      ]);
    });
  });
});

describe("the user data mounts each file system, and binds a restored one's recovery directory as the application's path", () => {
  const FS = "fs-0123456789abcdef0";
  /** The user data of one file system `shared`, restored or prod's own. */
  function scriptOf(restored: boolean): string {
    return renderUserData({
      APP_REGION: "us-west-2",
      APP_DATA_NAMES: "shared",
      APP_DATA_SHARED_KIND: "efs",
      APP_DATA_SHARED_FILE_SYSTEM_ID: FS,
      APP_DATA_SHARED_MOUNT_PATH: "/mnt/dr-app/shared",
      APP_DATA_SHARED_ROOT_PATH: "/mnt/dr-app/.root/shared",
      APP_DATA_SHARED_RESTORED: String(restored),
    });
  }

  /**
   * Runs the script's mount function and its call in bash with `mount`, `mountpoint` and `sleep` stubbed:
   * the NFS mount fails `failures` times, then marks the root mounted; every mount is logged.
   */
  function runMount(
    restored: boolean,
    rootEntries: string[],
    failures = 0,
  ): { log: string[]; stderr: string; root: string } {
    const script = scriptOf(restored);
    const lines = script.split("\n");
    const start = lines.indexOf("dr_app_mount_efs() {");
    const end = lines.indexOf("}", start);
    const call = lines.find((line) => line.startsWith("dr_app_mount_efs "))!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "efs-mount-"));
    const root = path.join(dir, "root");
    for (const entry of rootEntries) fs.mkdirSync(path.join(root, entry), { recursive: true });
    const stubs = [
      `LOG=${dir}/log; FAILURES=${failures}`,
      `mountpoint() { [ -e "$2/.mounted" ]; }`,
      "sleep() { :; }",
      'mount() { echo "mount $*" >> "$LOG"; if [ "$1" = -t ]; then',
      '  if [ "$FAILURES" -gt 0 ]; then FAILURES=$((FAILURES - 1)); return 32; fi',
      '  mkdir -p "${@: -1}"; touch "${@: -1}/.mounted"; fi; }',
    ];
    const body = [
      ...stubs,
      ...lines.slice(start, end + 1),
      call.replace("/mnt/dr-app/.root/shared", root).replace("/mnt/dr-app/shared", `${dir}/app`),
    ].join("\n");
    const result = spawnSync("bash", ["-euo", "pipefail", "-c", body], { encoding: "utf8" });
    expect(result.status, result.stderr).to.equal(0);
    const log = fs.existsSync(`${dir}/log`) ? fs.readFileSync(`${dir}/log`, "utf8").trim().split("\n") : [];
    return { log: log.map((line) => line.split(dir).join("<tmp>")), stderr: result.stderr, root };
  }

  it("binds prod's own file system's root", () => {
    expect(scriptOf(false)).to.contain(
      `dr_app_mount_efs ${FS}.efs.us-west-2.amazonaws.com:/ /mnt/dr-app/.root/shared /mnt/dr-app/shared false`,
    );
    const { log } = runMount(false, ["reports"]);
    expect(log).to.deep.equal([
      `mount -t nfs4 -o nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport ${FS}.efs.us-west-2.amazonaws.com:/ <tmp>/root`,
      "mount --bind <tmp>/root <tmp>/app",
    ]);
  });

  it("binds a restored file system's single aws-backup-restore_* directory, after retrying the mount", () => {
    const { log, stderr } = runMount(true, ["aws-backup-restore_2026-11-23T09-30-00-000Z/reports"], 2);
    expect(log.slice(-1)).to.deep.equal([
      "mount --bind <tmp>/root/aws-backup-restore_2026-11-23T09-30-00-000Z <tmp>/app",
    ]);
    expect(log.filter((line) => line.startsWith("mount -t nfs4"))).to.have.length(3);
    expect(stderr).to.contain(`dr-app: cannot mount ${FS}.efs.us-west-2.amazonaws.com:/ on`);
    expect(stderr).to.contain(`(attempt 2 of ${MOUNT_ATTEMPTS})`);
  });

  it("binds nothing when a restored file system's root holds no recovery directory, and says so", () => {
    const { log, stderr } = runMount(true, []);
    expect(log.filter((line) => line.startsWith("mount --bind"))).to.deep.equal([]);
    expect(stderr).to.contain("holds not one aws-backup-restore_* directory");
  });

  it("gives up after its attempts without failing the user data: the health endpoint reports it", () => {
    const { log } = runMount(false, [], MOUNT_ATTEMPTS);
    expect(log.filter((line) => line.startsWith("mount -t nfs4"))).to.have.length(MOUNT_ATTEMPTS);
    expect(log.filter((line) => line.startsWith("mount --bind"))).to.deep.equal([]);
  });
});
