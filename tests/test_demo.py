"""The sandbox demo behind `make run`: its sequences really send, and only to its own catcher."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from email.utils import parseaddr
from pathlib import Path

import pytest

from app.demo import DEMO_SENDER, SEQUENCES, STEPS, SandboxDemo
from app.errors import InputError
from app.sandbox.mail_catcher import MailCatcher
from app.secrets import ENV_NAMES
from app.workspace import Workspace


@pytest.fixture
async def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[SandboxDemo]:
    for name in ENV_NAMES:  # the demo points the app at its sandbox through the environment
        monkeypatch.setenv(name, "restored-after-the-test")
    running = SandboxDemo.start(str(tmp_path))
    try:
        yield running
    finally:
        running.stop()
        for name in ENV_NAMES:
            os.environ.pop(name, None)


async def test_the_demo_sends_its_first_step_through_its_own_mail_server(
    demo: SandboxDemo,
) -> None:
    ws = Workspace.open(demo.database_url, clockwork_origin=demo.server.url)
    try:
        await demo.prepare(ws)
        first = ws.sequences()[0]
        assert [s.subject for s in ws.mail.steps(first.id)] == [s for s, _b, _d in STEPS]
        cap = ws.mail.settings().daily_cap
        report = await ws.mail.run_once()
    finally:
        await ws.aclose()
        ws.close()
    sent = demo.mail.messages()
    assert report.errors == []
    assert sum(n for _name, _titles, n in SEQUENCES) > cap  # so the pass stops at the cap
    assert report.sent == len(sent) == cap
    assert report.cap_reached
    assert {m["From"] for m in sent} == {DEMO_SENDER}
    assert all(parseaddr(m["To"])[1].endswith(".example.com") for m in sent)
    assert all(m["Message-ID"] for m in sent)
    opening = sent[0]
    assert opening["Subject"].endswith(", a confidential search")
    assert "Hello," not in opening["Subject"]  # every demo contact has a first name
    assert demo.mail.path.parent == Path(demo.database_url.removeprefix("sqlite:///")).parent


def test_the_mail_catcher_listens_on_loopback_only(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="only listens on this computer"):
        MailCatcher(tmp_path / "x.mbox", host="0.0.0.0")
