"""Mail fixtures: a fake clock, aiosmtpd and pymap on loopback, and a configured MailFacade."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.domain import ContactInput
from app.mail.facade import MailFacade
from app.secrets import SecretStore
from app.workspace import Workspace
from tests.mail.servers import (
    IMAP_PASSWORD,
    IMAP_USER,
    Authority,
    ImapServer,
)

LONDON = ZoneInfo("Europe/London")
#: Monday 7 January 2030, 10:00 in London: inside "Mon-Fri 09:00-17:00 Europe/London".
MONDAY_10AM = datetime(2030, 1, 7, 10, 0, tzinfo=LONDON).astimezone(UTC)
PENDULUM = "pendulum-7f3a@firm.clockworkrecruiting.example.com"


class FakeClock:
    def __init__(self, start: datetime = MONDAY_10AM) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def set_local(self, *args: int) -> None:
        self.now = datetime(*args, tzinfo=LONDON).astimezone(UTC)  # type: ignore[misc]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def imap() -> Iterator[ImapServer]:
    server = ImapServer()
    yield server
    server.stop()


@pytest.fixture
def serverless_mail(workspace: Workspace, clock: FakeClock) -> MailFacade:
    """The from address and the Pendulum BCC set, no server yet: the test brings its own."""
    facade = MailFacade(
        workspace.store, workspace.bus, workspace.user_id, secrets=SecretStore(), clock=clock
    )
    facade.set_from(f"Rita Recruiter <{IMAP_USER}>")
    workspace.set_bcc_address(PENDULUM)
    # Bursts, as these tests were written for; tests/mail/test_pacing.py turns them back on.
    facade.set_pacing("off")
    facade.set_domain_cap("off")
    return facade


@pytest.fixture
def mail(serverless_mail: MailFacade, smtp: tuple[str, int]) -> MailFacade:
    """Sending set up (no IMAP): from, SMTP, the Pendulum BCC, any time of day."""
    serverless_mail.set_smtp(smtp[0], smtp[1], security="none")
    return serverless_mail


@pytest.fixture
def mail_imap(mail: MailFacade, imap: ImapServer) -> MailFacade:
    """Sending and reading: pymap's INBOX, the password in the (in-memory) keyring."""
    mail.set_imap(imap.host, imap.port, security="none", user=IMAP_USER)
    mail.save_password("imap", IMAP_PASSWORD)
    return mail


@pytest.fixture(scope="session")
def authority() -> Authority:
    """The CA behind the TLS servers' certificates (one per session: keys take time to make)."""
    return Authority()


@pytest.fixture
def trusted(authority: Authority, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Authority:
    """The client trusts `authority` as a computer trusts a company CA: OpenSSL's default
    verify paths read SSL_CERT_FILE, so the app's TLS code runs exactly as it does for users."""
    ca_file = tmp_path / "trusted-ca.pem"
    authority.ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    return authority


def people(n: int, start: int = 0) -> list[ContactInput]:
    return [
        ContactInput(
            email=f"person{i}@contacts.example.com",
            first_name=f"First{i}",
            last_name=f"Last{i}",
            company=f"Company {i}",
            title="CFO",
        )
        for i in range(start, start + n)
    ]


def three_steps(ws: Workspace, mail: MailFacade, name: str = "CFO search") -> int:
    seq = ws.create_sequence(name)
    mail.add_step(
        seq.id,
        subject="{first_name}, a CFO role at a fintech",
        body="Hi {first_name},\n\nWould {company} let you go?\n\nRita",
    )
    mail.add_step(seq.id, subject="", body="Hi {first_name}, any thoughts?", delay_days=2)
    mail.add_step(seq.id, subject="", body="Last note from me, {first_name}.", delay_days=3)
    return seq.id
