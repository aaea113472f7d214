"""`/_sandbox/...`: journal, stats, knobs and reset. No auth, no knobs applied: test plumbing.

Only ever served on loopback (see server.py). A web page the user visits can still reach
loopback, so every admin request must name a loopback host (a DNS-rebinding page's requests
carry its own host name) and every POST must be JSON (a page cannot send that cross-origin
without a CORS preflight, which this app never grants).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from app.errors import InputError
from app.sandbox.faults import FaultPlan
from app.sandbox.state import SandboxState

Endpoint = Callable[[Request], Awaitable[Response]]
_LOOPBACK_NAMES = ("localhost", "localhost.")


def is_loopback_host(header: str) -> bool:
    """A Host header naming loopback: localhost, 127.0.0.0/8 or [::1], with any port."""
    host = header.strip().lower()
    if host.startswith("["):
        host = host[1 : host.find("]")] if "]" in host else ""
    elif host.count(":") == 1:
        host = host.rsplit(":", 1)[0]
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def guarded(endpoint: Endpoint) -> Endpoint:
    async def check(request: Request) -> Response:
        if not is_loopback_host(request.headers.get("host", "")):
            return JSONResponse(
                {"error": "forbidden", "message": "Admin answers loopback host names only."}, 403
            )
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if request.method == "POST" and media != "application/json":
            return JSONResponse(
                {"error": "unsupported_media_type", "message": "Send application/json."}, 415
            )
        return await endpoint(request)

    return check


def admin_routes(state: SandboxState, faults: FaultPlan) -> list[Route]:
    knobs = faults.knobs

    async def journal(request: Request) -> JSONResponse:
        since = int(request.query_params.get("since", "0") or 0)
        entries = [e.as_dict() for e in state.journal.entries() if e.seq > since]
        return JSONResponse({"journal": entries})

    async def stats(request: Request) -> JSONResponse:
        return JSONResponse(state.stats())

    async def get_knobs(request: Request) -> JSONResponse:
        return JSONResponse(knobs.as_dict())

    async def set_knobs(request: Request) -> JSONResponse:
        try:
            changes = await request.json()
            if not isinstance(changes, dict):
                raise InputError("Send the knobs as a JSON object.")
            knobs.update(changes)
        except ValueError:
            return JSONResponse({"error": "bad_request", "message": "Body is not JSON."}, 400)
        except InputError as exc:
            return JSONResponse({"error": "bad_request", "message": exc.message}, 400)
        return JSONResponse(knobs.as_dict())

    async def reset(request: Request) -> JSONResponse:
        state.reset()
        faults.reset()
        return JSONResponse(state.stats())

    return [
        Route("/journal", guarded(journal), methods=["GET"]),
        Route("/stats", guarded(stats), methods=["GET"]),
        Route("/knobs", guarded(get_knobs), methods=["GET"]),
        Route("/knobs", guarded(set_knobs), methods=["POST"]),
        Route("/reset", guarded(reset), methods=["POST"]),
    ]
