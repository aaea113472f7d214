"""One source of truth for the last mail pass: the Activity card and the status bar agree,
even when the pass ran before the Email pane was first opened, and the card lists what went."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.mail.types import MAIL_FAILED, MAIL_RUN, RunReport
from app.workspace import Workspace
from ui.email import text as words
from ui.main_window import MainWindow

SENT = [f"person{i}@example.com — Hello (step 1)" for i in range(7)]


def test_a_pass_before_the_pane_opened_shows_in_both_places_alike(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    assert not window._email.built
    workspace.bus.publish(MAIL_RUN, **RunReport(sent=7, sent_emails=SENT).as_dict())
    qtbot.waitUntil(lambda: window.status.mail_label.text().startswith("Mail: checked "))
    at = window.status.mail_label.text().removeprefix("Mail: checked ")
    window.show_pane("Email")  # built now, after the pass
    card = window.email_pane.activity
    assert card.run_label.text() != words.NO_RUN_YET
    assert card.run_label.text().startswith(f"Last check {at}: 7 sent")
    assert not card.sent_label.isHidden()
    assert card.sent_label.text() == ("Sent: " + "; ".join(SENT[:5]) + "; and 2 more.")


def test_a_failed_pass_reads_the_same_in_both(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    window.show_pane("Email")
    card = window.email_pane.activity
    workspace.bus.publish(MAIL_FAILED, title="No keyring", message="Unlock the keyring.")
    qtbot.waitUntil(lambda: window.status.mail_label.text() == "Mail: needs attention")
    qtbot.waitUntil(lambda: "could not finish" in card.run_label.text())
    at = window.status.mail_label.toolTip().split("Mail pass at ")[1][:5]
    assert card.run_label.text() == f"Last check {at} could not finish:"
    assert "Unlock the keyring." in card.errors_label.text()
    assert card.sent_label.isHidden()


def test_a_pass_without_a_mailbox_reads_the_same_in_both(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    window.show_pane("Email")
    card = window.email_pane.activity
    workspace.bus.publish(MAIL_RUN, **RunReport(mailbox=False).as_dict())
    qtbot.waitUntil(lambda: window.status.mail_label.text() == "Mail: not set up")
    qtbot.waitUntil(lambda: "no mailbox is set up" in card.run_label.text())
    assert card.run_label.text().startswith("Last check ")


def test_a_pass_that_reads_no_replies_counts_none(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    """No "0 replies" when nothing could have been read."""
    window.show_pane("Email")
    card = window.email_pane.activity
    workspace.bus.publish(MAIL_RUN, **RunReport(sent=3, inbox=False).as_dict())
    qtbot.waitUntil(lambda: "3 sent" in card.run_label.text())
    assert "replies and bounces not read (no IMAP server)" in card.run_label.text()
    assert "0 replies" not in card.run_label.text()


def test_a_pass_that_names_no_sends_shows_no_empty_list(
    window: MainWindow, workspace: Workspace, qtbot: QtBot
) -> None:
    window.show_pane("Email")
    card = window.email_pane.activity
    workspace.bus.publish(MAIL_RUN, **RunReport(sent=9).as_dict())
    qtbot.waitUntil(lambda: "9 sent" in card.run_label.text())
    assert card.sent_label.isHidden()  # it read "Sent: ; and 9 more."
