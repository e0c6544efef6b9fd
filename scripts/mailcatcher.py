"""A development mail catcher: a real SMTP server on loopback that keeps every message.

``scripts/portal up`` starts it in the background and points CKAN's ``smtp.server`` at it, so
invitations, confirmation links, password resets and notifications can be read without a mail
provider. Each accepted message is written, exactly as received, to ``<dir>/<time>-<n>.eml``
(open it with any mail program or a text editor); nothing is ever relayed.

    python scripts/mailcatcher.py --port 1025 --dir .run/mail

No CKAN import: only the standard library and aiosmtpd (pinned in requirements.txt).
"""
from __future__ import annotations

import argparse
import itertools
import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session

DEFAULT_PORT = 1025
# aiosmtpd's own default; messages above it are refused with 552
MAX_MESSAGE_BYTES = 32 * 1024 * 1024


class MailDirHandler:
    """aiosmtpd handler: every message becomes one ``.eml`` file, written atomically."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def _target(self) -> Path:
        with self._lock:
            number = next(self._counter)
        stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
        return self.directory / f"{stamp}-{os.getpid()}-{number:05d}.eml"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8", "surrogateescape")
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self._target()
        partial = target.with_suffix(".part")
        # owner-only: the mails carry sign-in links
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        partial.replace(target)  # a reader never sees half a message
        rcpts = ", ".join(envelope.rcpt_tos)
        print(f"mail to {rcpts}: {target.name}", flush=True)
        return "250 Message accepted for delivery"


def start(directory: Path, host: str = "127.0.0.1", port: int = DEFAULT_PORT) -> Controller:
    """Starts the server in a thread (returned controller: ``.stop()`` ends it)."""
    directory.mkdir(parents=True, exist_ok=True)
    controller = Controller(MailDirHandler(directory), hostname=host, port=port,
                            data_size_limit=MAX_MESSAGE_BYTES)
    controller.start()
    return controller


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="development SMTP server: every mail as .eml")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument("--port", type=int,
                        default=int(os.environ.get("SPLPDEPOK_SMTP_PORT") or DEFAULT_PORT))
    parser.add_argument("--dir", type=Path, default=Path(".run/mail"),
                        help="folder the .eml files go to")
    parser.add_argument("--ready-file", type=Path,
                        help="written once the server listens (for scripts/portal)")
    args = parser.parse_args(argv)
    try:
        controller = start(args.dir, args.host, args.port)
    except OSError as exc:
        print(f"mail catcher cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    print(f"mail catcher on {args.host}:{args.port}, writing to {args.dir}", flush=True)
    if args.ready_file:
        args.ready_file.write_text(f"{os.getpid()}\n")
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()
    if args.ready_file:
        args.ready_file.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
