"""An SMTP server on loopback that keeps what it is given: the demo's outgoing mail server.

`make run` sends real sequence emails through real SMTP, so the whole path (window, cap,
Message-IDs, the BCC in the envelope, activity notes) is the one a firm's server would see.
Nothing leaves this computer: each message is appended to an mbox file in the demo folder,
with the envelope's recipients (the BCC among them) in an X-Envelope-To header.
"""

from __future__ import annotations

import mailbox
import socket
import threading
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any, Self

from aiosmtpd.controller import Controller

from app.clockwork.domain_input import is_loopback_host
from app.errors import InputError


class _Keeper:
    """aiosmtpd's handler: DATA appends the message to the mbox before answering 250."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content)
        message["X-Envelope-From"] = envelope.mail_from
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self._lock:
            box = mailbox.mbox(self.path)
            try:
                box.add(message)
                box.flush()
            finally:
                box.close()
        return "250 Kept on this computer"


class MailCatcher:
    def __init__(self, path: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        if not is_loopback_host(host):
            raise InputError("The demo's mail server only listens on this computer (loopback).")
        self.path = path
        self.host = host
        self._keeper = _Keeper(path)
        self._controller = Controller(self._keeper, hostname=host, port=port)

    @property
    def port(self) -> int:
        return int(self._controller.port)

    def start(self) -> Self:
        # Port 0 is not allowed by aiosmtpd's start-up probe: ask the OS for a free one first.
        if self._controller.port == 0:
            self._controller.port = _free_port(self.host)
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def messages(self) -> list[Message]:
        """What was sent so far, oldest first."""
        if not self.path.exists():
            return []
        box = mailbox.mbox(self.path)
        try:
            return list(box)
        finally:
            box.close()


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])
