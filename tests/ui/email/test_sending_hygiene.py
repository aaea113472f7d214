"""The Email pane's sending hygiene: pacing and the per-domain cap saved from the schedule
card, the SPF/DMARC check after a from or SMTP save (off the GUI thread), the pass summary's
new counts, the failed-emails list, and the clear-text warning after a server save."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.api import MailRun
from app.domain import ContactInput
from app.mail.types import MAIL_RUN, RunReport
from app.store.models import Enrollment, utcnow
from app.workspace import Workspace
from tests.mail.test_sender_dns import FakeDns
from tests.ui.conftest import ASYNC_GUI, until
from tests.ui.email.test_pane import choose_security, shown, type_into
from ui.email.pane import EmailPane
from ui.runtime.bridge import EventBridge

FROM = "Rita Recruiter <rita@northbridge-search.co.uk>"


class ThreadNoting(FakeDns):
    """Notes which thread asked: the DNS check must never block the GUI."""

    def __init__(self, records: dict[tuple[str, str], list[str]], offline: bool = False):
        super().__init__(records, offline)
        self.threads: set[int] = set()

    def txt(self, name: str) -> list[str]:
        self.threads.add(threading.get_ident())
        return super().txt(name)


@pytest.fixture
def dns(workspace: Workspace) -> ThreadNoting:
    fake = ThreadNoting({})
    workspace.mail.resolver = fake
    return fake


@pytest.fixture
def pane(workspace: Workspace, bridge: EventBridge, qtbot: QtBot, dns: ThreadNoting) -> EmailPane:
    widget = EmailPane(workspace, bridge)
    qtbot.addWidget(widget)
    widget.resize(1000, 900)
    widget.show()
    qtbot.waitUntil(lambda: widget.snapshot is not None)
    return widget


def test_pacing_is_read_and_saved(pane: EmailPane, workspace: Workspace, qtbot: QtBot) -> None:
    row = pane.schedule.pacing_row
    assert workspace.mail.hygiene().pacing == "30-90"
    assert row.check.isChecked()
    assert (row.min_spin.value(), row.max_spin.value()) == (30, 90)
    row.check.click()
    qtbot.waitUntil(lambda: workspace.mail.hygiene().pacing == "off")
    assert not row.min_spin.isEnabled()
    row.check.click()
    row.min_spin.setValue(10)
    row.max_spin.setValue(20)
    row.max_spin.editingFinished.emit()
    qtbot.waitUntil(lambda: workspace.mail.hygiene().pacing == "10-20")


def test_a_pause_that_ends_before_it_starts_is_refused_beside_it(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot
) -> None:
    row, error = pane.schedule.pacing_row, pane.schedule.pacing_error
    row.min_spin.setValue(120)
    row.max_spin.setValue(60)
    row.max_spin.editingFinished.emit()
    qtbot.waitUntil(error.isVisible)
    assert "0 <= MIN <= MAX" in shown(error)
    assert workspace.mail.hygiene().pacing == "30-90"
    pane.reload()
    qtbot.waitUntil(lambda: not pane._runner.busy)
    assert row.min_spin.value() == 120  # what the user chose stays while refused


def test_domain_cap_is_read_and_saved(pane: EmailPane, workspace: Workspace, qtbot: QtBot) -> None:
    row = pane.schedule.domain_cap_row
    assert row.check.isChecked()
    assert row.spin.value() == 10
    row.spin.setValue(4)
    row.spin.editingFinished.emit()
    qtbot.waitUntil(lambda: workspace.mail.hygiene().domain_cap == "4")
    row.check.click()
    qtbot.waitUntil(lambda: workspace.mail.hygiene().domain_cap == "off")
    workspace.mail.set_domain_cap("25")  # elsewhere (the CLI): the card follows
    qtbot.waitUntil(lambda: row.spin.value() == 25 and row.check.isChecked())


def test_spf_and_dmarc_are_checked_off_the_gui_thread_after_the_from_address_is_saved(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot, dns: ThreadNoting
) -> None:
    workspace.mail.set_smtp("smtp.office365.com")
    type_into(qtbot, pane.sender_card.from_edit, FROM)
    card = pane.sender_card
    qtbot.waitUntil(lambda: any("SPF" in w for w in card.shown_warnings), timeout=5000)
    assert ("northbridge-search.co.uk", "TXT") in dns.asked
    assert threading.get_ident() not in dns.threads
    spf = next(w for w in card.shown_warnings if "SPF" in w)
    assert spf in shown(card.warnings_label)
    assert spf in workspace.mail.warnings()


def test_no_dns_answer_is_said_and_mail_settings_still_save(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot, dns: ThreadNoting
) -> None:
    dns.offline = True
    workspace.mail.set_from(FROM)
    choose_security(pane.smtp, "SSL")
    type_into(qtbot, pane.smtp.host_edit, "smtp.office365.com")
    pane.smtp.save()
    card = pane.sender_card
    qtbot.waitUntil(lambda: any("Could not check" in w for w in card.shown_warnings))
    assert workspace.mail.settings().smtp.host == "smtp.office365.com"


def test_clear_text_password_warning_shows_after_the_server_is_saved(
    pane: EmailPane, workspace: Workspace, qtbot: QtBot
) -> None:
    form = pane.smtp
    type_into(qtbot, form.host_edit, "mail.firm.example.com")
    choose_security(form, "None")
    type_into(qtbot, form.user_edit, "rita")
    form.save()
    card = pane.sender_card
    qtbot.waitUntil(lambda: any("without encryption" in w for w in card.shown_warnings))
    assert "The SMTP password goes to mail.firm.example.com" in shown(card.warnings_label)
    choose_security(form, "STARTTLS")
    form.save()
    qtbot.waitUntil(lambda: not any("without encryption" in w for w in card.shown_warnings))


def test_the_pass_summary_counts_opt_outs_pacing_domain_cap_failures_and_pauses(
    pane: EmailPane,
) -> None:
    report = MailRun(
        sent=4,
        opted_out=2,
        paced=3,
        domain_capped=1,
        failed=1,
        paused=("CFO search paused: 3 of 20 emails bounced (15 %).",),
    )
    pane.activity.show_run(report)
    text = pane.activity.run_label.text()
    for words in (
        "2 opted out",
        "3 held by the pause between sends",
        "1 held by the per-domain cap",
        "1 failed: see Failed emails below",
    ):
        assert words in text
    assert pane.activity.paused_label.isVisible()
    assert "CFO search paused" in pane.activity.paused_label.text()
    pane.activity.show_run(MailRun(sent=1))
    assert not pane.activity.paused_label.isVisible()


@ASYNC_GUI
async def test_failed_emails_are_listed_after_a_mail_pass(
    workspace: Workspace, bridge: EventBridge, qtbot: QtBot, dns: ThreadNoting
) -> None:
    pane = EmailPane(workspace, bridge)
    qtbot.addWidget(pane)
    pane.show()
    listing = pane.failed
    await until(lambda: pane.snapshot is not None)
    assert listing.empty_label.isVisible()
    seq = workspace.create_sequence("CFO search")
    workspace.mail.add_step(seq.id, subject="A CFO role", body="Hi")
    workspace.add_contacts(seq.id, [ContactInput("ana@contacts.example.com", "Ana")])
    retry = utcnow() + timedelta(hours=1)
    with workspace.store.write() as session:
        enrollment = session.scalars(select(Enrollment)).one()
        enrollment.send_error = "The address has no domain."
        enrollment.next_due_at = retry
    workspace.bus.publish(MAIL_RUN, **RunReport(failed=1).as_dict())
    await until(lambda: len(listing.rows) == 1, what="the failed row")
    row = next(iter(listing.rows.values()))
    assert row.reason_label.text() == "The address has no domain."
    texts = [w.text() for w in row.findChildren(type(row.reason_label))]
    assert "<b>ana@contacts.example.com</b>" in texts
    assert any(t.startswith("CFO search · step 1 · tried again at") for t in texts)
    assert listing.explanation.isVisible()
    assert not listing.empty_label.isVisible()
    with workspace.store.write() as session:
        session.scalars(select(Enrollment)).one().send_error = None
    workspace.bus.publish(MAIL_RUN, **RunReport(sent=1).as_dict())
    await until(lambda: not listing.rows, what="the list emptied")
    assert listing.empty_label.isVisible()
