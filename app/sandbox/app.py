"""The sandbox as one ASGI app: the Clockwork API under /v3.0 and admin under /_sandbox."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Mount

from app.clockwork.endpoints import API_VERSION_PREFIX
from app.sandbox.admin import admin_routes
from app.sandbox.api import SandboxApi
from app.sandbox.faults import FaultPlan
from app.sandbox.knobs import Knobs
from app.sandbox.state import SandboxState


def create_app(state: SandboxState, knobs: Knobs | None = None) -> Starlette:
    """Serve `state`; `knobs` may be changed while it runs (in process or over HTTP)."""
    faults = FaultPlan(knobs if knobs is not None else Knobs())
    app = Starlette(
        routes=[
            Mount("/_sandbox", routes=admin_routes(state, faults)),
            Mount(f"/{API_VERSION_PREFIX}", app=SandboxApi(state, faults)),
        ]
    )
    app.state.sandbox = state
    app.state.faults = faults
    return app
