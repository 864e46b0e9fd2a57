// The servers' user data: `/etc/dr-app/app.env` written, then the app or the default health endpoint started.
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { mountPathOf } from "./dataVariables";

/**
 * The default health endpoint (stacks/health_server.py), installed by the user data when the AMI brings
 * no `dr-app.service`: 200 on the health path only when every inventoried resource is usable as the
 * application would use it (a database logged in to, a table described, a bucket read, a file system
 * mounted, a volume attached), else 503 naming each that fails, so the load balancer and `dr recover` see a
 * real answer before the application is plugged in.
 */
export const HEALTH_SERVER_SOURCE = fs.readFileSync(path.join(__dirname, "health_server.py"), "utf8");

const HEALTH_SERVER_UNIT = [
  "[Unit]",
  "Description=dr-app default health endpoint (until the AMI brings dr-app.service)",
  "Wants=network-online.target",
  "After=network-online.target",
  "",
  "[Service]",
  "ExecStart=/usr/bin/python3 /opt/dr-app/health_server.py /etc/dr-app/app.env",
  "Restart=always",
  "NoNewPrivileges=yes",
  "ProtectSystem=strict",
  "ProtectHome=yes",
  "PrivateTmp=yes",
  "",
  "[Install]",
  "WantedBy=multi-user.target",
];

/**
 * The mount commands of the file systems the settings name (`APP_DATA_<NAME>_KIND=efs` with a
 * `_FILE_SYSTEM_ID`): NFSv4.1 to the file system's DNS name, with the options of the EFS user guide
 * ("Mounting EFS file systems using NFS": nfsvers=4.1, rsize/wsize 1048576, hard, timeo=600, retrans=2,
 * noresvport), which resolves in a VPC with DNS hostnames once a mount target is in the server's AZ. A
 * failed mount does not stop the user data: the health endpoint reports the file system as not mounted.
 */
function mountCommands(values: Record<string, string | undefined>): string[] {
  const names = (values.APP_DATA_NAMES ?? "").split(",").filter(Boolean);
  return names.flatMap((name) => {
    const prefix = `APP_DATA_${name.toUpperCase().replace(/-/g, "_")}_`;
    const fileSystemId = values[`${prefix}FILE_SYSTEM_ID`];
    if (values[`${prefix}KIND`] !== "efs" || !fileSystemId) return [];
    const target = mountPathOf(name);
    const source = `${fileSystemId}.efs.${values.APP_REGION}.amazonaws.com:/`;
    return [
      `install -d -m 0755 ${target}`,
      `mount -t nfs4 -o nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport ${source} ${target} || echo "dr-app: cannot mount ${source} on ${target}" >&2`,
    ];
  });
}

/**
 * The servers' user data: writes `/etc/dr-app/app.env`, one `KEY=value` line per setting (where the
 * application finds its data), mounts the inventory's file systems, then restarts the AMI's `dr-app.service`, or, without one, installs and
 * starts the default health endpoint.
 */
export function renderUserData(values: Record<string, string | undefined>): string {
  const lines = Object.entries(values).map(([key, value]) => `${key}=${value ?? ""}`);
  return [
    "#!/bin/bash",
    "# Written by the dr-app stack: the application (baked into the AMI) reads its data locations here.",
    "set -euo pipefail",
    "install -d -m 0755 /etc/dr-app",
    "cat > /etc/dr-app/app.env <<'ENV'",
    ...lines,
    "ENV",
    ...mountCommands(values),
    "if systemctl list-unit-files dr-app.service >/dev/null 2>&1; then",
    "  systemctl restart dr-app.service",
    "else",
    "  # No application in the AMI yet: serve the health path with a real check (stacks/README.md).",
    "  install -d -m 0755 /opt/dr-app",
    // Compressed: EC2 takes at most 16 KB of user data (EC2 user guide, "Run commands when you launch an
    // EC2 instance with user data input"); gzip's header carries no time here, so the text is stable.
    "cat > /opt/dr-app/health_server.py.gz.b64 <<'PY'",
    ...(zlib
      .gzipSync(HEALTH_SERVER_SOURCE, { level: 9 })
      .toString("base64")
      .match(/.{1,76}/g) ?? []),
    "PY",
    "  base64 -d /opt/dr-app/health_server.py.gz.b64 | gunzip > /opt/dr-app/health_server.py",
    "cat > /etc/systemd/system/dr-app-health.service <<'UNIT'",
    ...HEALTH_SERVER_UNIT,
    "UNIT",
    "  systemctl daemon-reload",
    "  systemctl enable --now dr-app-health.service",
    "fi",
    "",
  ].join("\n");
}
