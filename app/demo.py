"""The sandbox demo: a Clockwork sandbox on loopback, a mail server that keeps what it is sent,
and a workspace filled with recruiting data and sequences with steps.

`python main.py --sandbox` (and `make run`) opens the app this way. Every address in the demo
data is under example.com and the SMTP server is the demo's own catcher on loopback
(app/sandbox/mail_catcher.py), so nothing here can ever mail a real person.
"""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain import ContactInput, SyncMode
from app.mail.types import Security
from app.paths import data_dir
from app.workspace import Workspace

if TYPE_CHECKING:  # imported by SandboxDemo.start: a window without --sandbox never loads them
    from app.sandbox.mail_catcher import MailCatcher
    from app.sandbox.server import SandboxServer

FIRST = (
    "Margaret", "Eleanor", "James", "Priya", "Daniel", "Sofia", "Richard", "Aisha", "Thomas",
    "Hannah", "Michael", "Elena", "Robert", "Mei", "Andrew", "Fatima", "William", "Claire",
    "Jonathan", "Ingrid", "David", "Olivia", "Charles", "Nadia", "Stephen", "Grace", "Patrick",
    "Yuki", "Laurent", "Beatriz",
)  # fmt: skip
LAST = (
    "Whitfield", "Okafor", "Lindqvist", "Raman", "Costa", "Harrington", "Nakamura", "Brennan",
    "Adeyemi", "Fischer", "Moreau", "Castellano", "Sullivan", "Chen", "Kowalski", "Haddad",
    "Thornton", "Ibarra", "Vance", "Ellison", "Delacroix", "Novak", "Prescott", "Mbeki",
    "Sandoval", "Ashworth", "Bergstrom", "Kapoor",
)  # fmt: skip
COMPANIES = (
    "Northwind Health", "Halcyon Capital", "Meridian Biosciences", "Bluestone Logistics",
    "Corvid Software", "Aldergrove Partners", "Sterling & Vale", "Pinecrest Energy",
    "Lumen Retail Group", "Orrery Payments", "Kestrel Aerospace", "Harbourview Insurance",
    "Atlas Maritime", "Quillon Foods",
)  # fmt: skip
#: Sequence name, the titles of its contacts, how many contacts.
SEQUENCES: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("CFO search · Northwind Health", ("Chief Financial Officer", "VP Finance", "Group CFO"), 140),
    (
        "VP Engineering · Series C fintech",
        ("VP Engineering", "Head of Platform Engineering", "Director of Engineering"),
        95,
    ),
    (
        "Independent directors · consumer boards",
        ("Non-Executive Director", "Chair of the Audit Committee", "Board Member"),
        65,
    ),
)

#: Each demo sequence's steps: (subject, body, delay in days); later steps reply in the thread.
STEPS: tuple[tuple[str, str, int], ...] = (
    (
        "{first_name|Hello}, a confidential search",
        "Hi {first_name|there},\n\nI am leading a confidential search for a client and your "
        "work as {title|a leader} at {company|your company} stood out. Would you be open to a "
        "short call this week?\n\nBest,\nAlex",
        0,
    ),
    (
        "",
        "Hi {first_name|there},\n\nFollowing up on my note: happy to share the brief before "
        "any call, so you can judge whether it is worth your time.\n\nAlex",
        3,
    ),
    (
        "",
        "Hi {first_name|there},\n\nI will not keep writing. If the timing is wrong now, I would "
        "still value staying in touch.\n\nAlex",
        7,
    ),
)
DEMO_SENDER = "Alex Morgan <alex.morgan@demo-firm.example.com>"

#: Which sandbox project each demo sequence feeds (the sequences' project overrides).
PROJECT_OF_SEQUENCE = {
    "CFO search · Northwind Health": "CFO – Northwind Logistics",
    "VP Engineering · Series C fintech": "VP Engineering – Helios Health",
}


def company_domain(company: str) -> str:
    return "".join(c for c in company.lower() if c.isalnum()) + ".example.com"


def demo_contacts(rng: random.Random, titles: tuple[str, ...], n: int) -> list[ContactInput]:
    people = []
    for _ in range(n):
        first, last, company = rng.choice(FIRST), rng.choice(LAST), rng.choice(COMPANIES)
        people.append(
            ContactInput(
                email=f"{first}.{last}@{company_domain(company)}".lower(),
                first_name=first,
                last_name=last,
                title=rng.choice(titles),
                company=company,
                linkedin_url=f"https://www.linkedin.com/in/{first}-{last}".lower(),
            )
        )
    return people


def shared_contacts() -> list[ContactInput]:
    """People the sandbox firm already has, so "Exists in Clockwork" shows."""
    from app.sandbox.seed import DEMO_SHARED_PEOPLE  # here: only the demo needs the sandbox

    return [
        ContactInput(
            email=p.email,
            first_name=p.first_name,
            last_name=p.last_name,
            title=p.title,
            company=p.company,
        )
        for p in DEMO_SHARED_PEOPLE
    ]


def fill(ws: Workspace, seed: int = 7) -> None:
    """Sequences with steps and contacts, as if added before Clockwork was connected."""
    rng = random.Random(seed)
    for index, (name, titles, n) in enumerate(SEQUENCES):
        info = ws.create_sequence(name)
        for subject, body, delay in STEPS:
            ws.mail.add_step(info.id, subject=subject, body=body, delay_days=delay)
        extra = shared_contacts()[index::3]
        ws.add_contacts(info.id, [*demo_contacts(rng, titles, n), *extra])


@dataclass
class SandboxDemo:
    """A running sandbox and the data dir and environment that point the app at it."""

    server: SandboxServer
    folder: Path
    mail: MailCatcher

    @classmethod
    def start(cls, data_override: str | None = None) -> SandboxDemo:
        """Starts the sandbox; the demo's data dir starts empty each time, like the sandbox."""
        from app.sandbox.mail_catcher import MailCatcher
        from app.sandbox.server import SandboxServer, environment

        # Always a "sandbox" folder of its own: it is emptied here, so never the user's data.
        folder = data_dir(data_override) / "sandbox"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        server = SandboxServer().start()
        try:
            mail = MailCatcher(folder / "sent-mail.mbox").start()
        except BaseException:
            server.stop()
            raise
        # The environment wins over the keyring, so the fake keys never reach the OS keyring.
        os.environ.update(environment(server))
        return cls(server, folder, mail)

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.folder / 'escapement.db'}"

    async def prepare(self, ws: Workspace) -> None:
        """Loads the demo data, points mail at the catcher and connects, with the settings
        the article describes."""
        fill(ws)
        ws.mail.set_from(DEMO_SENDER)
        ws.mail.set_smtp(self.mail.host, self.mail.port, Security.NONE)
        # Every demo address is under example.com and the catcher is on loopback: no pause
        # between sends, no per-domain cap, so the demo shows its sends at once.
        ws.mail.set_pacing("off")
        ws.mail.set_domain_cap("off")
        creds = self.server.credentials
        await ws.connect_clockwork(
            creds.firm, creds.api_key, creds.secret_key, creds.firm_service_key, remember=False
        )
        ws.update_clockwork_settings(sync_mode=SyncMode.ON_ADD, dedup=True, activity_tracking=True)
        projects = {p.name: p.id for p in ws.projects(syncable_only=True)}
        for info in ws.sequences():
            wanted = PROJECT_OF_SEQUENCE.get(info.name)
            if wanted in projects:
                ws.set_sequence_project(info.id, projects[wanted])

    def stop(self) -> None:
        self.mail.stop()
        self.server.stop()
