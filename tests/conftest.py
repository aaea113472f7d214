"""Shared fixtures: a Workspace on a fresh SQLite file, and offscreen Qt for GUI tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.domain import ContactInput
from app.store.models import ClockworkSettings
from app.workspace import Workspace


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'escapement.db'}"


@pytest.fixture
def workspace(db_url: str) -> Iterator[Workspace]:
    ws = Workspace.open(db_url)
    yield ws
    ws.close()


def connect_firm(ws: Workspace, firm: str = "demo") -> None:
    """Marks the user as connected without the network, for rule tests that need no Clockwork."""
    with ws.store.write() as session:
        settings = session.get(ClockworkSettings, ws.user_id) or ClockworkSettings(
            user_id=ws.user_id
        )
        settings.firm = firm
        session.add(settings)


def people(n: int, domain: str = "example.com") -> list[ContactInput]:
    return [
        ContactInput(
            email=f"person{i}@{domain}",
            first_name=f"First{i}",
            last_name=f"Last{i}",
            company="Acme",
        )
        for i in range(n)
    ]
