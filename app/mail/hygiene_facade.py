"""Sending-hygiene settings as façade methods, mixed into the MailFacade: the pause between
sends, the per-domain hourly cap, opt-outs to Clockwork, a sequence's opt-out footer and its
bounce pause, and the SPF/DMARC check of the from domain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app import events
from app.events import EventBus
from app.mail import pacing, sender_dns
from app.mail.sender_dns import Resolver
from app.mail.steps import sequence as owned_sequence
from app.optout.footer import set_footer
from app.store import Store
from app.users import email_settings_for


@dataclass(frozen=True, slots=True)
class HygieneView:
    #: "30-90" (seconds) or "off"; the domain cap: "10" (emails an hour) or "off".
    pacing: str
    domain_cap: str
    opt_out_to_clockwork: bool


@dataclass(frozen=True, slots=True)
class SequenceHygiene:
    footer_enabled: bool
    footer_text: str
    #: Why the sequence stopped sending by itself (bounce rate), or None.
    paused_reason: str | None


class SendingHygiene:
    store: Store
    bus: EventBus
    user_id: int
    resolver: Resolver
    clock: Callable[[], datetime]

    def hygiene(self) -> HygieneView:
        with self.store.write() as session:  # write: the row is created on first use
            row = email_settings_for(session, self.user_id)
            pace, cap = pacing.describe(row)
            return HygieneView(pace, cap, row.opt_out_to_clockwork)

    def set_pacing(self, text: str) -> HygieneView:
        """ "MIN-MAX" seconds between two sends, e.g. "30-90", or "off"."""
        pause = pacing.parse_pacing(text)
        with self.store.write() as session:
            row = email_settings_for(session, self.user_id)
            row.pacing_min_s, row.pacing_max_s = pause or (None, None)
            if pause is None:
                row.next_send_at = None
        return self._hygiene_changed()

    def set_domain_cap(self, text: str) -> HygieneView:
        """Emails an hour to any one recipient domain, e.g. "10", or "off"."""
        cap = pacing.parse_domain_cap(text)
        with self.store.write() as session:
            email_settings_for(session, self.user_id).domain_cap = cap
        return self._hygiene_changed()

    def set_opt_out_to_clockwork(self, on: bool) -> HygieneView:
        """An opt-out also sets doNotContact on the Clockwork person, with a note."""
        with self.store.write() as session:
            email_settings_for(session, self.user_id).opt_out_to_clockwork = on
        return self._hygiene_changed()

    def sequence_hygiene(self, sequence_id: int) -> SequenceHygiene:
        with self.store.read() as session:
            seq = owned_sequence(session, self.user_id, sequence_id)
            return SequenceHygiene(seq.footer_enabled, seq.footer_text, seq.paused_reason)

    def set_footer(
        self, sequence_id: int, *, enabled: bool | None = None, text: str | None = None
    ) -> SequenceHygiene:
        """The opt-out line under every email of the sequence (off by default)."""
        with self.store.write() as session:
            set_footer(owned_sequence(session, self.user_id, sequence_id), enabled, text)
        self.bus.publish(events.SEQUENCES_CHANGED)
        return self.sequence_hygiene(sequence_id)

    def resume_sequence(self, sequence_id: int) -> bool:
        """Lifts a bounce pause; False if the sequence was not paused. The rate then counts
        afresh, from now: 20 more sends before it can pause again."""
        with self.store.write() as session:
            seq = owned_sequence(session, self.user_id, sequence_id)
            was_paused, seq.paused_reason = seq.paused_reason is not None, None
            if was_paused:
                seq.bounces_counted_from = self.clock()
        self.bus.publish(events.SEQUENCES_CHANGED)
        return was_paused

    def check_sender_domain(self, *, force: bool = False) -> list[str]:
        """SPF and DMARC of the from domain for the SMTP server in use, once per change of
        either (or when forced). Blocking (DNS): the GUI calls it off its thread."""
        with self.store.read() as session:
            row = email_settings_for(session, self.user_id)
            key = f"{row.from_address.rpartition('@')[2]} {row.smtp_host}"
            if not force and row.dns_checked_for == key:
                return row.dns_warnings.splitlines()
            from_address, smtp_host = row.from_address, row.smtp_host
        found = sender_dns.check(from_address, smtp_host, self.resolver)
        offline = any(line.startswith("Could not check") for line in found)
        with self.store.write() as session:
            row = email_settings_for(session, self.user_id)
            row.dns_warnings = "\n".join(found)
            # Offline is no answer: the next call tries again.
            row.dns_checked_for = None if offline else key
        return found

    def _hygiene_changed(self) -> HygieneView:
        self.bus.publish(events.SETTINGS_CHANGED)
        return self.hygiene()
