"""Reading and changing a user's email settings row, and what the settings page warns about."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import InputError
from app.mail.addresses import is_loopback, one_line, one_mailbox
from app.mail.passwords import Protocol
from app.mail.types import MailSettingsView, Security, ServerView
from app.mail.window import parse_window
from app.store.models import EmailSettings

MAX_DAILY_CAP = 2000
DEFAULT_PORTS = {
    "smtp": {Security.SSL: 465, Security.STARTTLS: 587, Security.NONE: 25},
    "imap": {Security.SSL: 993, Security.STARTTLS: 143, Security.NONE: 143},
}
FROM_UNUSABLE = 'has no usable email address. Write "Name <address>" or the address alone.'
#: What the default user's made-up address ends with: then we cannot know the login address.
PLACEHOLDER_DOMAIN = "localhost"


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """One server as the mail code connects to it; the password is looked up at connect time."""

    protocol: Protocol
    host: str
    port: int
    security: Security
    user: str
    #: "password", or "oauth": XOAUTH2 with the signed-in account's token.
    auth: str = "password"


def view(row: EmailSettings) -> MailSettingsView:
    return MailSettingsView(
        from_name=row.from_name,
        from_address=row.from_address,
        bcc_address=row.bcc_address,
        smtp=_server_view(server(row, "smtp")),
        imap=_server_view(server(row, "imap")),
        sending_window=row.sending_window,
        daily_cap=row.daily_cap,
        include_body_in_notes=row.include_body_in_notes,
    )


def server(row: EmailSettings, protocol: Protocol) -> ServerConfig:
    if protocol == "smtp":
        return ServerConfig(
            "smtp",
            row.smtp_host,
            row.smtp_port,
            Security(row.smtp_security),
            row.smtp_user,
            row.smtp_auth or "password",
        )
    return ServerConfig(
        "imap",
        row.imap_host,
        row.imap_port,
        Security(row.imap_security),
        row.imap_user,
        row.imap_auth or "password",
    )


def _server_view(config: ServerConfig) -> ServerView:
    return ServerView(config.host, config.port, config.security, config.user)


def set_from(row: EmailSettings, text: str) -> None:
    mailbox = one_mailbox(text, "The from address", FROM_UNUSABLE)
    row.from_name, row.from_address = mailbox.name, mailbox.address


def set_server(
    row: EmailSettings,
    protocol: Protocol,
    host: str,
    port: int | None,
    security: str,
    user: str | None,
) -> ServerConfig:
    one_line(host, f"The {protocol.upper()} server")
    clean_host = host.strip().lower()
    if not clean_host or any(c.isspace() or c in "/:@" for c in clean_host):
        raise InputError(f'"{host}" is not a server name. Give a host like smtp.example.com.')
    try:
        mode = Security(security.lower())
    except ValueError:
        raise InputError("The security is ssl, starttls or none.") from None
    chosen = port if port is not None else DEFAULT_PORTS[protocol][mode]
    if not 0 < chosen < 65536:
        raise InputError(f"{chosen} is not a port number (1 to 65535).")
    user_name = one_line(user or "", f"The {protocol.upper()} user name").strip()
    prefix = protocol
    setattr(row, f"{prefix}_host", clean_host)
    setattr(row, f"{prefix}_port", chosen)
    setattr(row, f"{prefix}_security", mode.value)
    setattr(row, f"{prefix}_user", user_name)
    if protocol == "imap":
        # Another server's UIDs mean nothing here: start reading its inbox afresh.
        row.imap_uidvalidity = row.imap_last_uid = None
    return server(row, protocol)


def set_auth(row: EmailSettings, protocol: Protocol, auth: str) -> None:
    """ "password", or "oauth": XOAUTH2 as the signed-in account (whose address is the login)."""
    method = auth.strip().lower()
    if method not in ("password", "oauth"):
        raise InputError("The login is oauth (signed in with Microsoft or Google) or password.")
    setattr(row, f"{protocol}_auth", method)
    if method == "oauth" and row.oauth_account:
        setattr(row, f"{protocol}_user", row.oauth_account)


def set_window(row: EmailSettings, text: str) -> str:
    canonical = str(parse_window(text))
    row.sending_window = canonical
    return canonical


def set_daily_cap(row: EmailSettings, cap: int) -> None:
    if not 1 <= cap <= MAX_DAILY_CAP:
        raise InputError(f"The daily cap is between 1 and {MAX_DAILY_CAP} emails.")
    row.daily_cap = cap


def warnings(row: EmailSettings, login_email: str) -> list[str]:
    """What may stop mail from going out, or Pendulum from filing it."""
    found: list[str] = []
    if not row.from_address:
        found.append('No from address yet: set one, like "Jane Doe <jane@firm.com>".')
    if not row.smtp_host:
        found.append("No SMTP server yet: sequences cannot send until one is set.")
    if not row.imap_host:
        found.append(
            "No IMAP server: replies and bounces are not noticed, so sequences keep "
            "mailing people who answered."
        )
    if row.bcc_address and row.from_address:
        pendulum = _pendulum_warning(row.from_address, login_email)
        if pendulum:
            found.append(pendulum)
    for protocol in ("smtp", "imap"):
        exposed = clear_text_password(row, protocol)
        if exposed:
            found.append(exposed)
    return found


def clear_text_password(row: EmailSettings, protocol: Protocol) -> str | None:
    """A warning when the password would cross the network unencrypted (security "none" to
    a server that is not this computer); IMAP always logs in, SMTP only with a user name.
    A sign-in token never goes without TLS (oauth/xoauth2.py refuses), so it is not warned."""
    config = server(row, protocol)
    logs_in = config.auth == "password" and (protocol == "imap" or bool(config.user))
    if not config.host or config.security != Security.NONE or not logs_in:
        return None
    if is_loopback(config.host):
        return None
    return (
        f"The {protocol.upper()} password goes to {config.host} without encryption "
        "(security: none), so anyone on the network between can read it. Choose ssl or "
        "starttls."
    )


def _pendulum_warning(sender: str, login: str) -> str | None:
    """Pendulum files only mail sent from the user's Clockwork login address."""
    login = login.strip().lower()
    if sender == login:
        return None
    if not login or login.endswith("@" + PLACEHOLDER_DOMAIN):
        return (
            f"Clockwork's Pendulum files only mail sent from your Clockwork login address. "
            f"Escapement does not know that address: check that it is {sender}."
        )
    if sender.rpartition("@")[2] != login.rpartition("@")[2]:
        return (
            f"{sender} is not on the domain of your Clockwork login ({login}). Pendulum "
            "files only mail sent from the login address, so these emails will not reach "
            "Clockwork through the BCC."
        )
    return (
        f"{sender} is not your Clockwork login ({login}). Pendulum files only mail sent "
        "from the login address; unless this is the same mailbox, the BCC will be ignored."
    )
