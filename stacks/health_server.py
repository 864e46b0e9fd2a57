#!/usr/bin/env python3
"""The default health endpoint of the dr-app servers, installed by the stack's user data when the AMI
brings no dr-app.service of its own.

It answers the load balancer's and the recovery CLI's health checks on APP_PORT at APP_HEALTH_PATH:
200 only when the database endpoint it was given (APP_DB_ENDPOINT, host:port) accepts a TCP connection
and the bucket (APP_BUCKET_NAME) is readable (aws s3api head-bucket, which Amazon Linux ships), else 503
naming what failed. Every other path is 404. Standard library only.
"""
import http.server
import json
import socket
import subprocess
import sys

CHECK_TIMEOUT_SECONDS = 3


def read_env(path):
    """KEY=value lines of the stack's environment file; an empty value is unset."""
    values = {}
    with open(path, encoding="utf-8") as env:
        for line in env:
            key, sep, value = line.rstrip("\n").partition("=")
            if sep and key and not key.startswith("#"):
                values[key] = value
    return values


def check_database(endpoint):
    if not endpoint:
        return "no database endpoint (APP_DB_ENDPOINT) given"
    host, sep, port = endpoint.rpartition(":")
    if not sep or not port.isdigit():
        return "APP_DB_ENDPOINT %r is not host:port" % endpoint
    try:
        socket.create_connection((host, int(port)), timeout=CHECK_TIMEOUT_SECONDS).close()
    except OSError as err:
        return "database %s does not accept TCP connections: %s" % (endpoint, err)
    return None


def check_bucket(bucket, region):
    if not bucket:
        return "no bucket (APP_BUCKET_NAME) given"
    command = ["aws", "s3api", "head-bucket", "--bucket", bucket]
    if region:
        command += ["--region", region]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=CHECK_TIMEOUT_SECONDS * 3)
    except (OSError, subprocess.TimeoutExpired) as err:
        return "bucket %s: cannot run aws s3api head-bucket: %s" % (bucket, err)
    if result.returncode != 0:
        return "bucket %s is not readable: %s" % (bucket, (result.stderr or result.stdout).strip()[:200])
    return None


def health(env):
    """(status, body): 200 when every check passes, else 503 with the failures."""
    problems = [
        problem
        for problem in (
            check_database(env.get("APP_DB_ENDPOINT", "")),
            check_bucket(env.get("APP_BUCKET_NAME", ""), env.get("APP_REGION", "")),
        )
        if problem
    ]
    return (503 if problems else 200), {"healthy": not problems, "problems": problems}


def serve(env):
    path = env.get("APP_HEALTH_PATH") or "/health"

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.split("?", 1)[0] != path:
                status, body = 404, {"error": "not found: the health check is at %s" % path}
            else:
                status, body = health(env)
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, fmt, *args):
            sys.stderr.write("dr-app-health: " + (fmt % args) + "\n")

    server = http.server.ThreadingHTTPServer(("", int(env.get("APP_PORT") or "80")), Handler)
    print("dr-app health server on :%d%s" % (server.server_address[1], path), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    serve(read_env(sys.argv[1] if len(sys.argv) > 1 else "/etc/dr-app/app.env"))
