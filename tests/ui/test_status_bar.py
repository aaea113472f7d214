"""The status bar: the connection (red when it needs attention) and a queue counted sparingly."""

from __future__ import annotations

import time

import pytest
from pytestqt.qtbot import QtBot

from app import events
from app.clockwork.errors import AuthError
from app.mail.types import MAIL_FAILED, MAIL_RUN, RunReport
from app.store.models import ClockworkSettings
from app.workspace import Workspace
from tests.conftest import connect_firm
from tests.ui.conftest import calls, people
from ui.main_window import MainWindow
from ui.status_bar import QUEUE_INTERVAL_MS


def test_the_queue_is_counted_at_most_every_interval(
    window: MainWindow, workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    qtbot.waitUntil(lambda: window.queue_label.text() == "Queue: 0")
    counted = calls(workspace, "queue_status", monkeypatch)
    connect_firm(workspace)
    seq = workspace.create_sequence("Queue")
    started = time.monotonic()
    for i in range(20):  # a sync run reporting progress, contact after contact
        workspace.add_contacts(seq.id, people(1, domain=f"d{i}.example.com"))
        workspace.bus.publish(events.SYNC_PROGRESS, job_id="j")
        qtbot.wait(15)
    elapsed_ms = (time.monotonic() - started) * 1000
    qtbot.wait(QUEUE_INTERVAL_MS + 100)
    assert len(counted) <= elapsed_ms / QUEUE_INTERVAL_MS + 2
    assert window.queue_label.text() == f"Queue: {workspace.queue_status()['outbox_pending']:,}"


def test_rejected_keys_turn_the_connection_red(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    label = window.connection_label
    assert label.property("problem") is False
    connect_firm(workspace, "hartwell")
    with workspace.store.write() as session:  # what a 401 during a sync leaves behind
        settings = session.get_one(ClockworkSettings, workspace.user_id)
        settings.paused_reason = f"{AuthError.title}. {AuthError.default_message}"
    workspace.bus.publish(events.SETTINGS_CHANGED)
    qtbot.waitUntil(lambda: label.text() == "Clockwork rejected the keys (hartwell)")
    assert label.property("problem") is True
    assert "Profile → API Keys" in label.toolTip()


def test_a_mail_pass_shows_and_its_errors_turn_the_mail_item_red(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    item = window.status.mail_label
    assert item.isHidden()  # nothing to say before the first pass
    workspace.bus.publish(MAIL_RUN, **RunReport(sent=3).as_dict())
    qtbot.waitUntil(lambda: item.text().startswith("Mail: checked "))
    assert item.property("problem") is False
    assert not item.isHidden()
    assert "3 sent" in item.toolTip()
    refused = "Not sent to ama@example.com: 451 try later"
    workspace.bus.publish(MAIL_RUN, **RunReport(errors=[refused]).as_dict())
    qtbot.waitUntil(lambda: item.text() == "Mail: needs attention")
    assert item.property("problem") is True
    assert refused in item.toolTip()
    workspace.bus.publish(MAIL_FAILED, title="No keyring", message="Unlock the keyring.")
    qtbot.waitUntil(lambda: "No keyring: Unlock the keyring." in item.toolTip())


def test_a_pass_that_reads_no_replies_says_so_instead_of_checked(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    """SMTP without IMAP: "checked" would let a recruiter believe answers stop sequences."""
    item = window.status.mail_label
    workspace.bus.publish(MAIL_RUN, **RunReport(sent=2, inbox=False).as_dict())
    qtbot.waitUntil(lambda: item.text() == "Mail: replies not read")
    assert "2 sent" in item.toolTip()
    assert "IMAP" in item.toolTip()
    assert "Email pane" in item.toolTip()
    workspace.bus.publish(MAIL_RUN, **RunReport(sent=2).as_dict())
    qtbot.waitUntil(lambda: item.text().startswith("Mail: checked "))


def test_a_pass_without_a_mailbox_says_so_instead_of_checked(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    item = window.status.mail_label
    workspace.bus.publish(MAIL_RUN, **RunReport(mailbox=False).as_dict())
    qtbot.waitUntil(lambda: item.text() == "Mail: not set up")
    assert item.property("problem") is False
    assert "Email pane" in item.toolTip()
    workspace.bus.publish(MAIL_RUN, **RunReport(sent=2).as_dict())
    qtbot.waitUntil(lambda: item.text().startswith("Mail: checked "))
    refused = "Set a from address and an SMTP server before sequences send."
    workspace.bus.publish(MAIL_RUN, **RunReport(mailbox=False, errors=[refused]).as_dict())
    qtbot.waitUntil(lambda: item.text() == "Mail: needs attention")  # errors say more
