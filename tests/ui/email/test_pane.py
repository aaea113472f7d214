"""The Email pane: each setting reaches the mail façade, refusals show beside their field and
keep what was typed, passwords go to the keyring only, and a test email really goes out."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from email.utils import parseaddr

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.domain import ContactInput
from app.errors import InputError
from app.mail.inbox import LEASE
from app.mail.runner import Runner
from app.mail.types import MAIL_FAILED, MAIL_RUN, RunReport, Security
from app.store.models import Enrollment, utcnow
from app.workspace import Workspace
from tests.keyring_fakes import use_keyring
from tests.mail.servers import Recorder, free_port
from tests.mail.test_sender_dns import FakeDns
from tests.ui.conftest import ASYNC_GUI, calls, until
from ui.email.pane import EmailPane
from ui.email.sending_window_editor import SendingWindowEditor, local_zone
from ui.email.server_card import MailServerForm
from ui.runtime.bridge import EventBridge

PENDULUM = "pendulum-7f3a@firm.clockworkrecruiting.example.com"


@pytest.fixture(autouse=True)
def no_dns(workspace: Workspace) -> None:
    """The SPF/DMARC check after a save asks no real name server."""
    workspace.mail.resolver = FakeDns({}, offline=True)


@pytest.fixture
def pane(workspace: Workspace, bridge: EventBridge, qtbot: QtBot) -> EmailPane:
    widget = EmailPane(workspace, bridge)
    qtbot.addWidget(widget)
    widget.resize(1000, 900)
    widget.show()
    qtbot.waitUntil(lambda: widget.snapshot is not None)
    return widget


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    """As a user would: select all, type, leave the field."""
    edit.setFocus()
    edit.selectAll()
    edit.del_()
    qtbot.keyClicks(edit, text)
    edit.editingFinished.emit()


def shown(widget: QLabel) -> str:
    """A label's text as the user reads it (the error labels are rich text)."""
    doc = QTextDocument()
    doc.setHtml(widget.text())
    return doc.toPlainText()


def choose_security(form: MailServerForm, text: str) -> None:
    index = form.security_combo.findText(text)
    form.security_combo.setCurrentIndex(index)
    form.security_combo.activated.emit(index)


def settled(pane: EmailPane) -> bool:
    cards = (pane.sender_card, pane.smtp, pane.imap, pane.schedule, pane.privacy)
    return not any(card.saver.busy for card in cards)


# --- sender ------------------------------------------------------------------------------


def test_from_and_bcc_are_saved_and_their_warnings_follow(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot
) -> None:
    card = pane.sender_card
    assert any("No from address yet" in w for w in card.shown_warnings)
    assert card.warnings_label.isVisible()
    type_into(qtbot, card.from_edit, "Jane Doe <jane@firm.example.com>")
    qtbot.waitUntil(lambda: workspace.mail.settings().from_address == "jane@firm.example.com")
    assert workspace.mail.settings().from_name == "Jane Doe"
    qtbot.waitUntil(lambda: not any("No from address" in w for w in card.shown_warnings))
    assert not any("Pendulum" in w for w in card.shown_warnings)  # no BCC yet
    type_into(qtbot, card.bcc_edit, PENDULUM)
    qtbot.waitUntil(lambda: workspace.email_settings().bcc_address == PENDULUM)
    # The default user's login is not known: Pendulum may ignore the BCC, and the pane says so.
    qtbot.waitUntil(lambda: any("Pendulum" in w for w in card.shown_warnings))
    assert "Pendulum files only mail" in shown(card.warnings_label)
    assert card.from_edit.text() == "Jane Doe <jane@firm.example.com>"
    type_into(qtbot, card.bcc_edit, "none")
    qtbot.waitUntil(lambda: workspace.email_settings().bcc_address is None)
    qtbot.waitUntil(lambda: card.bcc_edit.text() == "")
    assert not any("Pendulum" in w for w in card.shown_warnings)


def test_a_bad_from_or_bcc_is_refused_beside_it_and_the_text_stays(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot
) -> None:
    card = pane.sender_card
    workspace.set_bcc_address(PENDULUM)
    type_into(qtbot, card.from_edit, "Jane Doe <not an address>")
    qtbot.waitUntil(card.from_error.isVisible)
    assert "no usable email address" in shown(card.from_error)
    type_into(qtbot, card.bcc_edit, "pendulum at firm")
    qtbot.waitUntil(card.bcc_error.isVisible)
    assert "is not an email address" in shown(card.bcc_error)
    pane.reload()  # a refresh meanwhile (another change) must not wipe what was typed
    qtbot.waitUntil(lambda: not pane._runner.busy)
    assert card.from_edit.text() == "Jane Doe <not an address>"
    assert card.bcc_edit.text() == "pendulum at firm"
    assert workspace.mail.settings().from_address == ""
    assert workspace.email_settings().bcc_address == PENDULUM
    type_into(qtbot, card.from_edit, "jane@firm.example.com")
    qtbot.waitUntil(lambda: workspace.mail.settings().from_address == "jane@firm.example.com")
    assert card.from_error.isHidden()


# --- servers -----------------------------------------------------------------------------


def test_smtp_save_reaches_the_settings_and_the_password_only_the_keyring(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot
) -> None:
    form = pane.smtp
    assert form.password_edit.echoMode() == QLineEdit.EchoMode.Password
    assert form.password_state.text() == "No password saved"
    qtbot.keyClicks(form.host_edit, "smtp.office365.com")
    qtbot.keyClicks(form.user_edit, "jane@firm.example.com")
    qtbot.keyClicks(form.password_edit, "hunter2-secret")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.saver.busy)
    assert workspace.mail.has_password("smtp")
    smtp = workspace.mail.settings().smtp
    assert (smtp.host, smtp.port, smtp.security, smtp.user) == (
        "smtp.office365.com",
        587,
        Security.STARTTLS,
        "jane@firm.example.com",
    )
    assert form.password_edit.text() == ""
    assert not form.password_edit.isUndoAvailable()  # Ctrl+Z cannot bring it back
    qtbot.waitUntil(lambda: form.password_state.text() == "✓ Saved in the system keyring")
    assert form.forget_button.isVisible()
    with workspace.store.read() as session:  # nowhere in the database
        dump = "\n".join(session.connection().connection.driver_connection.iterdump())
    assert "hunter2-secret" not in dump
    qtbot.mouseClick(form.forget_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not workspace.mail.has_password("smtp"))
    qtbot.waitUntil(lambda: form.password_state.text() == "No password saved")
    assert not form.forget_button.isVisible()


def test_imap_save_and_the_port_follows_the_security_until_typed(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot
) -> None:
    form = pane.imap
    assert (form.security_combo.currentText(), form.port_edit.text()) == ("SSL", "993")
    choose_security(form, "STARTTLS")
    assert form.port_edit.text() == "143"
    assert not form.clear_text_warning.isVisible()
    choose_security(form, "None")
    assert form.clear_text_warning.isVisible()
    assert "in the clear" in form.clear_text_warning.text()
    choose_security(form, "SSL")
    assert form.port_edit.text() == "993"
    form.port_edit.clear()
    qtbot.keyClicks(form.port_edit, "1993")
    choose_security(form, "STARTTLS")
    assert form.port_edit.text() == "1993"  # typed by the user: kept
    qtbot.keyClicks(form.host_edit, "imap.firm.example.com")
    qtbot.keyClicks(form.password_edit, "imap-pass")
    form.save()  # no user name and no from address: whose password is it?
    assert "user name" in shown(form.error_label)
    assert workspace.mail.settings().imap.host == ""
    workspace.mail.set_from("jane@firm.example.com")  # the IMAP login defaults to it
    qtbot.waitUntil(lambda: "jane@firm.example.com" in form.user_edit.placeholderText())
    assert form.host_edit.text() == "imap.firm.example.com"  # the refused text stayed
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not form.saver.busy)
    assert workspace.mail.has_password("imap")
    imap = workspace.mail.settings().imap
    assert (imap.host, imap.port, imap.security, imap.user) == (
        "imap.firm.example.com",
        1993,
        Security.STARTTLS,
        "",
    )
    assert form.password_edit.text() == ""
    qtbot.waitUntil(lambda: form.password_state.text() == "✓ Saved in the system keyring")


def test_a_bad_host_is_refused_inline_and_nothing_typed_is_lost(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot
) -> None:
    form = pane.smtp
    qtbot.keyClicks(form.host_edit, "smtp office365.com")
    qtbot.keyClicks(form.user_edit, "jane@firm.example.com")
    qtbot.keyClicks(form.password_edit, "kept-for-a-retry")
    form.save()
    qtbot.waitUntil(form.error_label.isVisible)
    assert "is not a server name" in shown(form.error_label)
    assert form.save_button.isEnabled()
    pane.reload()
    qtbot.waitUntil(lambda: not pane._runner.busy)
    assert form.host_edit.text() == "smtp office365.com"
    assert form.user_edit.text() == "jane@firm.example.com"
    assert form.password_edit.text() == "kept-for-a-retry"
    assert workspace.mail.settings().smtp.host == ""
    assert not workspace.mail.has_password("smtp")
    form.host_edit.setText("smtp.office365.com")
    form.save()
    qtbot.waitUntil(lambda: workspace.mail.has_password("smtp"))
    assert form.error_label.isHidden()


def test_an_smtp_password_without_a_user_asks_for_the_user(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot
) -> None:
    form = pane.smtp
    qtbot.keyClicks(form.host_edit, "relay.firm.example.com")
    qtbot.keyClicks(form.password_edit, "for-whom")
    form.save()
    assert form.error_label.isVisible()
    assert "user name" in shown(form.error_label)
    assert form.password_edit.text() == "for-whom"
    assert workspace.mail.settings().smtp.host == ""


def test_without_a_keyring_the_password_error_shows_in_the_form(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_keyring(monkeypatch, fail.Keyring())
    form = pane.smtp
    qtbot.keyClicks(form.host_edit, "smtp.office365.com")
    qtbot.keyClicks(form.user_edit, "jane@firm.example.com")
    qtbot.keyClicks(form.password_edit, "nowhere-to-go")
    form.save()
    qtbot.waitUntil(form.error_label.isVisible)
    assert "No secure key storage" in shown(form.error_label)
    assert "SMTP_PASSWORD" in shown(form.error_label)
    assert form.password_edit.text() == "nowhere-to-go"  # not saved, so not cleared either
    # The server was saved: the pane re-reads it and says why no password can be kept.
    qtbot.waitUntil(lambda: "No usable system keyring" in form.password_state.text())
    assert workspace.mail.settings().smtp.host == "smtp.office365.com"
    assert not form.forget_button.isVisible()


# --- schedule and privacy ----------------------------------------------------------------


def test_the_window_editor_writes_what_the_core_reads(qtbot: QtBot) -> None:
    editor = SendingWindowEditor()
    qtbot.addWidget(editor)
    assert editor.text() == "always"
    assert editor.zone_combo.currentText() == local_zone()
    editor.some_hours.setChecked(True)
    assert editor.text() == f"Mon,Tue,Wed,Thu,Fri 09:00-17:00 {local_zone()}"
    editor.day_boxes[2].setChecked(False)
    editor.day_boxes[6].setChecked(True)
    editor.end_edit.setTime(QTime(0, 0))
    editor.zone_combo.setCurrentText("america/new york")
    assert editor.text() == "Mon,Tue,Thu,Fri,Sun 09:00-24:00 America/New_York"
    editor.show_window("Sat-Mon 08:30-24:00 Asia/Tokyo")
    assert [box.isChecked() for box in editor.day_boxes] == [1, 0, 0, 0, 0, 1, 1]
    assert editor.text() == "Mon,Sat,Sun 08:30-24:00 Asia/Tokyo"
    for box in editor.day_boxes:
        box.setChecked(False)
    with pytest.raises(InputError, match="at least one day"):
        editor.text()


def test_the_sending_window_is_saved_and_its_canonical_form_echoed(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot
) -> None:
    card, editor = pane.schedule, pane.schedule.window_editor
    assert editor.any_time.isChecked()
    assert "“always”" in card.window_echo.text()
    editor.some_hours.click()
    qtbot.waitUntil(lambda: workspace.mail.settings().sending_window != "always")
    editor.day_boxes[5].click()  # and Saturday
    editor.start_edit.setTime(QTime(8, 30))
    editor.zone_combo.setCurrentText("Europe/London")
    editor.edited.emit()
    qtbot.waitUntil(
        lambda: workspace.mail.settings().sending_window == "Mon-Sat 08:30-17:00 Europe/London"
    )
    qtbot.waitUntil(lambda: "Mon-Sat 08:30-17:00 Europe/London" in card.window_echo.text())
    editor.any_time.click()
    qtbot.waitUntil(lambda: workspace.mail.settings().sending_window == "always")
    # Changed elsewhere (the CLI): the editor follows.
    workspace.mail.set_sending_window("tue-thu 10:00-16:00 Asia/Tokyo")
    qtbot.waitUntil(lambda: editor.some_hours.isChecked())
    assert [b.isChecked() for b in editor.day_boxes] == [0, 1, 1, 1, 0, 0, 0]
    assert editor.zone_combo.currentText() == "Asia/Tokyo"


def test_a_bad_window_is_refused_inline_and_the_choice_stays(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot
) -> None:
    card, editor = pane.schedule, pane.schedule.window_editor
    editor.some_hours.click()
    qtbot.waitUntil(lambda: workspace.mail.settings().sending_window != "always")
    saved = workspace.mail.settings().sending_window
    editor.zone_combo.setCurrentText("Mars/Olympus")
    editor.edited.emit()
    qtbot.waitUntil(card.window_error.isVisible)
    assert '"Mars/Olympus" is not a time zone' in shown(card.window_error)
    editor.zone_combo.setCurrentText("Europe/Paris")
    editor.end_edit.setTime(QTime(8, 0))  # before the start
    editor.edited.emit()
    assert "must end after it starts" in shown(card.window_error)
    pane.reload()
    qtbot.waitUntil(lambda: not pane._runner.busy)
    assert editor.end_edit.time() == QTime(8, 0)
    assert editor.zone_combo.currentText() == "Europe/Paris"
    assert workspace.mail.settings().sending_window == saved
    editor.end_edit.setTime(QTime(18, 0))
    editor.edited.emit()
    qtbot.waitUntil(
        lambda: workspace.mail.settings().sending_window == "Mon-Fri 09:00-18:00 Europe/Paris"
    )
    qtbot.waitUntil(card.window_error.isHidden)


def test_the_daily_cap_is_saved_and_a_refusal_keeps_the_number(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    spin = pane.schedule.cap_spin
    assert (spin.minimum(), spin.maximum(), spin.value()) == (1, 2000, 200)
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "5000")  # past the cap: the box will not take it
    assert spin.value() == 500
    spin.editingFinished.emit()
    qtbot.waitUntil(lambda: workspace.mail.settings().daily_cap == 500)

    def busy_database(cap: int) -> None:
        raise InputError("The database is busy; try again.", title="Not saved")

    monkeypatch.setattr(workspace.mail, "set_daily_cap", busy_database)
    spin.setValue(750)
    spin.editingFinished.emit()
    qtbot.waitUntil(pane.schedule.cap_error.isVisible)
    assert "Not saved" in shown(pane.schedule.cap_error)
    pane.reload()
    qtbot.waitUntil(lambda: not pane._runner.busy)
    assert spin.value() == 750
    assert workspace.mail.settings().daily_cap == 500


def test_include_body_toggles_the_privacy_setting(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot
) -> None:
    box = pane.privacy.body_box
    assert not box.isChecked()
    assert box.text() == "Copy email bodies into Clockwork notes"
    box.click()
    qtbot.waitUntil(lambda: workspace.mail.settings().include_body_in_notes)
    box.click()
    qtbot.waitUntil(lambda: settled(pane))
    assert not workspace.mail.settings().include_body_in_notes
    workspace.mail.set_include_body(True)  # changed elsewhere: the box follows
    qtbot.waitUntil(box.isChecked)


# --- activity ----------------------------------------------------------------------------


def test_a_mail_pass_updates_the_activity_line_and_errors(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    card = pane.activity
    assert "No mail check yet" in shown(card.run_label)
    rereads = calls(pane, "reload_uncertain", monkeypatch)
    report = RunReport(sent=12, replies=1, deferred=30, outside_window=True)
    workspace.bus.publish(MAIL_RUN, **report.as_dict())
    qtbot.waitUntil(lambda: "12 sent" in shown(card.run_label))
    text = card.run_label.text()
    assert text.startswith("Last check ")
    assert "12 sent, 1 reply, 0 bounces; 30 waiting for the sending window" in text
    assert rereads  # a pass may have found uncertain sends: the list is read again
    assert not card.errors_label.isVisible()
    failing = RunReport(errors=["The IMAP server refused the password."])
    workspace.bus.publish(MAIL_RUN, **failing.as_dict())
    qtbot.waitUntil(card.errors_label.isVisible)
    assert "refused the password" in shown(card.errors_label)
    workspace.bus.publish(MAIL_FAILED, title="No secure key storage", message="No keyring.")
    qtbot.waitUntil(lambda: "could not finish" in shown(card.run_label))
    assert "No secure key storage" in shown(card.errors_label)


class Crash(BaseException):
    """The process dying between SMTP and recording the send."""


async def make_uncertain(
    ws: Workspace, smtp: tuple[str, int], n: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As tests/mail/test_recovery.py does: crash after SMTP, no IMAP, and a lease run out."""
    ws.mail.set_from("Rita Recruiter <rita@firm.example.com>")
    ws.mail.set_smtp(smtp[0], smtp[1], security="none")
    seq = ws.create_sequence("CFO search")
    ws.mail.add_step(seq.id, subject="A CFO role", body="Hi {first_name}")
    ws.add_contacts(
        seq.id, [ContactInput(f"person{i}@contacts.example.com", f"P{i}") for i in range(n)]
    )

    def crash(*_args: object) -> None:
        raise Crash

    # Each crash runs on a loop of its own in a plain thread: qasync's executor threads do
    # not survive a BaseException, and this one stands for the process dying.
    crashed: list[BaseException] = []

    def crashing_pass() -> None:
        try:
            asyncio.run(ws.mail.run_once())
        except Crash as exc:
            crashed.append(exc)

    with monkeypatch.context() as patch:
        patch.setattr(Runner, "_settle", crash)
        for i in range(n):
            thread = threading.Thread(target=crashing_pass)
            thread.start()
            await until(lambda t=thread: not t.is_alive(), what="a crashing mail pass")
            assert len(crashed) == i + 1
    later = utcnow() + LEASE + timedelta(minutes=1)
    monkeypatch.setattr(ws.mail, "clock", lambda: later)
    assert (await ws.mail.run_once()).uncertain == n


@ASYNC_GUI
async def test_uncertain_emails_are_listed_and_resolved(
    workspace: Workspace,
    bridge: EventBridge,
    qtbot: QtBot,
    smtp: tuple[str, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pane = EmailPane(workspace, bridge)
    qtbot.addWidget(pane)
    pane.show()
    listing = pane.uncertain
    await until(lambda: pane.snapshot is not None)
    assert listing.empty_label.isVisible()
    assert not listing.explanation.isVisible()
    await make_uncertain(workspace, smtp, 2, monkeypatch)
    await until(lambda: len(listing.rows) == 2, what="two uncertain rows after mail.run")
    assert not listing.empty_label.isVisible()
    assert "Sent folder" in listing.explanation.text()
    first, second = (s.enrollment_id for s in workspace.mail.uncertain())
    listing.rows[first].sent_button.click()
    await until(lambda: len(listing.rows) == 1)
    assert [s.enrollment_id for s in workspace.mail.uncertain()] == [second]
    listing.rows[second].again_button.click()
    await until(lambda: not listing.rows)
    assert workspace.mail.uncertain() == []
    assert listing.empty_label.isVisible()
    with workspace.store.read() as session:
        states = {e.id: (e.next_step, e.send_state) for e in session.scalars(select(Enrollment))}
    assert states == {first: (1, None), second: (0, None)}  # recorded; due again


# --- test email --------------------------------------------------------------------------


@ASYNC_GUI
async def test_send_test_email_reaches_a_real_smtp_server(
    workspace: Workspace,
    bridge: EventBridge,
    qtbot: QtBot,
    smtp: tuple[str, int],
    recorder: Recorder,
) -> None:
    workspace.mail.set_from("Rita Recruiter <rita@firm.example.com>")
    workspace.mail.set_smtp(smtp[0], smtp[1], security="none")
    pane = EmailPane(workspace, bridge)
    qtbot.addWidget(pane)
    pane.show()
    row = pane.send_test
    await until(lambda: "rita@firm.example.com" in row.to_edit.placeholderText())
    row.send_button.click()
    assert not row.send_button.isEnabled()
    assert row.send_button.text() == "Sending…"
    await until(lambda: not row.action.busy)
    assert row.send_button.isEnabled()
    assert shown(row.result_label) == (
        "Sent to rita@firm.example.com. Check that it arrived, and not as spam."
    )
    assert row.result_label.objectName() == "successLabel"
    [got] = recorder.received
    assert got.rcpt_tos == ["rita@firm.example.com"]
    assert got.message["Subject"] == "Escapement test email"
    row.to_edit.setText("colleague@firm.example.com")
    row.send()
    await until(lambda: len(recorder.received) == 2)
    assert parseaddr(recorder.received[1].message["To"])[1] == "colleague@firm.example.com"
    await until(lambda: "colleague@firm.example.com" in shown(row.result_label))


@ASYNC_GUI
async def test_send_test_email_failure_is_shown_inline(
    workspace: Workspace, bridge: EventBridge, qtbot: QtBot
) -> None:
    pane = EmailPane(workspace, bridge)
    qtbot.addWidget(pane)
    pane.show()
    row = pane.send_test
    row.send()
    await until(lambda: not row.action.busy and row.result_label.isVisible())
    assert "Set a from address and an SMTP server first" in shown(row.result_label)
    workspace.mail.set_from("rita@firm.example.com")
    workspace.mail.set_smtp("127.0.0.1", free_port(), security="none")  # nothing listens
    row.send()
    await until(lambda: not row.action.busy and "Could not reach" in shown(row.result_label))
    assert row.result_label.objectName() == "errorLabel"
    assert "Mail server problem" in shown(row.result_label)
    assert row.send_button.isEnabled()
    row.to_edit.setText("not an address")
    row.send()  # refused by the core's own parser (send_test), before any connection
    await until(lambda: not row.action.busy and row.result_label.isVisible())
    assert shown(row.result_label) == (
        'Invalid input\nThe test address: "not an address" is not an email address.'
    )
    pane.smtp.host_edit.setText("smtp.elsewhere.example.com")
    pane.smtp.dirty = True
    row.to_edit.clear()
    row.send()
    assert "Save the SMTP settings first" in shown(row.result_label)
