"""A real IMAP server for the inbound mail tests: dovecot with a throw-away configuration in a temporary
folder (free port, passwd-file login, maildir in the folder), run as the current user. Nothing of the
system's dovecot configuration is read or touched."""

import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.settings import Settings
from tests.support import free_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "support", "imap-secret"
SUPPORT_ADDRESS = "assistenza@sportello.example"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
{ssl}
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
first_valid_uid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = {tls_port}
  }}
}}
"""


def _accounts() -> dict[str, object]:
    """Who the server runs as: the current user; as root, dovecot's own unprivileged users (it refuses to
    serve mail or logins as root)."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid())
        return {"internal_user": me.pw_name, "internal_group": me.pw_name, "login_user": me.pw_name,
                "uid": me.pw_uid, "gid": me.pw_gid}
    mail = pwd.getpwnam("dovecot")
    return {"internal_user": "dovecot", "internal_group": "dovecot", "login_user": "dovenull",
            "uid": mail.pw_uid, "gid": mail.pw_gid}


class Dovecot:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="sportello-dovecot-"))
        self.root.chmod(0o755)  # the unprivileged mail user must reach its maildir
        self.port = free_port()
        accounts = _accounts()
        for folder in ("mail", "home"):
            (self.root / folder).mkdir()
            os.chown(self.root / folder, int(accounts["uid"]), int(accounts["gid"]))  # type: ignore[call-overload]
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        self.tls_port = free_port() if self._make_certificate() else 0
        tls = f"ssl = yes\nssl_cert = <{self.certificate}\nssl_key = <{self.root / 'key.pem'}" if self.tls_port else "ssl = no"
        (self.root / "dovecot.conf").write_text(
            CONFIG.format(root=self.root, port=self.port, tls_port=self.tls_port, ssl=tls, **accounts))
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def certificate(self) -> Path:
        return self.root / "cert.pem"

    def _make_certificate(self) -> bool:
        """A self-signed certificate for 127.0.0.1, for the imaps:// listener (none without the openssl tool)."""
        if shutil.which("openssl") is None:
            return False
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
                        str(self.root / "key.pem"), "-out", str(self.certificate)], check=True, capture_output=True)
        return True

    @property
    def url(self) -> str:
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    @property
    def tls_url(self) -> str:
        return f"imaps://{USER}:{PASSWORD}@127.0.0.1:{self.tls_port}/INBOX"

    def start(self) -> None:
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with imaplib.IMAP4("127.0.0.1", self.port, timeout=2) as client:
                    client.login(USER, PASSWORD)
                    return
            except (OSError, imaplib.IMAP4.error):
                time.sleep(0.1)
        raise RuntimeError(f"dovecot did not start: {(self.root / 'dovecot.log').read_text()}")

    def stop(self) -> None:
        if self.process is not None:
            # the whole process group: the imap process of an open session too, as when the machine goes down
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=15)
            self.process = None
        while True:  # the master is gone; wait until its listener is closed too
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.05)

    def _client(self) -> imaplib.IMAP4:
        client = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def _count(self, client: imaplib.IMAP4) -> int:
        _, data = client.select("INBOX")
        return int(data[0] or 0)

    def append(self, raw: bytes) -> None:
        with self._client() as client:
            status, _ = client.append("INBOX", None, None, raw)
            assert status == "OK"

    def seen(self) -> list[bool]:
        """For every message in the mailbox, in order: whether it carries \\Seen."""
        with self._client() as client:
            if not self._count(client):
                return []
            _, data = client.fetch("1:*", "(FLAGS)")
            return [b"\\Seen" in item for item in data if item]

    def empty(self) -> None:
        with self._client() as client:
            if not self._count(client):
                return
            client.store("1:*", "+FLAGS", "(\\Deleted)")
            client.expunge()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[Dovecot]:
    if not Path(DOVECOT).exists():
        pytest.skip("dovecot is not installed (Debian package dovecot-imapd): the inbound mail tests need it")
    server = Dovecot()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def dovecot(dovecot_server: Dovecot) -> Iterator[Dovecot]:
    if dovecot_server.process is None:  # a test stopped it and failed before starting it again
        dovecot_server.start()
    dovecot_server.empty()
    yield dovecot_server


@pytest.fixture
def inbound_settings(settings: Settings, dovecot: Dovecot) -> Settings:
    return settings.model_copy(update={"inbound_imap_url": dovecot.url, "inbound_address": SUPPORT_ADDRESS,
                                       "inbound_rate_per_hour": 5})
