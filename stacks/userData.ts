// The servers' user data: `/etc/dr-app/app.env` written, then the app or the default health endpoint started.
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { EFS_RESTORE_DIRECTORY_PREFIX, mountedFileSystems } from "./dataVariables";

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

/** How often and how long the user data tries to mount a file system: its mount targets may still be coming up. */
export const MOUNT_ATTEMPTS = 30;
const MOUNT_RETRY_SECONDS = 10;

/**
 * A shell function mounting one file system: `dr_app_mount_efs <source> <root> <path> <restored>`. It mounts
 * the file system's root on `<root>` over NFSv4.1 with the options of the EFS user guide ("Mounting EFS file
 * systems using NFS": nfsvers=4.1, rsize/wsize 1048576, hard, timeo=600, retrans=2, noresvport), trying
 * {@link MOUNT_ATTEMPTS} times {@link MOUNT_RETRY_SECONDS} s apart (the name resolves once a mount target is in
 * the server's AZ, and a restored file system's targets are created by the same update), then binds the
 * application's path `<path>` to the root for prod's own file system, or, for a restored one, to the single
 * `aws-backup-restore_*` directory AWS Backup restored the data into, off the root (AWS Backup developer
 * guide, "Restore an Amazon EFS file system", restoring-efs.html). A failure does not stop the user data:
 * the health endpoint reports the file system as not mounted, or its path as holding only the restore's
 * directory.
 */
const MOUNT_FUNCTION = [
  "dr_app_mount_efs() {",
  '  local source="$1" root="$2" target="$3" restored="$4" attempt dirs',
  '  install -d -m 0755 "$root" "$target"',
  `  for attempt in $(seq 1 ${MOUNT_ATTEMPTS}); do`,
  '    mountpoint -q "$root" && break',
  '    mount -t nfs4 -o nfsvers=4.1,rsize=1048576,wsize=1048576,hard,timeo=600,retrans=2,noresvport "$source" "$root" && break',
  `    echo "dr-app: cannot mount $source on $root (attempt $attempt of ${MOUNT_ATTEMPTS})" >&2`,
  `    sleep ${MOUNT_RETRY_SECONDS}`,
  "  done",
  '  mountpoint -q "$root" || return 0',
  '  if [ "$restored" != true ]; then mount --bind "$root" "$target"; return 0; fi',
  `  dirs=("$root"/${EFS_RESTORE_DIRECTORY_PREFIX}*)`,
  '  if [ "${#dirs[@]}" -eq 1 ] && [ -d "${dirs[0]}" ]; then mount --bind "${dirs[0]}" "$target"; return 0; fi',
  `  echo "dr-app: $root holds not one ${EFS_RESTORE_DIRECTORY_PREFIX}* directory: $target left unbound" >&2`,
  "}",
];

/**
 * The mount commands of the file systems the settings name (`APP_DATA_<NAME>_KIND=efs` with a
 * `_FILE_SYSTEM_ID`): {@link MOUNT_FUNCTION}, then one call per file system, to its DNS name, which
 * resolves in a VPC with DNS hostnames.
 */
function mountCommands(values: Record<string, string | undefined>): string[] {
  const calls = mountedFileSystems(values).map(
    (fileSystem) =>
      `dr_app_mount_efs ${fileSystem.fileSystemId}.efs.${values.APP_REGION}.amazonaws.com:/ ${fileSystem.rootPath} ${fileSystem.mountPath} ${fileSystem.restored}`,
  );
  return calls.length > 0 ? [...MOUNT_FUNCTION, ...calls] : [];
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
