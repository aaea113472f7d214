"""A real crash: `mail run-once` killed with SIGKILL while the SMTP server holds a message it
has not yet acknowledged. The next run finds that message in Sent and sends nothing twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update

from app.mail.facade import MailFacade
from app.mail.types import SendState
from app.secrets import SecretStore
from app.store.models import Enrollment
from app.workspace import Workspace
from tests.mail.conftest import people, three_steps
from tests.mail.servers import IMAP_PASSWORD, IMAP_USER, ImapServer, Received, Recorder

ROOT = Path(__file__).resolve().parents[2]
KILL_AT = 3


def prepare(db_url: str, smtp: tuple[str, int], imap: ImapServer) -> None:
    with Workspace.open(db_url) as ws:
        mail = MailFacade(ws.store, ws.bus, ws.user_id, secrets=SecretStore())
        mail.set_from(f"Rita <{IMAP_USER}>")
        mail.set_smtp(*smtp, security="none")
        mail.set_imap(imap.host, imap.port, security="none")
        mail.set_pacing("off")
        ws.add_contacts(three_steps(ws, mail), people(5))


def run_once(db_url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "IMAP_PASSWORD": IMAP_PASSWORD, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--database-url",
            db_url,
            "mail",
            "run-once",
            "--json",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_kill_9_mid_send_never_double_sends(
    tmp_path: Path, recorder: Recorder, smtp: tuple[str, int], imap: ImapServer
) -> None:
    db_url = f"sqlite:///{tmp_path / 'kill.db'}"
    prepare(db_url, smtp, imap)
    worker: list[subprocess.Popen[str]] = []

    def file_copy_then_die(received: Received) -> None:
        imap.deliver(received.content, datetime.now(UTC), folder="Sent")  # as Gmail would
        if len(recorder.received) == KILL_AT:
            worker[0].send_signal(signal.SIGKILL)
            worker[0].wait()  # dead before the server's "250" could reach it

    recorder.on_message = file_copy_then_die
    worker.append(run_once(db_url))
    _, err = worker[0].communicate(timeout=60)
    assert worker[0].returncode == -signal.SIGKILL, err
    assert len(recorder.received) == KILL_AT

    with Workspace.open(db_url) as ws, ws.store.write() as session:
        # The restart comes later, after another run could still have been at work.
        changed = session.execute(
            update(Enrollment)
            .where(Enrollment.send_state == SendState.SENDING.value)
            .values(send_started_at=datetime.now(UTC) - timedelta(hours=1))
        )
        assert changed.rowcount == 1  # type: ignore[attr-defined]
    recorder.on_message = None
    again = run_once(db_url)
    out, err = again.communicate(timeout=60)
    assert again.returncode == 0, err
    assert '"confirmed": 1' in out
    assert '"sent": 2' in out
    recipients = sorted(r.rcpt_tos[0] for r in recorder.received)
    assert recipients == sorted(c.email for c in people(5))
