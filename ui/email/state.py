"""What the Email pane shows, read in one go off the GUI thread (the keyring may be slow)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from app.api import MAIL_PASSWORD_ENV as ENV
from app.api import (
    HygieneView,
    MailAccountView,
    MailSettingsView,
    Protocol,
    Registration,
    SecretStoreUnavailable,
    ServerView,
)
from app.workspace import Workspace
from ui.email import text as words

PROTOCOLS: tuple[Protocol, ...] = ("smtp", "imap")
PROVIDERS = ("microsoft", "google")


@dataclass(frozen=True, slots=True)
class MailSnapshot:
    settings: MailSettingsView
    bcc_address: str | None
    warnings: list[str]
    #: Per protocol ("smtp", "imap"): a password is saved in the keyring (or the environment).
    has_password: dict[str, bool]
    #: Per protocol: the password comes from SMTP_PASSWORD / IMAP_PASSWORD instead.
    env_password: dict[str, bool]
    #: Per protocol: why the keyring could not be asked (no usable keyring), if it could not.
    keyring_problem: dict[str, str]
    #: How mail logs in: a password, or a signed-in Microsoft or Google account, and its state.
    account: MailAccountView
    #: Per provider: the app registration's client ID and tenant as the sign-in would use them.
    registrations: dict[str, Registration]
    #: The pause between sends and the per-domain hourly cap.
    hygiene: HygieneView

    def server(self, protocol: str) -> ServerView:
        return self.settings.smtp if protocol == "smtp" else self.settings.imap


def read_snapshot(ws: Workspace) -> MailSnapshot:
    mail = ws.mail
    has: dict[str, bool] = {}
    problems: dict[str, str] = {}
    for protocol in PROTOCOLS:
        try:
            has[protocol] = mail.has_password(protocol)
        except SecretStoreUnavailable as exc:  # the settings still show, with the reason
            has[protocol], problems[protocol] = False, exc.message
    return MailSnapshot(
        settings=mail.settings(),
        bcc_address=ws.email_settings().bcc_address,
        warnings=mail.warnings(),
        has_password=has,
        env_password={p: bool(os.environ.get(name)) for p, name in ENV.items()},
        keyring_problem=problems,
        account=mail.account(),
        registrations=_registrations(ws),
        hygiene=mail.hygiene(),
    )


def _registrations(ws: Workspace) -> dict[str, Registration]:
    """A provider whose registration cannot be read (no keyring for Google's secret) is left
    out: its fields stay as typed, and signing in says why."""
    found: dict[str, Registration] = {}
    for name in PROVIDERS:
        try:
            found[name] = ws.mail.registration(name)
        except SecretStoreUnavailable:
            continue
    return found


def password_status(snap: MailSnapshot, protocol: Protocol) -> tuple[str, str]:
    """What the password line under a server says, and its style-sheet name."""
    server = snap.server(protocol)
    if snap.env_password[protocol]:
        return words.PASSWORD_FROM_ENV.format(name=ENV[protocol]), "subtle"
    if protocol in snap.keyring_problem:
        return snap.keyring_problem[protocol], "warningText"
    if snap.has_password[protocol]:
        return words.PASSWORD_SAVED, "successText"
    relay = protocol == "smtp" and server.configured and not server.user
    return (words.PASSWORD_NOT_NEEDED if relay else words.PASSWORD_MISSING), "subtle"
