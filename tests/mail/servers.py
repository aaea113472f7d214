"""Real mail servers on loopback for the mail tests: aiosmtpd for SMTP, pymap for IMAP."""

from __future__ import annotations

import imaplib
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

IMAP_USER, IMAP_PASSWORD = "recruiter@firm.example.com", "imap-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    @property
    def message(self) -> Message:
        return message_from_bytes(self.content)


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps every envelope; `refuse` answers RCPT with 550."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    #: Called with each accepted message before the 250 reply (filing a Sent copy, a crash).
    on_message: Callable[[Received], None] | None = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        received = Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        self.received.append(received)
        if self.on_message is not None:
            self.on_message(received)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if r.message["To"] and address in r.message["To"]]


@contextmanager
def smtp_server(recorder: Recorder, **smtp_options: Any) -> Iterator[tuple[str, int]]:
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **smtp_options)
    controller.start()
    try:
        yield "127.0.0.1", port
    finally:
        controller.stop()


class ImapServer:
    """A pymap process (in-memory backend) with one user, started fresh for a test."""

    def __init__(self) -> None:
        self.host, self.port = "127.0.0.1", free_port()
        command = [
            sys.executable, str(Path(__file__).with_name("pymap_main.py")),
            "--host", self.host, "--port", str(self.port), "--no-tls",
            "dict", "--demo-user", IMAP_USER, "--demo-password", IMAP_PASSWORD,
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._wait_ready()
        with self.client() as imap:
            imap.create("Sent")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with self.client():
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("pymap did not start")

    @contextmanager
    def client(self) -> Iterator[imaplib.IMAP4]:
        imap = imaplib.IMAP4(self.host, self.port, timeout=10)
        try:
            imap.login(IMAP_USER, IMAP_PASSWORD)
            yield imap
        finally:
            # Log out before stopping: pymap waits for open sessions when it shuts down.
            imap.logout()

    def deliver(self, raw: bytes, when: datetime, folder: str = "INBOX") -> None:
        with self.client() as imap:
            typ, _ = imap.append(folder, None, when, raw)
            assert typ == "OK"

    def count(self, folder: str) -> int:
        with self.client() as imap:
            _, data = imap.select(folder, readonly=True)
            return int(data[0] or 0)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
