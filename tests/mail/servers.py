"""Real mail servers on loopback for the mail tests: aiosmtpd for SMTP, pymap for IMAP, plain
or with certificates from a throwaway CA (trustme)."""

from __future__ import annotations

import asyncio
import imaplib
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

IMAP_USER, IMAP_PASSWORD = "recruiter@firm.example.com", "imap-secret"
SMTP_USER, SMTP_PASSWORD = IMAP_USER, "smtp-secret"
#: The names the loopback servers' certificates are issued for; the tests dial 127.0.0.1.
LOOPBACK = ("localhost", "127.0.0.1")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    #: MAIL FROM asked for SMTPUTF8 (RFC 6531).
    smtputf8: bool = False

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
        received = Received(
            envelope.mail_from,
            list(envelope.rcpt_tos),
            envelope.content,
            bool(envelope.smtp_utf8),
        )
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

    def __init__(
        self, cert: tuple[Path, Path] | None = None, password: str = IMAP_PASSWORD
    ) -> None:
        """`cert`: the certificate chain and key files; pymap then offers STARTTLS (it has no
        implicit TLS: put a `Tap` with TLS in front of it for that)."""
        self.host, self.port, self.password = "127.0.0.1", free_port(), password
        tls = ["--cert", str(cert[0]), "--key", str(cert[1])] if cert else ["--no-tls"]
        command = [
            sys.executable, str(Path(__file__).with_name("pymap_main.py")),
            "--host", self.host, "--port", str(self.port), *tls,
            "dict", "--demo-user", IMAP_USER, "--demo-password", password,
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
        # Plain even when pymap offers STARTTLS: it lets loopback clients log in without it.
        imap = imaplib.IMAP4(self.host, self.port, timeout=10)
        try:
            # AUTHENTICATE PLAIN is UTF-8 (RFC 4616); imaplib's LOGIN is ASCII only.
            imap.authenticate("PLAIN", lambda _: f"\0{IMAP_USER}\0{self.password}".encode())
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


class Authority:
    """A CA (a new one unless given) and the certificate it issued to a loopback server."""

    def __init__(self, *names: str, ca: trustme.CA | None = None) -> None:
        self.ca = ca or trustme.CA()
        self.cert = self.ca.issue_cert(*(names or LOOPBACK))

    def server_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.cert.configure_cert(context)
        return context

    def write(self, folder: Path) -> tuple[Path, Path]:
        """The certificate chain and the key as PEM files, for pymap's --cert and --key."""
        chain, key = folder / "server-chain.pem", folder / "server-key.pem"
        for i, pem in enumerate(self.cert.cert_chain_pems):
            pem.write_to_path(str(chain), append=i > 0)
        self.cert.private_key_pem.write_to_path(str(key))
        return chain, key


@dataclass
class Logins:
    """An aiosmtpd authenticator: SMTP_USER may log in with SMTP_PASSWORD. `encrypted` says,
    for each attempt, whether TLS was on by then."""

    encrypted: list[bool] = field(default_factory=list)

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        # The transport, not session.ssl: aiosmtpd sets that only after STARTTLS.
        self.encrypted.append(server.transport.get_extra_info("ssl_object") is not None)
        given = (auth_data.login, auth_data.password)
        return AuthResult(success=given == (SMTP_USER.encode(), SMTP_PASSWORD.encode()))


class Tap:
    """A relay on loopback to a server that keeps every byte the client sent (`wire`). With
    a context it speaks TLS to the client, as stunnel does in front of a plain server."""

    def __init__(self, target: tuple[str, int], tls: ssl.SSLContext | None = None) -> None:
        self.target, self.wire = target, bytearray()
        self._relays: set[asyncio.Task[Any]] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._server = self._call(asyncio.start_server(self._relay, "127.0.0.1", 0, ssl=tls))
        self.host, self.port = self._server.sockets[0].getsockname()[:2]

    def _call(self, work: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=10)

    async def _relay(self, client_in: asyncio.StreamReader, client_out: Any) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._relays.add(task)
        task.add_done_callback(self._relays.discard)
        server_in, server_out = await asyncio.open_connection(*self.target)
        try:
            await asyncio.gather(
                _pipe(client_in, server_out, self.wire), _pipe(server_in, client_out, None)
            )
        finally:
            client_out.close()
            server_out.close()

    def close(self) -> None:
        self._call(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _shutdown(self) -> None:
        self._server.close()
        for task in list(self._relays):
            task.cancel()
        await asyncio.gather(*self._relays, return_exceptions=True)


async def _pipe(source: asyncio.StreamReader, sink: Any, keep: bytearray | None) -> None:
    # A reset on one side ends the pipe; closing its sink then ends the other direction too.
    with suppress(ConnectionError, ssl.SSLError):
        while data := await source.read(65536):
            if keep is not None:
                keep.extend(data)
            sink.write(data)
            await sink.drain()
    sink.close()


@contextmanager
def smtp_tls_server(
    recorder: Recorder, security: str, authority: Authority, **smtp_options: Any
) -> Iterator[tuple[str, int]]:
    """aiosmtpd with SSL on connect ("ssl"), or insisting on STARTTLS before MAIL ("starttls")."""
    context = authority.server_context()
    if security == "ssl":
        tls: dict[str, Any] = {"ssl_context": context}
    else:
        tls = {"tls_context": context, "require_starttls": True}
    with smtp_server(recorder, **tls, **smtp_options) as address:
        yield address


@contextmanager
def imap_tls_server(
    security: str, authority: Authority, folder: Path
) -> Iterator[tuple[ImapServer, Tap]]:
    """pymap with TLS, and the Tap to dial: for "ssl" the Tap ends TLS in front of a plain
    pymap; for "starttls" pymap offers it and the Tap only relays (and sees ciphertext)."""
    with ExitStack() as stack:
        if security == "ssl":
            imap, tls = ImapServer(), authority.server_context()
        else:
            imap, tls = ImapServer(cert=authority.write(folder)), None
        stack.callback(imap.stop)
        tap = Tap((imap.host, imap.port), tls)
        stack.callback(tap.close)
        yield imap, tap
