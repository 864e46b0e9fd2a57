"""The health server's database logins against tiny in-test servers: PostgreSQL SCRAM-SHA-256 and md5, MySQL
mysql_native_password. Run by test/stacks/healthLogin.test.ts (python3 -m unittest)."""
import base64
import hashlib
import hmac
import os
import socket
import struct
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "stacks"))
import health_server as hs  # noqa: E402

PASSWORD = "Corr3ctHorseBatteryStaple"


def serve_once(handler):
    """A server on 127.0.0.1 that runs handler(conn) for one connection; returns its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def run():
        conn, _ = listener.accept()
        try:
            handler(conn)
        except (OSError, hs.LoginError):
            pass
        finally:
            conn.close()
            listener.close()

    threading.Thread(target=run, daemon=True).start()
    return listener.getsockname()[1]


def pg_startup(conn):
    hs._read_exact(conn, 8)  # SSLRequest
    conn.sendall(b"N")
    length = struct.unpack("!I", hs._read_exact(conn, 4))[0]
    params = hs._read_exact(conn, length - 4)[4:].split(b"\0")
    return dict(zip(params[0::2], params[1::2]))


def pg_reject(conn, user):
    fields = b"SFATAL\0C28P01\0Mpassword authentication failed for user \"" + user + b"\"\0\0"
    hs._pg_send(conn, b"E", fields)


def pg_ok(conn):
    hs._pg_send(conn, b"R", struct.pack("!I", 0))
    hs._pg_send(conn, b"Z", b"I")


def scram_server(password):
    def handler(conn):
        params = pg_startup(conn)
        hs._pg_send(conn, b"R", struct.pack("!I", 10) + b"SCRAM-SHA-256\0\0")
        _, initial = hs._pg_read(conn)
        client_first = initial[len(b"SCRAM-SHA-256\0") + 4:].decode()
        client_first_bare = client_first[3:]
        nonce = dict(i.split("=", 1) for i in client_first_bare.split(","))["r"] + "srv"
        salt = os.urandom(16)
        server_first = "r=%s,s=%s,i=4096" % (nonce, base64.b64encode(salt).decode())
        hs._pg_send(conn, b"R", struct.pack("!I", 11) + server_first.encode())
        _, final = hs._pg_read(conn)
        final = final.decode()
        without_proof, _, proof = final.rpartition(",p=")
        salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 4096)
        client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
        stored = hashlib.sha256(client_key).digest()
        auth = ",".join([client_first_bare, server_first, without_proof]).encode()
        signature = hmac.new(stored, auth, hashlib.sha256).digest()
        recovered = bytes(a ^ b for a, b in zip(base64.b64decode(proof), signature))
        if hashlib.sha256(recovered).digest() != stored:
            pg_reject(conn, params[b"user"])
            return
        server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
        verifier = base64.b64encode(hmac.new(server_key, auth, hashlib.sha256).digest())
        hs._pg_send(conn, b"R", struct.pack("!I", 12) + b"v=" + verifier)
        pg_ok(conn)

    return handler


def md5_server(password):
    def handler(conn):
        params = pg_startup(conn)
        salt = os.urandom(4)
        hs._pg_send(conn, b"R", struct.pack("!I", 5) + salt)
        _, answer = hs._pg_read(conn)
        expected = hs.pg_md5_password(params[b"user"].decode(), password, salt).encode() + b"\0"
        pg_ok(conn) if answer == expected else pg_reject(conn, params[b"user"])

    return handler


def mysql_native_server(password):
    def handler(conn):
        nonce = os.urandom(20).replace(b"\0", b"x")
        caps = hs.CLIENT_LONG_PASSWORD | hs.CLIENT_PROTOCOL_41 | hs.CLIENT_SECURE_CONNECTION | hs.CLIENT_PLUGIN_AUTH
        hello = (b"\x0a8.0.40\0" + struct.pack("<I", 7) + nonce[:8] + b"\0" + struct.pack("<H", caps & 0xFFFF)
                 + b"\x21" + struct.pack("<H", 2) + struct.pack("<H", caps >> 16) + bytes([21]) + b"\0" * 10
                 + nonce[8:] + b"\0" + b"mysql_native_password\0")
        hs._my_send(conn, 0, hello)
        seq, response = hs._my_read(conn)
        user_end = response.index(b"\0", 32)
        auth_len = response[user_end + 1]
        auth = response[user_end + 2:user_end + 2 + auth_len]
        if auth == hs.mysql_scramble("mysql_native_password", password, nonce):
            hs._my_send(conn, seq + 1, b"\x00\x00\x00\x02\x00\x00\x00")
        else:
            hs._my_send(conn, seq + 1, b"\xff\x15\x04#28000Access denied for user 'admin'")

    return handler


def pg_cleartext_server(received):
    """Answers the SSLRequest with N, then asks for the password in cleartext; records what comes back."""
    def handler(conn):
        pg_startup(conn)
        hs._pg_send(conn, b"R", struct.pack("!I", 3))
        conn.settimeout(2)
        try:
            received.append(conn.recv(4096))
        except OSError:
            pass

    return handler


def mysql_full_auth_server(received):
    """A caching_sha2_password server without TLS whose cache misses: asks for full authentication."""
    def handler(conn):
        nonce = os.urandom(20).replace(b"\0", b"x")
        caps = hs.CLIENT_LONG_PASSWORD | hs.CLIENT_PROTOCOL_41 | hs.CLIENT_SECURE_CONNECTION | hs.CLIENT_PLUGIN_AUTH
        hello = (b"\x0a8.4.3\0" + struct.pack("<I", 7) + nonce[:8] + b"\0" + struct.pack("<H", caps & 0xFFFF)
                 + b"\x21" + struct.pack("<H", 2) + struct.pack("<H", caps >> 16) + bytes([21]) + b"\0" * 10
                 + nonce[8:] + b"\0" + b"caching_sha2_password\0")
        hs._my_send(conn, 0, hello)
        seq, _ = hs._my_read(conn)
        hs._my_send(conn, seq + 1, b"\x01\x04")
        conn.settimeout(2)
        try:
            received.append(conn.recv(4096))
        except OSError:
            pass

    return handler


class LoginTest(unittest.TestCase):
    def login(self, handler, password, engine):
        port = serve_once(handler)
        credential = {"username": "appadmin", "password": password, "engine": engine, "dbname": "app"}
        return hs.check_login("127.0.0.1:%d" % port, credential, {})

    def test_postgres_scram_sha_256(self):
        self.assertIsNone(self.login(scram_server(PASSWORD), PASSWORD, "postgres"))

    def test_postgres_scram_wrong_password(self):
        problem = self.login(scram_server(PASSWORD), "the-snapshots-password", "postgres")
        self.assertRegex(problem, r'refused the login of appadmin: password authentication failed for user "appadmin"$')

    def test_postgres_md5(self):
        self.assertIsNone(self.login(md5_server(PASSWORD), PASSWORD, "postgres"))
        self.assertRegex(self.login(md5_server(PASSWORD), "wrong", "postgres"), "password authentication failed")

    def test_mysql_native_password(self):
        self.assertIsNone(self.login(mysql_native_server(PASSWORD), PASSWORD, "mysql"))
        self.assertRegex(self.login(mysql_native_server(PASSWORD), "wrong", "mariadb"), "Access denied for user")

    def test_postgres_cleartext_refused_without_tls(self):
        received = []
        problem = self.login(pg_cleartext_server(received), PASSWORD, "postgres")
        self.assertRegex(problem, "asks for the password in cleartext on a connection without TLS: refused")
        self.assertNotIn(PASSWORD.encode(), b"".join(received))

    def test_mysql_caching_sha2_full_authentication_refused_without_tls(self):
        received = []
        problem = self.login(mysql_full_auth_server(received), PASSWORD, "mysql")
        self.assertRegex(problem, "caching_sha2_password full authentication: the server asks for the password in "
                                  "cleartext on a connection without TLS: refused")
        self.assertNotIn(PASSWORD.encode(), b"".join(received))

    def test_health_503_when_the_credential_does_not_match(self):
        port = serve_once(scram_server(PASSWORD))
        env = {"APP_DB_ENDPOINT": "127.0.0.1:%d" % port, "APP_DB_SECRET_ID": "arn:secret", "APP_BUCKET_NAME": "b"}
        fetch = lambda arn, region: {"username": "appadmin", "password": "stale", "engine": "postgres"}  # noqa: E731
        original = hs.check_bucket
        hs.check_bucket = lambda bucket, region: None
        try:
            status, body = hs.health(env, fetch)
        finally:
            hs.check_bucket = original
        self.assertEqual(status, 503)
        self.assertRegex(body["problems"][0], "password authentication failed")

    def test_scram_client_final_matches_rfc_7677_example(self):
        # RFC 7677 section 3: user "user", password "pencil".
        final, server_signature = hs.scram_client_final(
            "pencil",
            "n=user,r=rOprNGfwEbeRWgbNEkqO",
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        )
        self.assertEqual(
            final,
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
        )
        self.assertEqual(server_signature, "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")


if __name__ == "__main__":
    unittest.main()
