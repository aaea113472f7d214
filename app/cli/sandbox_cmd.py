"""`sandbox [--port N] [--latency-ms N] [--rate-limit N] [--fault-rate F]`: serve the sandbox."""

from __future__ import annotations

import argparse
from typing import Any

from app.sandbox.server import run_forever


def register(sub: Any) -> None:
    sandbox = sub.add_parser("sandbox", help="serve the Clockwork sandbox on loopback")
    sandbox.add_argument("--port", type=int, default=8765)
    sandbox.add_argument("--latency-ms", type=float, default=0.0)
    sandbox.add_argument("--rate-limit", type=float, default=None, help="requests/s, then 429")
    sandbox.add_argument("--fault-rate", type=float, default=0.0, help="share of 5xx answers")
    sandbox.add_argument(
        "--inline-details",
        choices=("honour", "ignore", "refuse"),
        default="ignore",
        help="what a person create does with details sent inline",
    )
    sandbox.set_defaults(handler=serve)


def serve(args: argparse.Namespace) -> int:
    run_forever(
        args.port,
        args.latency_ms,
        args.rate_limit,
        args.fault_rate,
        inline_details=args.inline_details,
    )
    return 0
