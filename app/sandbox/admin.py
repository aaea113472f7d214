"""`/_sandbox/...`: journal, stats, knobs and reset. No auth, no knobs applied: test plumbing.

Only ever served on loopback (see server.py).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.errors import InputError
from app.sandbox.faults import FaultPlan
from app.sandbox.state import SandboxState


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
        Route("/journal", journal, methods=["GET"]),
        Route("/stats", stats, methods=["GET"]),
        Route("/knobs", get_knobs, methods=["GET"]),
        Route("/knobs", set_knobs, methods=["POST"]),
        Route("/reset", reset, methods=["POST"]),
    ]
