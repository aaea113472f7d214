"""Mail servers that take XOAUTH2 only and check each token with the authorization server:
aiosmtpd with an XOAUTH2 mechanism (PLAIN and LOGIN switched off), and for IMAP a small
front on loopback that answers CAPABILITY and AUTHENTICATE XOAUTH2 itself, then logs in to
pymap (tests/mail/servers.py) for the client and relays the session byte for byte.

Both answer a refused token as Gmail does: a JSON challenge, then, after the client's empty
line, the failure (SMTP 535, IMAP NO).
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.smtp import AuthResult

from tests.mail.servers import (
    IMAP_PASSWORD,
    IMAP_USER,
    Authority,
    ImapServer,
    Recorder,
    smtp_tls_server,
)

Verify = Callable[[str, str], bool]
_FAILURE = base64.b64encode(
    json.dumps({"status": "401", "schemes": "Bearer", "scope": "mail"}).encode()
)


def parse_sasl(blob: bytes) -> tuple[str, str] | None:
    """(user, token) from `user=...^Aauth=Bearer ...^A^A`, or None."""
    parts = dict(p.split("=", 1) for p in blob.decode("utf-8", "replace").split("\x01") if "=" in p)
    auth = parts.get("auth", "")
    if "user" not in parts or not auth.startswith("Bearer "):
        return None
    return parts["user"], auth.removeprefix("Bearer ")


@dataclass
class XOAuth2Recorder(Recorder):
    """The SMTP handler: XOAUTH2 checked with `verify`; MAIL needs a login (auth_required)."""

    verify: Verify = field(default=lambda user, token: False)
    logins: list[bool] = field(default_factory=list)

    async def auth_XOAUTH2(self, server: Any, args: list[str]) -> AuthResult:
        blob = base64.b64decode(args[1]) if len(args) > 1 else await server.challenge_auth("")
        given = parse_sasl(blob) if isinstance(blob, bytes) else None
        ok = given is not None and self.verify(*given)
        self.logins.append(ok)
        if not ok:
            await server.challenge_auth(_FAILURE, encode_to_b64=False)
        return AuthResult(success=ok, handled=False)


@contextmanager
def xoauth2_smtp(recorder: XOAuth2Recorder, authority: Authority) -> Iterator[tuple[str, int]]:
    """STARTTLS, then XOAUTH2, as smtp.office365.com:587 does."""
    with smtp_tls_server(
        recorder,
        "starttls",
        authority,
        auth_required=True,
        auth_exclude_mechanism=["LOGIN", "PLAIN"],
    ) as address:
        yield address


class XOAuth2Imap:
    """The IMAP front. `logins` records each AUTHENTICATE's outcome."""

    def __init__(self, backend: ImapServer, verify: Verify) -> None:
        self.backend, self.verify = backend, verify
        self.logins: list[bool] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._tasks: set[asyncio.Task[Any]] = set()
        self._server = self._call(asyncio.start_server(self._session, "127.0.0.1", 0))
        self.host, self.port = self._server.sockets[0].getsockname()[:2]

    def _call(self, work: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=10)

    async def _session(self, reader: asyncio.StreamReader, writer: Any) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        try:
            writer.write(b"* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2 LOGINDISABLED] front ready\r\n")
            while line := await reader.readline():
                tag, _, rest = line.decode().rstrip("\r\n").partition(" ")
                command, _, arg = rest.partition(" ")
                if command.upper() == "CAPABILITY":
                    writer.write(b"* CAPABILITY IMAP4rev1 AUTH=XOAUTH2 LOGINDISABLED\r\n")
                    writer.write(f"{tag} OK done\r\n".encode())
                elif command.upper() == "AUTHENTICATE" and arg.upper() == "XOAUTH2":
                    if await self._authenticate(tag, reader, writer):
                        await self._relay(reader, writer)
                        return
                elif command.upper() == "LOGOUT":
                    writer.write(f"* BYE\r\n{tag} OK bye\r\n".encode())
                    return
                else:
                    writer.write(f"{tag} NO only CAPABILITY and AUTHENTICATE XOAUTH2\r\n".encode())
                await writer.drain()
        finally:
            writer.close()
            with suppress(ConnectionError):
                await writer.wait_closed()

    async def _authenticate(self, tag: str, reader: asyncio.StreamReader, writer: Any) -> bool:
        writer.write(b"+ \r\n")
        await writer.drain()
        given = parse_sasl(base64.b64decode((await reader.readline()).strip() or b""))
        ok = given is not None and self.verify(*given) and given[0] == IMAP_USER
        self.logins.append(ok)
        if ok:
            writer.write(f"{tag} OK AUTHENTICATE completed\r\n".encode())
            return True
        writer.write(b"+ " + _FAILURE + b"\r\n")
        await writer.drain()
        await reader.readline()  # the client's empty answer
        writer.write(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n".encode())
        return False

    async def _relay(self, client_in: asyncio.StreamReader, client_out: Any) -> None:
        server_in, server_out = await asyncio.open_connection(self.backend.host, self.backend.port)
        await server_in.readline()  # pymap's greeting
        server_out.write(f'x0 LOGIN "{IMAP_USER}" "{IMAP_PASSWORD}"\r\n'.encode())
        while not (await server_in.readline()).startswith(b"x0 "):
            pass
        await client_out.drain()
        try:
            await asyncio.gather(_pipe(client_in, server_out), _pipe(server_in, client_out))
        finally:
            server_out.close()
            with suppress(ConnectionError):
                await server_out.wait_closed()

    def close(self) -> None:
        self._call(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _shutdown(self) -> None:
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


async def _pipe(source: asyncio.StreamReader, sink: Any) -> None:
    with suppress(ConnectionError):
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
    sink.close()
