"""The email settings page as façade methods: from address, servers, passwords, sending
window, daily cap, the body-in-notes privacy choice, and the warnings to show beside them."""

from __future__ import annotations

from app import events
from app.events import EventBus
from app.mail import settings as rows
from app.mail.passwords import MailPasswords, Protocol
from app.mail.types import MailSettingsView
from app.store import Store
from app.store.models import User
from app.users import email_settings_for


class MailSettings:
    def __init__(self, store: Store, bus: EventBus, user_id: int, passwords: MailPasswords):
        self.store, self.bus, self.user_id, self.passwords = store, bus, user_id, passwords

    def settings(self) -> MailSettingsView:
        with self.store.write() as session:  # write: the row is created on first use
            return rows.view(email_settings_for(session, self.user_id))

    def set_from(self, text: str) -> MailSettingsView:
        """ "Jane Doe <jane@firm.com>" or a bare address."""
        with self.store.write() as session:
            rows.set_from(email_settings_for(session, self.user_id), text)
        return self._changed()

    def set_smtp(
        self,
        host: str,
        port: int | None = None,
        security: str = "starttls",
        user: str | None = None,
        auth: str | None = None,
    ) -> MailSettingsView:
        """The port defaults to the usual one for the security: 465, 587 or 25. `auth`:
        "password" or "oauth" (the signed-in account); None keeps the current one."""
        return self._set_server("smtp", host, port, security, user, auth)

    def set_imap(
        self,
        host: str,
        port: int | None = None,
        security: str = "ssl",
        user: str | None = None,
        auth: str | None = None,
    ) -> MailSettingsView:
        """Replies are read from INBOX; the user defaults to the from address."""
        return self._set_server("imap", host, port, security, user, auth)

    def _set_server(
        self,
        protocol: Protocol,
        host: str,
        port: int | None,
        security: str,
        user: str | None,
        auth: str | None,
    ) -> MailSettingsView:
        with self.store.write() as session:
            row = email_settings_for(session, self.user_id)
            rows.set_server(row, protocol, host, port, security, user)
            if auth is not None:
                rows.set_auth(row, protocol, auth)
        return self._changed()

    def save_password(self, protocol: Protocol, password: str) -> None:
        """Into the OS keyring (escapement-smtp / escapement-imap), never the database.
        Any Unicode text; not a line break or NUL, which no login can carry."""
        user, host = self._login(protocol)
        self.passwords.put(protocol, user, host, password)

    def forget_password(self, protocol: Protocol) -> bool:
        user, host = self._login(protocol)
        return self.passwords.delete(protocol, user, host)

    def has_password(self, protocol: Protocol) -> bool:
        user, host = self._login(protocol)
        return self.passwords.get(protocol, user, host) is not None

    def _login(self, protocol: Protocol) -> tuple[str, str]:
        view = self.settings()
        server = view.smtp if protocol == "smtp" else view.imap
        user = server.user or (view.from_address if protocol == "imap" else "")
        return user, server.host

    def set_sending_window(self, text: str) -> str:
        """ "always", or like "Mon-Fri 09:00-17:00 Europe/London"; returns the canonical form."""
        with self.store.write() as session:
            canonical = rows.set_window(email_settings_for(session, self.user_id), text)
        self._changed()
        return canonical

    def set_daily_cap(self, cap: int) -> MailSettingsView:
        with self.store.write() as session:
            rows.set_daily_cap(email_settings_for(session, self.user_id), cap)
        return self._changed()

    def set_include_body(self, include: bool) -> MailSettingsView:
        """Privacy: whether email bodies are kept and copied into Clockwork notes."""
        with self.store.write() as session:
            email_settings_for(session, self.user_id).include_body_in_notes = include
        return self._changed()

    def warnings(self) -> list[str]:
        """What may stop mail going out, or Pendulum filing it (a from address that may not
        be the user's Clockwork login)."""
        with self.store.write() as session:
            user = session.get_one(User, self.user_id)
            row = email_settings_for(session, self.user_id)
            # The last SPF/DMARC check's findings (check_sender_domain) are shown here too.
            return rows.warnings(row, user.email) + row.dns_warnings.splitlines()

    def clear_text_warning(self, protocol: Protocol) -> str | None:
        """Said before connecting: the password would cross the network unencrypted."""
        with self.store.write() as session:
            return rows.clear_text_password(email_settings_for(session, self.user_id), protocol)

    def _changed(self) -> MailSettingsView:
        self.bus.publish(events.SETTINGS_CHANGED)
        return self.settings()
