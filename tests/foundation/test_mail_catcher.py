"""The development mail catcher (scripts/mailcatcher.py) that ``scripts/portal up`` starts.

It is started as ``scripts/portal`` starts it (a process of its own, on a free loopback port), a
message sent with smtplib must land as one ``.eml`` file with its headers and body intact, and
CKAN's own mailer, configured with the ``smtp.*`` settings ``scripts/portal config`` writes into
the generated ini, must reach it with a password-reset mail whose link is CKAN's reset page.
"""
from __future__ import annotations

import configparser
import email.policy
import os
import smtplib
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest

from tests.support.live_server import free_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv/bin/python"


@dataclass
class Catcher:
    port: int
    folder: Path

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Path]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = sorted(self.folder.glob("*.eml"))
            if len(found) >= count:
                return found
            time.sleep(0.05)
        return sorted(self.folder.glob("*.eml"))


@pytest.fixture
def catcher(tmp_path: Path) -> Iterator[Catcher]:
    port, folder, ready = free_port(), tmp_path / "mail", tmp_path / "ready"
    proc = subprocess.Popen(
        [str(PYTHON), str(ROOT / "scripts/mailcatcher.py"), "--port", str(port),
         "--dir", str(folder), "--ready-file", str(ready)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 20
    while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists(), f"the catcher did not start: {proc.communicate(timeout=5)[0]!r}"
    try:
        yield Catcher(port, folder)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert not ready.exists(), "a stopped catcher leaves no ready file"


def _read(path: Path) -> EmailMessage:
    return BytesParser(EmailMessage, policy=email.policy.default).parsebytes(path.read_bytes())


def test_a_message_sent_with_smtplib_is_kept_intact(catcher: Catcher) -> None:
    message = EmailMessage()
    message["From"] = "Walidata <walidata@depok.go.id>"
    message["To"] = "Pemohon <pemohon@depok.go.id>"
    message["Subject"] = "Pendaftaran diterima — langkah berikutnya"
    message["X-Trace"] = "uji-123"
    message.set_content("Yth. Pemohon,\n\nTautan: https://data.depok.go.id/pendaftaran\n")
    with smtplib.SMTP("127.0.0.1", catcher.port, timeout=10) as smtp:
        smtp.send_message(message)

    files = catcher.wait_for(1)
    assert len(files) == 1 and files[0].suffix == ".eml"
    assert files[0].stat().st_mode & 0o077 == 0, "mails hold sign-in links: owner-only"
    kept = _read(files[0])
    assert kept["Subject"] == "Pendaftaran diterima — langkah berikutnya"
    assert kept["To"] == "Pemohon <pemohon@depok.go.id>"
    assert kept["X-Trace"] == "uji-123"
    body = kept.get_body(preferencelist=("plain",))
    assert body is not None
    # kept as it came over the wire (RFC 5322 CRLF line ends)
    assert body.get_content().replace("\r\n", "\n") == "Yth. Pemohon,\n\nTautan: https://data.depok.go.id/pendaftaran\n"
    assert not list(catcher.folder.glob("*.part")), "no half-written file stays behind"


def _generated_ini(tmp_path: Path, smtp_port: int) -> configparser.RawConfigParser:
    env = dict(os.environ, SPLPDEPOK_RUN_DIR=str(tmp_path / "run"),
               SPLPDEPOK_SMTP_PORT=str(smtp_port))
    subprocess.run(["bash", str(ROOT / "scripts/portal"), "config"], cwd=ROOT, env=env,
                   check=True, capture_output=True, timeout=300)
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.read(tmp_path / "run/ckan.ini")
    return parser


@pytest.mark.usefixtures("clean_db")
def test_ckan_mails_a_password_reset_through_the_generated_config(
    catcher: Catcher, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    test_request_context: Any,
) -> None:
    from ckan.common import config
    from ckan.lib import mailer
    from ckan.tests import factories

    ini = _generated_ini(tmp_path, catcher.port)
    app = ini["app:main"]
    assert app["smtp.server"] == f"127.0.0.1:{catcher.port}"
    assert app["ckan.uploads_enabled"] == "true"
    assert app["ckan.auth.create_user_via_web"] == "true"
    for key in ("smtp.server", "smtp.starttls", "smtp.user", "smtp.password", "smtp.mail_from"):
        value = app.get(key, "")
        monkeypatch.setitem(config, key, value.lower() == "true" if key == "smtp.starttls"
                            else value)

    user = factories.User(name="pemohon-reset", email="pemohon.reset@depok.go.id")
    from ckan import model

    user_obj = model.User.get(user["id"])
    assert user_obj is not None
    with test_request_context():
        mailer.send_reset_link(user_obj)

    files = catcher.wait_for(1)
    assert len(files) == 1
    kept = _read(files[0])
    assert "pemohon.reset@depok.go.id" in str(kept["To"])
    assert app["smtp.mail_from"] in str(kept["From"])
    body = kept.get_body(preferencelist=("plain",))
    assert body is not None
    assert f"/user/reset/{user['id']}?key={user_obj.reset_key}" in body.get_content()


def test_the_catcher_refuses_a_port_already_taken(catcher: Catcher, tmp_path: Path) -> None:
    proc = subprocess.run(
        [str(PYTHON), str(ROOT / "scripts/mailcatcher.py"), "--port", str(catcher.port),
         "--dir", str(tmp_path / "other")], capture_output=True, text=True, timeout=30,
        check=False)
    assert proc.returncode == 1
    assert "cannot listen" in proc.stderr
