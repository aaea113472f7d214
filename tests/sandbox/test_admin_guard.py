"""The sandbox's admin endpoints answer loopback Host names only, and POSTs only in JSON."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from app.sandbox.admin import is_loopback_host
from app.sandbox.app import create_app
from app.sandbox.knobs import Knobs
from app.sandbox.seed import demo_state


@pytest.fixture
async def http() -> AsyncIterator[tuple[httpx.AsyncClient, Knobs]]:
    knobs = Knobs()
    transport = httpx.ASGITransport(app=create_app(demo_state(), knobs))
    async with httpx.AsyncClient(transport=transport) as client:
        yield client, knobs


@pytest.mark.parametrize(
    "host",
    ["evil.example.com", "attacker.test:8080", "127.0.0.1.nip.io", "localhost.evil.com", ""],
)
async def test_a_foreign_host_is_refused(http: tuple[httpx.AsyncClient, Knobs], host: str) -> None:
    client, knobs = http
    for method, path in (
        ("GET", "journal"),
        ("GET", "knobs"),
        ("POST", "knobs"),
        ("POST", "reset"),
    ):
        response = await client.request(
            method,
            f"http://localhost/_sandbox/{path}",
            headers={"host": host},
            json={"fault_rate": 1.0} if method == "POST" else None,
        )
        assert response.status_code == 403, (method, path, host)
    assert knobs.fault_rate == 0.0


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
async def test_a_post_that_is_not_json_is_refused(
    http: tuple[httpx.AsyncClient, Knobs], content_type: str | None
) -> None:
    client, knobs = http
    headers = {"content-type": content_type} if content_type else {}
    for path in ("knobs", "reset"):
        response = await client.post(
            f"http://127.0.0.1:8000/_sandbox/{path}",
            content=b'{"fault_rate": 1.0}',
            headers=headers,
        )
        assert response.status_code == 415
    assert knobs.fault_rate == 0.0


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("localhost", True),
        ("LOCALHOST:5000", True),
        ("127.0.0.1", True),
        ("127.1.2.3:80", True),
        ("[::1]:8000", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("10.0.0.1", False),
        ("[::ffff:10.0.0.1]", False),
        ("example.com", False),
        ("localhost.example.com", False),
    ],
)
def test_loopback_host_names(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback
