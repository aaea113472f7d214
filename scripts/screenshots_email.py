"""Screenshot scenes of the Email pane (settings, sending hygiene, sign-in) and of the
damaged-database dialog at start-up; scripts/screenshots.py runs them."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import keyring
from shot_kit import save, settle, until
from sqlalchemy import select

from app.errors import DamagedStore
from app.mail.types import MAIL_RUN, RunReport
from app.store import open_store
from app.store.backups import make_backup
from app.store.models import Enrollment
from app.workspace import Workspace
from tests.keyring_fakes import MemoryKeyring
from tests.mail.oauth.auth_server import MICROSOFT_CLIENT, AuthServer, AuthState
from tests.mail.oauth.conftest import Browser
from ui.email.pane import EmailPane
from ui.main_window import MainWindow
from ui.runtime.bridge import EventBridge
from ui.runtime.damaged_store_dialog import DamagedStoreDialog


async def email_settings(ws: Workspace) -> None:
    """The Email pane filled in as a recruiter would; the passwords go to a keyring in memory."""
    keyring.set_keyring(MemoryKeyring())
    ws.mail.set_from("Rita Recruiter <rita@northbridge-search.example.com>")
    ws.mail.set_smtp("smtp.office365.com", user="rita@northbridge-search.example.com")
    ws.mail.set_imap("outlook.office365.com")
    ws.mail.save_password("smtp", "not-a-real-password")
    ws.mail.set_sending_window("Mon-Fri 08:30-18:00 Europe/London")
    ws.mail.set_daily_cap(150)
    bridge = EventBridge(ws.bus)
    pane = EmailPane(ws, bridge)
    pane.resize(1010, 760)
    pane.show()
    await until(lambda: pane.snapshot is not None)
    sent = [
        "helena.marsh@halcyoncapital.example.com — CFO search: a quiet word (step 1)",
        "omar.siddiqui@atlasmaritime.example.com — CFO search: a quiet word (step 1)",
        "ruth.calloway@quillonfoods.example.com — Following up (step 2)",
    ]
    report = RunReport(sent=12, replies=1, deferred=30, outside_window=True, sent_emails=sent)
    ws.bus.publish(MAIL_RUN, **report.as_dict())
    await settle()
    save(pane, "email")
    save(pane.activity, "email_activity")  # the last pass, as the status bar says it
    await email_hygiene(ws, pane)
    pane.close()
    bridge.detach()
    await settle(60)


async def email_hygiene(ws: Workspace, pane: EmailPane) -> None:
    """The schedule card's pacing and domain cap; the activity card after a pass that held
    some emails back and failed one (its reason staged on a demo enrollment)."""
    ws.mail.set_domain_cap("8")
    with ws.store.write() as session:
        enrollment = session.scalars(select(Enrollment).order_by(Enrollment.id)).first()
        assert enrollment is not None
        enrollment.send_error = "The mail server refused the address: 550 5.1.1 no such user."
        enrollment.next_due_at = datetime.now(UTC) + timedelta(hours=1)
    report = RunReport(
        sent=9,
        replies=1,
        opted_out=1,
        paced=6,
        domain_capped=2,
        failed=1,
        paused=["CEO search paused itself: 3 of 20 emails bounced (15 %). Check the addresses."],
        sent_emails=[
            f"{name}@northwind.example.com — A confidential CFO search (step 1)"
            for name in ("ada.byron", "grace.hopper", "mary.somerville", "emmy.noether")
        ]
        + ["katherine.johnson@orrery.example.com — Following up (step 2)"] * 5,
    )
    ws.bus.publish(MAIL_RUN, **report.as_dict())
    await until(lambda: bool(pane.failed.rows))
    await settle()
    save(pane.schedule, "email_schedule")
    save(pane.activity, "email_activity")


async def email_sign_in(window: MainWindow, ws: Workspace) -> None:
    """The mailbox card in each state, signing in against the tests' local authorization
    server (tests/mail/oauth/auth_server.py): signed out, waiting, a device code, signed in,
    and needs sign-in with the status bar's "Mail: sign in again"."""
    server = AuthServer(AuthState(account="rita@northbridge-search.example.com"))
    os.environ["ESCAPEMENT_OAUTH_URL"] = server.url
    try:
        window.show_pane("Email")
        pane = window.findChild(EmailPane)
        assert pane is not None
        await until(lambda: pane.snapshot is not None)
        await settle()
        save(window, "email_signed_out")
        card = pane.signin
        card.open_url = lambda _url: True  # the browser is left waiting, for the picture
        card.registration.client_ids["microsoft"].setText(MICROSOFT_CLIENT)
        card.registration_toggle.setChecked(True)
        await settle()
        save(card, "email_registration")
        card.registration_toggle.setChecked(False)
        card.microsoft_button.click()
        await settle()
        save(card, "email_signin_waiting")
        card.use_code_button.click()
        await until(lambda: card.code is not None)
        await settle()
        save(card, "email_signin_code")
        card.cancel()
        await until(lambda: card.state == "signed_out")
        await ws.mail.sign_in("microsoft", client_id=MICROSOFT_CLIENT, show_url=Browser())
        await until(lambda: card.state == "signed_in")
        await settle()
        save(window, "email_signed_in")
        save(pane.smtp, "email_smtp_signed_in")
        ws.mail.mark_needs_signin()
        await until(lambda: card.state == "needs_signin")
        await settle()
        save(window, "email_needs_signin")
    finally:
        server.stop()
        del os.environ["ESCAPEMENT_OAUTH_URL"]


async def damaged_store(tmp: Path) -> None:
    """The start-up dialog for a torn database, before and after restoring its backup."""
    path = tmp / "damaged" / "escapement.db"
    path.parent.mkdir()
    Workspace.open(f"sqlite:///{path}").close()
    make_backup(path, "manual")
    path.write_bytes(path.read_bytes()[:5000])
    try:
        open_store(f"sqlite:///{path}").dispose()
    except DamagedStore as exc:
        dialog = DamagedStoreDialog(exc)
    dialog.show()
    await settle()
    save(dialog, "damaged_store")
    assert dialog.restore_button is not None
    dialog.restore_button.click()
    await until(lambda: dialog.restored_aside is not None)
    await settle()
    save(dialog, "damaged_store_restored")
    dialog.close()
