"""Run the sandbox on a real loopback socket, in a background thread or in the foreground."""

from __future__ import annotations

import logging
import socket
import sys
import threading
import time
from typing import Self, TextIO

import uvicorn

from app.clockwork.credentials import Credentials
from app.clockwork.domain_input import is_loopback_host
from app.errors import InputError
from app.sandbox.app import create_app
from app.sandbox.faults import DroppedConnection
from app.sandbox.knobs import Knobs
from app.sandbox.seed import DEMO_SEED, demo_state
from app.sandbox.state import SandboxState

_START_TIMEOUT = 10.0


class _HideInjectedDrops(logging.Filter):
    """uvicorn logs every exception with a traceback; an injected drop is not news."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, DroppedConnection)


class SandboxServer:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        knobs: Knobs | None = None,
        seed: int = DEMO_SEED,
        state: SandboxState | None = None,
    ) -> None:
        if not is_loopback_host(host):
            # It answers with no real auth on /_sandbox/ and holds demo credentials.
            raise InputError("The Clockwork sandbox only listens on this computer (loopback).")
        self.host = host
        self.port = port
        self.knobs = knobs if knobs is not None else Knobs()
        self.state = state if state is not None else demo_state(seed)
        self.app = create_app(self.state, self.knobs)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def url(self) -> str:
        """The origin to give the client, e.g. http://127.0.0.1:54321."""
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{shown}:{self.port}"

    @property
    def credentials(self) -> Credentials:
        return self.state.credentials

    def start(self) -> Self:
        """Listen, and return once requests are being served."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted sockets inherit this; without it uvicorn's separate header and body
        # writes meet delayed ACKs and every keep-alive request takes about 40 ms.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self._socket = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_config=None,  # leave the app's logging set-up alone
            access_log=False,
            lifespan="off",
            http="h11",
            ws="none",
            loop="asyncio",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="clockwork-sandbox"
        )
        logging.getLogger("uvicorn.error").addFilter(_HIDE_DROPS)
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the Clockwork sandbox did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


_HIDE_DROPS = _HideInjectedDrops()


def environment(server: SandboxServer) -> dict[str, str]:
    """The environment variables that point Escapement at this sandbox."""
    creds = server.credentials
    return {
        "CLOCKWORK_API_URL": server.url,
        "CLOCKWORK_DOMAIN": creds.firm,
        "CLOCKWORK_API_KEY": creds.api_key,
        "CLOCKWORK_SECRET_KEY": creds.secret_key,
        "CLOCKWORK_FIRM_SERVICE_KEY": creds.firm_service_key,
    }


def run_forever(
    port: int = 8765,
    latency_ms: float = 0.0,
    rate_limit: float | None = None,
    fault_rate: float = 0.0,
    *,
    seed: int = DEMO_SEED,
    inline_details: str = "ignore",
    out: TextIO | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Serve until Ctrl-C (or until `stop` is set), for `main.py sandbox`."""
    out = out or sys.stdout
    knobs = Knobs(
        latency_ms=latency_ms,
        rate_limit=rate_limit or None,
        fault_rate=fault_rate,
        inline_details=inline_details,
    )
    with SandboxServer(port=port, knobs=knobs, seed=seed) as server:
        print(
            f"Clockwork sandbox listening on {server.url} (firm {server.credentials.firm})",
            file=out,
        )
        print("These are fake sandbox keys. Point Escapement at it with:", file=out)
        for name, value in environment(server).items():
            print(f"  export {name}={value}", file=out)
        print(f"Journal and knobs: {server.url}/_sandbox/journal, /_sandbox/knobs", file=out)
        out.flush()
        try:
            (stop or threading.Event()).wait()
        except KeyboardInterrupt:
            print("Sandbox stopped.", file=out)
