"""The loopback redirect of RFC 8252 (7.3): a listener on a free port of this computer that
takes exactly one redirect from the browser and then closes.

The redirect URI says `localhost`, as the Entra and Google registrations expect, so the
listener answers on 127.0.0.1 and, when the machine has IPv6, on ::1 with the same port:
a browser may resolve localhost to either.
"""

from __future__ import annotations

import select
import socket
import threading
import time
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, HTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from app.mail.oauth.token_endpoint import SignInFailed

#: A sign-in nobody finishes ends after this long.
TIMEOUT_S = 300.0
PATH = "/"
_DONE_PAGE = (
    b"<!doctype html><meta charset=utf-8><title>Escapement</title>"
    b"<p style='font:16px sans-serif'>%s You can close this tab and return to Escapement.</p>"
)


class SignInCancelled(SignInFailed):
    title = "Sign-in cancelled"


class _Server(HTTPServer):
    #: The query of the one redirect, once it came.
    query: str | None = None


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != PATH or self.server.query is not None:
            # The browser's favicon request and the like: not the redirect.
            self.send_error(404)
            return
        self.server.query = parts.query
        fields = parse_qs(parts.query)
        message = b"Signed in." if "code" in fields else b"Sign-in did not finish."
        body = _DONE_PAGE % message
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the request line carries the authorization code."""


class LoopbackListener:
    def __init__(self) -> None:
        self._servers: list[_Server] = [_Server(("127.0.0.1", 0), _Handler)]
        self.port = int(self._servers[0].server_address[1])
        with suppress(OSError):  # no IPv6 here, or the port is taken on ::1
            self._servers.append(_Server6(("::1", self.port), _Handler))
        self.redirect_uri = f"http://localhost:{self.port}{PATH}"

    def __enter__(self) -> LoopbackListener:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        for server in self._servers:
            server.server_close()
        self._servers = []

    def wait(self, stop: threading.Event, timeout_s: float = TIMEOUT_S) -> str:
        """The query string of the one redirect; the listener is closed when this returns."""
        deadline = time.monotonic() + timeout_s
        try:
            while True:
                if stop.is_set():
                    raise SignInCancelled("Sign-in was cancelled.")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise SignInFailed(
                        f"Nobody finished signing in within {round(timeout_s / 60)} minutes: "
                        "start again when you are ready."
                    )
                ready, _, _ = select.select(self._servers, [], [], min(remaining, 0.2))
                for server in ready:
                    server.handle_request()
                    if server.query is not None:
                        return server.query
        finally:
            self.close()
