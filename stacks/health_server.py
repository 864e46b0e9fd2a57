#!/usr/bin/env python3
"""The default health endpoint of the dr-app servers, installed by the stack's user data when the AMI
brings no dr-app.service of its own.

It answers the load balancer's and the recovery CLI's health checks on APP_PORT at APP_HEALTH_PATH.
With the data inventory's variables (APP_DATA_NAMES, APP_DATA_<NAME>_<ATTR>: stacks/dataVariables.ts) it
checks every entry as the application uses it: a database by logging in, a table by DescribeTable (ACTIVE),
a bucket by HeadBucket, ListObjectsV2 and GetObject of one key, a file system mounted and listable, a volume
attached and readable; the JSON body names each logical name ok or failed with its reason, and the status is
503 when any fails. Without them (an older stack), 200 only when it logs in to the database it was given (APP_DB_ENDPOINT, host:port) with the credential of
the Secrets Manager secret it was given (APP_DB_SECRET_ID, read with GetSecretValue in APP_REGION, the
servers' own region) and the bucket (APP_BUCKET_NAME) is readable (HeadBucket), else 503 naming what failed.
It calls AWS itself (Signature Version 4 over HTTPS, the task role's or the instance profile's credentials),
so an image with Python and no AWS CLI runs it. Every other path is 404. Standard library only:
the PostgreSQL login speaks the v3 protocol (TLS when the server offers it, SCRAM-SHA-256, md5 or
cleartext), the MySQL/MariaDB one the client/server protocol (TLS when offered, mysql_native_password or
caching_sha2_password). A cleartext password only over TLS (stacks/README.md).
"""
import base64
import concurrent.futures
import hashlib
import hmac
import http.server
import json
import os
import re
import socket
import ssl
import shutil
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

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


def parse_endpoint(endpoint):
    """(host, port), or a problem."""
    if not endpoint:
        return None, "no database endpoint (APP_DB_ENDPOINT) given"
    host, sep, port = endpoint.rpartition(":")
    if not sep or not port.isdigit():
        return None, "APP_DB_ENDPOINT %r is not host:port" % endpoint
    return (host, int(port)), None


def fetch_credential(secret_arn, region, call=None):
    """The secret's AWSCURRENT value as a dict, or a problem (str)."""
    ok, text = (call or aws_call)(["secretsmanager", "get-secret-value", "--secret-id", secret_arn,
                                   "--query", "SecretString", "--output", "text"], region)
    if not ok:
        return "credential %s is not readable: %s" % (secret_arn, text)
    try:
        value = json.loads(text)
    except ValueError:
        return "credential %s is not JSON" % secret_arn
    if not isinstance(value, dict) or not value.get("username") or not value.get("password"):
        return "credential %s has no username and password" % secret_arn
    return value


# AWS without the AWS CLI (the default container image has Python only): Signature Version 4 over HTTPS,
# with the credentials of the task role (ECS container credentials endpoint) or the instance profile (IMDSv2).
# Sources: AWS IAM user guide, "Create a signed AWS API request" (SigV4); ECS developer guide, "Amazon ECS
# task IAM role" (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI at 169.254.170.2); EC2 user guide, "Use IMDSv2".

def _hmac(key, text):
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def sigv4_headers(method, host, path, query, headers, body, region, service, creds, amz_date):
    """The request's headers with X-Amz-Date, X-Amz-Security-Token and the SigV4 Authorization header."""
    signed = {k.lower(): str(v).strip() for k, v in headers.items()}
    signed["host"] = host
    signed["x-amz-date"] = amz_date
    if creds.get("token"):
        signed["x-amz-security-token"] = creds["token"]
    payload_hash = hashlib.sha256(body).hexdigest()
    if service == "s3":
        signed["x-amz-content-sha256"] = payload_hash
    names = sorted(signed)
    canonical_query = "&".join("%s=%s" % (urllib.parse.quote(k, safe="-_.~"), urllib.parse.quote(v, safe="-_.~"))
                               for k, v in sorted(query))
    canonical = "\n".join([method, urllib.parse.quote(path, safe="/-_.~"), canonical_query,
                           "".join("%s:%s\n" % (n, signed[n]) for n in names), ";".join(names), payload_hash])
    scope = "%s/%s/%s/aws4_request" % (amz_date[:8], region, service)
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(_hmac(("AWS4" + creds["secret"]).encode(), amz_date[:8]), region), service),
                "aws4_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    signed["authorization"] = "AWS4-HMAC-SHA256 Credential=%s/%s, SignedHeaders=%s, Signature=%s" % (
        creds["key"], scope, ";".join(names), signature)
    return signed


_CREDS = {}


def _http(method, url, headers=None, body=None):
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=CHECK_TIMEOUT_SECONDS) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers or {}), err.read()


def credentials(now=time.time):
    """The role's credentials: environment, then the ECS task role, then the instance profile; cached until
    five minutes before they expire."""
    if os.environ.get("AWS_ACCESS_KEY_ID"):
        return {"key": os.environ["AWS_ACCESS_KEY_ID"], "secret": os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
                "token": os.environ.get("AWS_SESSION_TOKEN", "")}
    if _CREDS.get("expires", 0) - 300 > now():
        return _CREDS
    relative = os.environ.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
    if relative:
        _, _, data = _http("GET", "http://169.254.170.2" + relative)
    else:
        _, _, token = _http("PUT", "http://169.254.169.254/latest/api/token",
                            {"X-aws-ec2-metadata-token-ttl-seconds": "21600"}, b"")
        auth = {"X-aws-ec2-metadata-token": token.decode()}
        base = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
        _, _, role = _http("GET", base, auth)
        _, _, data = _http("GET", base + role.decode().split("\n")[0], auth)
    value = json.loads(data)
    expires = value.get("Expiration", "")
    _CREDS.update(key=value["AccessKeyId"], secret=value["SecretAccessKey"], token=value.get("Token", ""),
                  expires=time.mktime(time.strptime(expires[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
                  if expires else now() + 600)
    return _CREDS


def aws_request(service, region, method, path="/", query=(), headers=None, body=b"", host=None):
    """(status, body) of one signed request to the service's regional endpoint."""
    host = host or "%s.%s.amazonaws.com" % (service, region)
    amz_date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    signed = sigv4_headers(method, host, path, query, headers or {}, body, region, service, credentials(), amz_date)
    url = "https://%s%s%s" % (host, urllib.parse.quote(path, safe="/-_.~"),
                              ("?" + urllib.parse.urlencode(list(query))) if query else "")
    status, _, data = _http(method, url, signed, body if method in ("POST", "PUT") else None)
    return status, data


def _json_call(service, target, region, params, version):
    status, data = aws_request(service, region, "POST", headers={
        "Content-Type": "application/x-amz-json-%s" % version, "X-Amz-Target": target}, body=json.dumps(params).encode())
    value = json.loads(data or b"{}")
    if status >= 300:
        code = str(value.get("__type", status)).split("#")[-1]
        return False, "An error occurred (%s) when calling the %s operation: %s" % (
            code, target.split(".")[-1], value.get("message") or value.get("Message", ""))
    return True, value


def _xml_text(data, tag):
    match = re.search(r"<%s>([^<]*)</%s>" % (tag, tag), data.decode("utf-8", "replace"))
    return match.group(1) if match else None


class LoginError(Exception):
    """The server refused the login, or spoke something else."""


def _read_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise LoginError("the server closed the connection")
        data += chunk
    return data


def _tls(sock, host):
    # A health check only: SCRAM and the MySQL scrambles reveal no password to whoever answers; the
    # RDS CA bundle is not on the AMI by default, so the server's certificate is not verified.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context.wrap_socket(sock, server_hostname=host)


# PostgreSQL (protocol v3: https://www.postgresql.org/docs/current/protocol-flow.html)

def _pg_send(sock, kind, payload):
    sock.sendall(kind + struct.pack("!I", len(payload) + 4) + payload)


def _pg_read(sock):
    kind = _read_exact(sock, 1)
    length = struct.unpack("!I", _read_exact(sock, 4))[0]
    return kind, _read_exact(sock, length - 4)


def _pg_error(payload):
    fields = dict((f[:1], f[1:].decode("utf-8", "replace")) for f in payload.split(b"\0") if f)
    return fields.get(b"M", "error")


def scram_client_final(password, client_first_bare, server_first, gs2_header=b"n,,"):
    """SCRAM-SHA-256 (RFC 5802, RFC 7677): the client-final message and the server signature expected."""
    attrs = dict(item.split("=", 1) for item in server_first.split(","))
    salt = base64.b64decode(attrs["s"])
    iterations = int(attrs["i"])
    salted = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    stored_key = hashlib.sha256(client_key).digest()
    without_proof = "c=%s,r=%s" % (base64.b64encode(gs2_header).decode(), attrs["r"])
    auth_message = ",".join([client_first_bare, server_first, without_proof]).encode("utf-8")
    signature = hmac.new(stored_key, auth_message, hashlib.sha256).digest()
    proof = bytes(a ^ b for a, b in zip(client_key, signature))
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    server_signature = hmac.new(server_key, auth_message, hashlib.sha256).digest()
    final = "%s,p=%s" % (without_proof, base64.b64encode(proof).decode())
    return final, base64.b64encode(server_signature).decode()


def pg_md5_password(user, password, salt):
    inner = hashlib.md5((password + user).encode("utf-8")).hexdigest()
    return "md5" + hashlib.md5(inner.encode("ascii") + salt).hexdigest()


NO_TLS = "the server asks for the password in cleartext on a connection without TLS: refused"


def postgres_login(sock, host, user, password, database):
    sock.sendall(struct.pack("!II", 8, 80877103))  # SSLRequest
    tls = _read_exact(sock, 1) == b"S"
    if tls:
        sock = _tls(sock, host)
    params = b"user\0" + user.encode() + b"\0database\0" + database.encode() + b"\0\0"
    sock.sendall(struct.pack("!II", len(params) + 8, 196608) + params)
    expected_signature = None
    while True:
        kind, payload = _pg_read(sock)
        if kind == b"E":
            raise LoginError(_pg_error(payload))
        if kind == b"Z":
            _pg_send(sock, b"X", b"")
            return
        if kind != b"R":
            continue
        code = struct.unpack("!I", payload[:4])[0]
        if code == 0:
            continue  # AuthenticationOk: wait for ReadyForQuery (or an error such as a missing database)
        if code == 3:  # AuthenticationCleartextPassword
            if not tls:
                raise LoginError(NO_TLS)
            _pg_send(sock, b"p", password.encode("utf-8") + b"\0")
        elif code == 5:
            _pg_send(sock, b"p", pg_md5_password(user, password, payload[4:8]).encode("ascii") + b"\0")
        elif code == 10:
            mechanisms = [m.decode() for m in payload[4:].split(b"\0") if m]
            if "SCRAM-SHA-256" not in mechanisms:
                raise LoginError("no supported SASL mechanism in %s" % mechanisms)
            nonce = base64.b64encode(os.urandom(18)).decode()
            client_first_bare = "n=,r=" + nonce
            first = ("n,," + client_first_bare).encode()
            _pg_send(sock, b"p", b"SCRAM-SHA-256\0" + struct.pack("!I", len(first)) + first)
        elif code == 11:
            final, expected_signature = scram_client_final(password, client_first_bare, payload[4:].decode())
            _pg_send(sock, b"p", final.encode())
        elif code == 12:
            if payload[4:].decode() != "v=" + (expected_signature or ""):
                raise LoginError("the server's SCRAM signature does not match")
        else:
            raise LoginError("unsupported authentication request %d" % code)


# MySQL and MariaDB (https://dev.mysql.com/doc/dev/mysql-server/latest/PAGE_PROTOCOL.html)

CLIENT_LONG_PASSWORD, CLIENT_PROTOCOL_41, CLIENT_SSL = 0x1, 0x200, 0x800
CLIENT_SECURE_CONNECTION, CLIENT_PLUGIN_AUTH = 0x8000, 0x80000


def _my_read(sock):
    header = _read_exact(sock, 4)
    length = header[0] | header[1] << 8 | header[2] << 16
    return header[3], _read_exact(sock, length)


def _my_send(sock, seq, payload):
    sock.sendall(struct.pack("<I", len(payload))[:3] + bytes([seq & 0xFF]) + payload)


def _xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def mysql_scramble(plugin, password, nonce):
    """The auth response of mysql_native_password (SHA-1) or caching_sha2_password (SHA-256)."""
    if not password:
        return b""
    if plugin == "caching_sha2_password":
        p1 = hashlib.sha256(password.encode()).digest()
        return _xor(p1, hashlib.sha256(hashlib.sha256(p1).digest() + nonce).digest())
    p1 = hashlib.sha1(password.encode()).digest()
    return _xor(p1, hashlib.sha1(nonce + hashlib.sha1(p1).digest()).digest())


def _my_error(payload):
    return payload[9:].decode("utf-8", "replace") if payload[3:4] == b"#" else payload[3:].decode("utf-8", "replace")


def mysql_login(sock, host, user, password):
    seq, hello = _my_read(sock)
    if hello[:1] == b"\xff":
        raise LoginError(_my_error(hello))
    end = hello.index(b"\0", 1)
    pos = end + 1 + 4
    nonce = hello[pos:pos + 8]
    pos += 9
    caps = struct.unpack("<H", hello[pos:pos + 2])[0]
    pos += 2 + 1 + 2
    caps |= struct.unpack("<H", hello[pos:pos + 2])[0] << 16
    auth_len = hello[pos + 2]
    pos += 3 + 10
    nonce += hello[pos:pos + max(13, auth_len - 8)].rstrip(b"\0")
    pos += max(13, auth_len - 8)
    plugin = hello[pos:].split(b"\0", 1)[0].decode() or "mysql_native_password"
    flags = CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH
    tls = bool(caps & CLIENT_SSL)
    seq += 1
    if tls:
        flags |= CLIENT_SSL
        _my_send(sock, seq, struct.pack("<IIB", flags, 1 << 24, 33) + b"\0" * 23)
        seq += 1
        sock = _tls(sock, host)
    auth = mysql_scramble(plugin, password, nonce)
    response = (struct.pack("<IIB", flags, 1 << 24, 33) + b"\0" * 23 + user.encode() + b"\0"
                + bytes([len(auth)]) + auth + plugin.encode() + b"\0")
    _my_send(sock, seq, response)
    while True:
        seq, reply = _my_read(sock)
        if reply[:1] == b"\x00":
            return
        if reply[:1] == b"\xff":
            raise LoginError(_my_error(reply))
        if reply[:1] == b"\xfe":  # AuthSwitchRequest
            plugin, _, rest = reply[1:].partition(b"\0")
            plugin = plugin.decode()
            _my_send(sock, seq + 1, mysql_scramble(plugin, password, rest.rstrip(b"\0")))
        elif reply[:2] == b"\x01\x03":  # caching_sha2_password: fast authentication succeeded
            continue
        elif reply[:2] == b"\x01\x04":  # caching_sha2_password: full authentication
            if not tls:
                raise LoginError("caching_sha2_password full authentication: " + NO_TLS)
            _my_send(sock, seq + 1, password.encode() + b"\0")
        else:
            raise LoginError("unexpected reply %r" % reply[:1])


def engine_of(credential, env, port):
    engine = (credential.get("engine") or env.get("APP_DB_ENGINE") or "").lower()
    if not engine:
        engine = "mysql" if port == 3306 else "postgres"
    return "mysql" if ("mysql" in engine or "mariadb" in engine) else "postgres"


def check_login(endpoint, credential, env):
    """None when the login succeeds, else the problem."""
    address, problem = parse_endpoint(endpoint)
    if problem:
        return problem
    host, port = address
    try:
        sock = socket.create_connection((host, port), timeout=CHECK_TIMEOUT_SECONDS)
    except OSError as err:
        return "database %s does not accept TCP connections: %s" % (endpoint, err)
    user, password = credential["username"], credential["password"]
    try:
        sock.settimeout(CHECK_TIMEOUT_SECONDS)
        if engine_of(credential, env, port) == "mysql":
            mysql_login(sock, host, user, password)
        else:
            postgres_login(sock, host, user, password, credential.get("dbname") or env.get("APP_DB_NAME") or "postgres")
    except (LoginError, OSError, ValueError, IndexError, KeyError, struct.error) as err:
        return "database %s refused the login of %s: %s" % (endpoint, user, err)
    finally:
        sock.close()
    return None


def check_database(env, fetch=fetch_credential):
    """Logs in to APP_DB_ENDPOINT with the credential of APP_DB_SECRET_ID."""
    endpoint = env.get("APP_DB_ENDPOINT", "")
    address, problem = parse_endpoint(endpoint)
    if problem:
        return problem
    secret = env.get("APP_DB_SECRET_ID", "")
    if not secret:
        return "no database credential (APP_DB_SECRET_ID) given: cannot log in to %s" % endpoint
    credential = fetch(secret, env.get("APP_REGION", ""))
    if isinstance(credential, str):
        return credential
    return check_login(endpoint, credential, env)


def run_cli(args, region):
    """(ok, text): `aws <args> [--region region]`, its stdout when it succeeds, else its error."""
    command = ["aws"] + list(args)
    if region:
        command += ["--region", region]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=CHECK_TIMEOUT_SECONDS * 3)
    except (OSError, subprocess.TimeoutExpired) as err:
        return False, "cannot run aws %s: %s" % (" ".join(args[:2]), err)
    if result.returncode != 0:
        return False, (result.stderr or result.stdout).strip()[:200]
    return True, result.stdout.strip()


def aws_call(args, region):
    """(ok, text): the AWS call a check makes, given in the AWS CLI's words: through the AWS CLI where the
    server has one (Amazon Linux ships it), else signed here ({@link aws_http}: a container image with Python
    only); its text answer when it succeeds, else its error."""
    if shutil.which("aws"):
        return run_cli(args, region)
    return aws_http(args, region)


def aws_http(args, region):
    """aws_call without the AWS CLI: the operation the arguments name, signed and sent over HTTPS."""
    def arg(name):
        return args[args.index(name) + 1]
    try:
        if args[:2] == ["secretsmanager", "get-secret-value"]:
            ok, value = _json_call("secretsmanager", "secretsmanager.GetSecretValue", region,
                                   {"SecretId": arg("--secret-id")}, "1.1")
            return (ok, value.get("SecretString", "")) if ok else (ok, value)
        if args[:2] == ["dynamodb", "describe-table"]:
            ok, value = _json_call("dynamodb", "DynamoDB_20120810.DescribeTable", region,
                                   {"TableName": arg("--table-name")}, "1.0")
            return (ok, value["Table"]["TableStatus"]) if ok else (ok, value)
        bucket = arg("--bucket")
        host = "%s.s3.%s.amazonaws.com" % (bucket, region)
        if args[1] == "head-bucket":
            status, data = aws_request("s3", region, "HEAD", host=host)
            operation = "HeadBucket"
        elif args[1] == "list-objects-v2":
            status, data = aws_request("s3", region, "GET", query=[("list-type", "2"), ("max-keys", "1")], host=host)
            if status < 300:
                return True, _xml_text(data, "Key") or "None"
            operation = "ListObjectsV2"
        else:
            status, data = aws_request("s3", region, "GET", "/" + arg("--key"), headers={"Range": arg("--range")},
                                       host=host)
            operation = "GetObject"
        if status < 300:
            return True, ""
        return False, "An error occurred (%s) when calling the %s operation: %s" % (
            _xml_text(data, "Code") or status, operation, _xml_text(data, "Message") or "")
    except (OSError, ValueError, KeyError) as err:
        return False, "cannot call AWS (%s): %s" % (" ".join(args[:2]), err)


def check_bucket(bucket, region, run=aws_call):
    """Reads the bucket as the application would: HeadBucket, then ListObjectsV2 of one key and GetObject of
    its first byte (an empty bucket is readable: there is nothing to read)."""
    if not bucket:
        return "no bucket (APP_BUCKET_NAME) given"
    ok, text = run(["s3api", "head-bucket", "--bucket", bucket], region)
    if not ok:
        return "bucket %s is not readable: %s" % (bucket, text)
    ok, key = run(["s3api", "list-objects-v2", "--bucket", bucket, "--max-keys", "1",
                   "--query", "Contents[0].Key", "--output", "text"], region)
    if not ok:
        return "bucket %s cannot be listed: %s" % (bucket, key)
    if key and key != "None":
        ok, text = run(["s3api", "get-object", "--bucket", bucket, "--key", key, "--range", "bytes=0-0",
                        os.devnull], region)
        if not ok:
            return "bucket %s: object %s is not readable: %s" % (bucket, key, text)
    return None


def check_table(table, region, run=aws_call):
    """DescribeTable: the table exists, the servers may use it, and it is ACTIVE (or UPDATING)."""
    ok, status = run(["dynamodb", "describe-table", "--table-name", table,
                      "--query", "Table.TableStatus", "--output", "text"], region)
    if not ok:
        return "table %s is not usable: %s" % (table, status)
    if status not in ("ACTIVE", "UPDATING"):
        return "table %s is %s, not ACTIVE" % (table, status)
    return None


# A full restore of an EFS file system puts its data in a directory of this name off the root (AWS Backup
# developer guide, "Restore an Amazon EFS file system"): the application's path must be that directory.
EFS_RESTORE_DIRECTORY_PREFIX = "aws-backup-restore_"


def check_file_system(file_system_id, mount_path, is_mount=os.path.ismount, root_path=""):
    """The file system's root is mounted (on root_path, else on mount_path: older stacks), the application's
    path is readable, and it is not a restore's bare recovery directory: a path holding only
    aws-backup-restore_* means the restored data was never bound there, and the application would find none."""
    mounted = root_path or mount_path
    if not mounted or not is_mount(mounted):
        return "file system %s is not mounted on %s" % (file_system_id, mounted or "(no mount path)")
    try:
        entries = os.listdir(mount_path)
    except OSError as err:
        return "file system %s on %s is not readable: %s" % (file_system_id, mount_path, err)
    if len(entries) == 1 and entries[0].startswith(EFS_RESTORE_DIRECTORY_PREFIX):
        return ("file system %s: %s holds only AWS Backup's recovery directory %s, not the data: the restored "
                "directory is not bound on the application's path" % (file_system_id, mount_path, entries[0]))
    return None


# On Nitro instances an EBS volume is an NVMe device whose serial is its id, linked by udev as
# /dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol<id without the dash> (EC2 user guide, "Amazon EBS and
# NVMe"): present only while the volume is attached to this instance.
EBS_DEVICE_DIR = "/dev/disk/by-id"


def check_volume(volume_id, device_dir=EBS_DEVICE_DIR):
    """(problem, note): a volume attached to this server must have its first block readable; a volume not
    attached here is no failure (only one server can attach it, and attaching it is the application's
    concern), only a note."""
    device = os.path.join(device_dir, "nvme-Amazon_Elastic_Block_Store_" + volume_id.replace("-", ""))
    if not os.path.exists(device):
        return None, "volume %s is not attached here (no %s): attaching it is the application's" % (volume_id, device)
    try:
        with open(device, "rb") as block:
            block.read(512)
    except OSError as err:
        return "volume %s is attached but not readable: %s" % (volume_id, err), None
    return None, None


# What each kind's entry is checked with, and the variable holding the resource the check needs.
KIND_VARIABLE = {"rds": "ENDPOINT", "aurora": "ENDPOINT", "dynamodb": "NAME", "s3": "NAME",
                 "ebs": "VOLUME_ID", "efs": "FILE_SYSTEM_ID"}


def data_variable(name, attribute):
    """APP_DATA_<NAME>_<ATTR>, as stacks/dataVariables.ts names it."""
    return "APP_DATA_%s_%s" % (name.upper().replace("-", "_"), attribute)


def check_entry(env, name, fetch=fetch_credential, run=aws_call, is_mount=os.path.ismount,
                device_dir=EBS_DEVICE_DIR):
    """The problem with one inventory entry, or None: checked the way the application uses it."""
    kind = env.get(data_variable(name, "KIND"), "")
    attribute = KIND_VARIABLE.get(kind)
    if attribute is None:
        return kind, "unknown kind %r (%s)" % (kind, data_variable(name, "KIND"))
    value = env.get(data_variable(name, attribute), "")
    if not value:
        return kind, "not restored or not wired: %s is empty" % data_variable(name, attribute)
    region = env.get("APP_REGION", "")
    if kind in ("rds", "aurora"):
        secret = env.get(data_variable(name, "SECRET_ID")) or env.get("APP_DB_SECRET_ID", "")
        if not secret:
            return kind, "no database credential (%s or APP_DB_SECRET_ID) given: cannot log in to %s" % (
                data_variable(name, "SECRET_ID"), value)
        credential = fetch(secret, region)
        if isinstance(credential, str):
            return kind, credential
        return kind, check_login(value, credential, env)
    if kind == "dynamodb":
        return kind, check_table(value, region, run)
    if kind == "s3":
        return kind, check_bucket(value, region, run)
    if kind == "efs":
        return kind, check_file_system(value, env.get(data_variable(name, "MOUNT_PATH"), ""), is_mount,
                                       env.get(data_variable(name, "ROOT_PATH"), ""))
    return kind, check_volume(value, device_dir)


def inventory_health(env, **checks):
    """(status, body) over every entry of APP_DATA_NAMES, checked in parallel (the slowest entry sets the
    time, not their sum): per logical name ok, or failed with its reason, or ok with a note."""
    names = [n for n in env.get("APP_DATA_NAMES", "").split(",") if n]
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(len(names), 16))) as pool:
        results = list(pool.map(lambda name: check_entry(env, name, **checks), names))
    data = {}
    problems = []
    for name, (kind, outcome) in zip(names, results):
        problem, note = outcome if isinstance(outcome, tuple) else (outcome, None)
        data[name] = {"kind": kind, "ok": problem is None}
        if note:
            data[name]["note"] = note
        if problem:
            data[name]["reason"] = problem
            problems.append("%s (%s): %s" % (name, kind, problem))
    return (503 if problems else 200), {"healthy": not problems, "data": data, "problems": problems}


# The load balancer's health check waits HEALTH_CHECK_TIMEOUT_SECONDS (stacks/environment.ts): a request is
# answered from the last result, which is refreshed in the background once older than this.
CACHE_SECONDS = 10


class CachedHealth:
    """health() answered from its last result: the first request waits for one, a later one gets the last
    at once and, when it is CACHE_SECONDS old, starts one refresh in the background (stale while it runs)."""

    def __init__(self, compute, clock=time.monotonic, ttl=CACHE_SECONDS):
        self.compute = compute
        self.clock = clock
        self.ttl = ttl
        self.lock = threading.Lock()
        self.result = None
        self.at = None
        self.refreshing = None
        self.first = threading.Lock()

    def _refresh(self):
        try:
            result = self.compute()
        except Exception as err:  # noqa: BLE001 - a check that crashed is a failed check, never a hung cache
            result = 503, {"healthy": False, "problems": ["the health check failed: %s" % err]}
        with self.lock:
            self.result, self.at, self.refreshing = result, self.clock(), None

    def get(self):
        with self.lock:
            if self.result is not None:
                if self.refreshing is None and self.clock() - self.at >= self.ttl:
                    self.refreshing = threading.Thread(target=self._refresh, daemon=True)
                    self.refreshing.start()
                return self.result
        with self.first:
            if self.result is None:
                self._refresh()
        return self.result


def health(env, fetch=fetch_credential):
    """(status, body): 200 when every check passes, else 503 with the failures. With the inventory's
    variables (APP_DATA_NAMES), every entry; else the single database and bucket of older stacks."""
    if env.get("APP_DATA_NAMES"):
        return inventory_health(env, fetch=fetch)
    problems = [
        problem
        for problem in (
            check_database(env, fetch),
            check_bucket(env.get("APP_BUCKET_NAME", ""), env.get("APP_REGION", "")),
        )
        if problem
    ]
    return (503 if problems else 200), {"healthy": not problems, "problems": problems}


def serve(env):
    path = env.get("APP_HEALTH_PATH") or "/health"
    cached = CachedHealth(lambda: health(env))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.split("?", 1)[0] != path:
                status, body = 404, {"error": "not found: the health check is at %s" % path}
            else:
                status, body = cached.get()
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
