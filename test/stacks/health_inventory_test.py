"""The health server's inventory checks: every APP_DATA_ entry checked as the application uses it, each failure
named by its logical name. Run by test/stacks/healthLogin.test.ts (python3 -m unittest)."""
import os
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "stacks"))
import health_server as hs  # noqa: E402

CREDENTIAL = {"username": "appadmin", "password": "s3cret", "engine": "postgres", "dbname": "app"}


class FakeAws:
    """Stands in for the aws CLI: the tables, buckets (name -> first key or None) and unreadable keys it knows."""

    def __init__(self, tables=None, buckets=None, unreadable=()):
        self.tables = tables or {}
        self.buckets = buckets or {}
        self.unreadable = set(unreadable)
        self.calls = []

    def __call__(self, args, region):
        self.calls.append((args[0], args[1], region))
        if args[:2] == ["dynamodb", "describe-table"]:
            table = args[args.index("--table-name") + 1]
            if table in self.tables:
                return True, self.tables[table]
            return False, "An error occurred (ResourceNotFoundException) when calling the DescribeTable operation"
        bucket = args[args.index("--bucket") + 1]
        if bucket not in self.buckets:
            return False, "An error occurred (403) when calling the HeadBucket operation: Forbidden"
        if args[1] == "head-bucket":
            return True, ""
        if args[1] == "list-objects-v2":
            return True, self.buckets[bucket] or "None"
        key = args[args.index("--key") + 1]
        if key in self.unreadable:
            return False, "An error occurred (AccessDenied) when calling the GetObject operation"
        return True, ""


def env_of(entries):
    """The variables stacks/dataVariables.ts writes for these (name, kind, attribute, value) entries."""
    env = {"APP_REGION": "us-west-2", "APP_DB_SECRET_ID": "arn:dr-secret",
           "APP_DATA_NAMES": ",".join(name for name, _, _, _ in entries)}
    for name, kind, attribute, value in entries:
        env[hs.data_variable(name, "KIND")] = kind
        env[hs.data_variable(name, attribute)] = value
    return env


class InventoryHealth(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.devices = os.path.join(self.dir, "by-id")
        os.mkdir(self.devices)
        with open(os.path.join(self.devices, "nvme-Amazon_Elastic_Block_Store_vol0attached"), "wb") as device:
            device.write(b"\0" * 1024)
        self.mount = os.path.join(self.dir, "shared")
        os.mkdir(self.mount)
        self.logins = []

    def check(self, env, aws, mounted=()):
        def login(endpoint, credential, _env):
            self.logins.append((endpoint, credential["username"]))
            return None if endpoint.startswith("good") else "database %s refused the login of appadmin" % endpoint

        original = hs.check_login
        hs.check_login = login
        try:
            return hs.inventory_health(
                env,
                fetch=lambda secret, region: CREDENTIAL if secret == "arn:dr-secret" else "credential %s is not readable" % secret,
                run=aws,
                is_mount=lambda path: path in mounted,
                device_dir=self.devices,
            )
        finally:
            hs.check_login = original

    def test_every_entry_ok_is_200_and_names_each(self):
        env = env_of([
            ("orders-db", "rds", "ENDPOINT", "good-orders:5432"),
            ("users-db", "aurora", "ENDPOINT", "good-users:5432"),
            ("orders", "dynamodb", "NAME", "dr-1-orders"),
            ("assets", "s3", "NAME", "app-replica-0"),
            ("shared", "efs", "FILE_SYSTEM_ID", "fs-0123456789abcdef0"),
            ("data", "ebs", "VOLUME_ID", "vol-0attached"),
        ])
        env[hs.data_variable("shared", "MOUNT_PATH")] = self.mount
        aws = FakeAws(tables={"dr-1-orders": "ACTIVE"}, buckets={"app-replica-0": "a/key"})
        status, body = self.check(env, aws, mounted=(self.mount,))
        self.assertEqual(status, 200, body)
        self.assertEqual(body["problems"], [])
        self.assertEqual(sorted(body["data"]), ["assets", "data", "orders", "orders-db", "shared", "users-db"])
        self.assertTrue(all(entry["ok"] for entry in body["data"].values()))
        self.assertEqual(self.logins, [("good-orders:5432", "appadmin"), ("good-users:5432", "appadmin")])
        self.assertIn(("s3api", "get-object", "us-west-2"), aws.calls)

    def test_a_table_that_never_came_to_exist_is_503_naming_it(self):
        env = env_of([("orders", "dynamodb", "NAME", "dr-1-orders"), ("assets", "s3", "NAME", "app-replica-0")])
        status, body = self.check(env, FakeAws(buckets={"app-replica-0": None}))
        self.assertEqual(status, 503)
        self.assertEqual(body["data"]["assets"], {"kind": "s3", "ok": True})
        self.assertFalse(body["data"]["orders"]["ok"])
        self.assertIn("table dr-1-orders is not usable: An error occurred (ResourceNotFoundException)",
                      body["data"]["orders"]["reason"])
        self.assertEqual(len(body["problems"]), 1)
        self.assertTrue(body["problems"][0].startswith("orders (dynamodb): table dr-1-orders"))

    def test_a_table_still_creating_fails(self):
        env = env_of([("orders", "dynamodb", "NAME", "dr-1-orders")])
        status, body = self.check(env, FakeAws(tables={"dr-1-orders": "CREATING"}))
        self.assertEqual(status, 503)
        self.assertEqual(body["data"]["orders"]["reason"], "table dr-1-orders is CREATING, not ACTIVE")

    def test_an_entry_not_wired_fails_naming_its_variable(self):
        env = env_of([("orders", "dynamodb", "NAME", "")])
        status, body = self.check(env, FakeAws())
        self.assertEqual(status, 503)
        self.assertEqual(body["data"]["orders"]["reason"],
                         "not restored or not wired: APP_DATA_ORDERS_NAME is empty")

    def test_a_database_that_refuses_the_login_fails_by_name(self):
        env = env_of([("orders-db", "rds", "ENDPOINT", "good:5432"), ("users-db", "rds", "ENDPOINT", "bad:5432")])
        status, body = self.check(env, FakeAws())
        self.assertEqual(status, 503)
        self.assertTrue(body["data"]["orders-db"]["ok"])
        self.assertEqual(body["data"]["users-db"]["reason"], "database bad:5432 refused the login of appadmin")

    def test_a_database_with_its_own_unreadable_secret_fails(self):
        env = env_of([("users-db", "rds", "ENDPOINT", "good:5432")])
        env["APP_DATA_USERS_DB_SECRET_ID"] = "arn:other"
        status, body = self.check(env, FakeAws())
        self.assertEqual(status, 503)
        self.assertEqual(body["data"]["users-db"]["reason"], "credential arn:other is not readable")

    def test_a_bucket_whose_object_is_unreadable_fails(self):
        env = env_of([("assets", "s3", "NAME", "app-replica-0")])
        status, body = self.check(env, FakeAws(buckets={"app-replica-0": "k"}, unreadable=("k",)))
        self.assertEqual(status, 503)
        self.assertIn("object k is not readable", body["data"]["assets"]["reason"])

    def test_a_file_system_not_mounted_fails(self):
        env = env_of([("shared", "efs", "FILE_SYSTEM_ID", "fs-0123456789abcdef0")])
        env[hs.data_variable("shared", "MOUNT_PATH")] = self.mount
        status, body = self.check(env, FakeAws())
        self.assertEqual(status, 503)
        self.assertEqual(body["data"]["shared"]["reason"],
                         "file system fs-0123456789abcdef0 is not mounted on %s" % self.mount)

    def test_a_restored_file_system_bound_on_its_recovery_directory_is_ok(self):
        root = os.path.join(self.dir, "root")
        os.makedirs(os.path.join(root, "aws-backup-restore_2026-11-23T09-30-00-000Z", "reports"))
        os.mkdir(os.path.join(self.mount, "reports"))
        env = env_of([("shared", "efs", "FILE_SYSTEM_ID", "fs-0123456789abcdef0")])
        env[hs.data_variable("shared", "MOUNT_PATH")] = self.mount
        env[hs.data_variable("shared", "ROOT_PATH")] = root
        status, body = self.check(env, FakeAws(), mounted=(root,))
        self.assertEqual(status, 200, body)
        status, body = self.check(env, FakeAws(), mounted=(self.mount,))
        self.assertEqual(body["data"]["shared"]["reason"],
                         "file system fs-0123456789abcdef0 is not mounted on %s" % root)

    def test_an_application_path_holding_only_the_recovery_directory_fails(self):
        os.mkdir(os.path.join(self.mount, "aws-backup-restore_2026-11-23T09-30-00-000Z"))
        env = env_of([("shared", "efs", "FILE_SYSTEM_ID", "fs-0123456789abcdef0")])
        env[hs.data_variable("shared", "MOUNT_PATH")] = self.mount
        status, body = self.check(env, FakeAws(), mounted=(self.mount,))
        self.assertEqual(status, 503)
        self.assertEqual(
            body["data"]["shared"]["reason"],
            "file system fs-0123456789abcdef0: %s holds only AWS Backup's recovery directory "
            "aws-backup-restore_2026-11-23T09-30-00-000Z, not the data: the restored directory is not bound on the "
            "application's path" % self.mount)

    def test_a_volume_not_attached_here_is_a_note_not_a_failure(self):
        env = env_of([("data", "ebs", "VOLUME_ID", "vol-0elsewhere")])
        status, body = self.check(env, FakeAws())
        self.assertEqual(status, 200, body)
        self.assertTrue(body["data"]["data"]["ok"])
        self.assertTrue(body["data"]["data"]["note"].startswith("volume vol-0elsewhere is not attached here"))

    def test_an_attached_volume_that_cannot_be_read_fails(self):
        os.chmod(os.path.join(self.devices, "nvme-Amazon_Elastic_Block_Store_vol0attached"), 0)
        env = env_of([("data", "ebs", "VOLUME_ID", "vol-0attached")])
        status, body = self.check(env, FakeAws())
        if os.geteuid() == 0:
            self.assertEqual(status, 200)  # root reads a file whatever its mode
        else:
            self.assertEqual(status, 503)
            self.assertIn("volume vol-0attached is attached but not readable", body["data"]["data"]["reason"])

    def test_entries_are_checked_in_parallel(self):
        # Each table's check waits for the other's: a serial run would break the barrier.
        barrier = threading.Barrier(2, timeout=30)

        def aws(args, region):
            barrier.wait()
            return True, "ACTIVE"

        env = env_of([("orders", "dynamodb", "NAME", "dr-1-orders"), ("events", "dynamodb", "NAME", "dr-1-events")])
        status, body = self.check(env, aws)
        self.assertEqual(status, 200, body)


class CachedHealthTest(unittest.TestCase):
    def test_answers_from_the_last_result_and_refreshes_it_in_the_background_once_stale(self):
        now = [0.0]
        results = iter([(200, {"n": 1}), (503, {"n": 2})])
        calls = []

        def compute():
            calls.append(now[0])
            return next(results)

        cache = hs.CachedHealth(compute, clock=lambda: now[0], ttl=10)
        self.assertEqual(cache.get(), (200, {"n": 1}))  # the first request waits for a result
        now[0] = 9.9
        self.assertEqual(cache.get(), (200, {"n": 1}))
        self.assertEqual(calls, [0.0])
        now[0] = 10.0
        self.assertEqual(cache.get(), (200, {"n": 1}))  # stale: answered at once, refreshed behind
        cache.refreshing.join()
        self.assertEqual(cache.get(), (503, {"n": 2}))
        self.assertEqual(calls, [0.0, 10.0])

    def test_a_check_that_crashes_is_a_503_not_a_stuck_cache(self):
        def compute():
            raise RuntimeError("boom")

        self.assertEqual(hs.CachedHealth(compute).get(),
                         (503, {"healthy": False, "problems": ["the health check failed: boom"]}))


class AwsWithoutTheCli(unittest.TestCase):
    CREDS = {"key": "AKIDEXAMPLE", "secret": "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token": ""}

    def test_signs_the_aws_sigv4_test_suite_get_vanilla_request(self):
        # AWS Signature Version 4 test suite, get-vanilla: GET / of example.amazonaws.com, service "service".
        headers = hs.sigv4_headers("GET", "example.amazonaws.com", "/", [], {}, b"", "us-east-1", "service",
                                   self.CREDS, "20150830T123600Z")
        self.assertEqual(headers["authorization"],
                         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                         "SignedHeaders=host;x-amz-date, "
                         "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")

    def test_signs_a_dynamodb_call_as_botocore_does(self):
        try:
            from botocore.auth import SigV4Auth
            from botocore.awsrequest import AWSRequest
            from botocore.credentials import Credentials
        except ImportError:
            self.skipTest("botocore is not installed")
        body = b'{"TableName": "dr-1-orders"}'
        headers = {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.DescribeTable"}
        request = AWSRequest("POST", "https://dynamodb.us-west-2.amazonaws.com/", data=body, headers=dict(headers))
        SigV4Auth(Credentials("AKIDEXAMPLE", self.CREDS["secret"], "session"), "dynamodb", "us-west-2").add_auth(request)
        ours = hs.sigv4_headers("POST", "dynamodb.us-west-2.amazonaws.com", "/", [], headers, body, "us-west-2",
                                "dynamodb", dict(self.CREDS, token="session"), request.headers["X-Amz-Date"])
        self.assertEqual(ours["authorization"], request.headers["Authorization"])

    def test_maps_each_check_to_its_aws_call_and_words_errors_as_the_cli_did(self):
        calls = []

        def request(service, region, method, path="/", query=(), headers=None, body=b"", host=None):
            calls.append((service, method, host, path, headers and headers.get("X-Amz-Target")))
            if service == "dynamodb":
                return 400, b'{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}'
            if method == "HEAD":
                return 200, b""
            return 200, b"<ListBucketResult><Contents><Key>a/key</Key></Contents></ListBucketResult>"

        original = hs.aws_request
        hs.aws_request = request
        try:
            self.assertEqual(hs.aws_http(["dynamodb", "describe-table", "--table-name", "dr-1-orders"], "us-west-2"),
                             (False, "An error occurred (ResourceNotFoundException) when calling the DescribeTable "
                                     "operation: Requested resource not found"))
            self.assertEqual(hs.check_bucket("app-replica-0", "us-west-2", hs.aws_http), None)
        finally:
            hs.aws_request = original
        self.assertEqual(calls, [
            ("dynamodb", "POST", None, "/", "DynamoDB_20120810.DescribeTable"),
            ("s3", "HEAD", "app-replica-0.s3.us-west-2.amazonaws.com", "/", None),
            ("s3", "GET", "app-replica-0.s3.us-west-2.amazonaws.com", "/", None),
            ("s3", "GET", "app-replica-0.s3.us-west-2.amazonaws.com", "/a/key", None),
        ])


if __name__ == "__main__":
    unittest.main()
