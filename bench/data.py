"""Realistic benchmark data: contacts like a recruiter's, a LinkedIn-style CSV, a filled store."""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # so the scripts run as `python bench/run.py` from anywhere

from app.demo import COMPANIES, FIRST, LAST, company_domain  # noqa: E402
from app.domain import ContactInput  # noqa: E402
from app.paths import database_url  # noqa: E402
from app.workspace import Workspace  # noqa: E402

TITLES = (
    "Chief Financial Officer", "VP Finance", "Group CFO", "VP Engineering",
    "Director of Engineering", "Head of Platform Engineering", "Non-Executive Director",
    "Chair of the Audit Committee", "Chief Operating Officer", "General Counsel",
    "Head of People", "Chief Technology Officer", "Managing Director", "Partner",
)  # fmt: skip
CSV_HEADER = (
    "First Name", "Last Name", "Email Address", "Company", "Position", "Profile URL",
    "Phone Number", "Location", "Connected On",
)  # fmt: skip
SEQUENCE = "Benchmark sequence"
CHUNK = 10_000


def contacts(n: int, seed: int = 1) -> Iterator[ContactInput]:
    """`n` people with unique addresses; names, companies and titles repeat as in real lists."""
    rng = random.Random(seed)
    for i in range(n):
        first, last, company = rng.choice(FIRST), rng.choice(LAST), rng.choice(COMPANIES)
        slug = f"{first}-{last}-{i:x}".lower()
        yield ContactInput(
            email=f"{first}.{last}.{i}@{company_domain(company)}".lower(),
            first_name=first,
            last_name=last,
            title=rng.choice(TITLES),
            company=company,
            linkedin_url=f"https://www.linkedin.com/in/{slug}",
            phone=f"+44 20 7946 {rng.randrange(10_000):04d}" if rng.random() < 0.3 else "",
        )


def write_csv(path: Path, n: int, seed: int = 2) -> None:
    """A LinkedIn Recruiter-style export; mixed case, stray spaces and a few bad rows."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_HEADER)
        for i, c in enumerate(contacts(n, seed)):
            email = c.email.title() if i % 7 == 0 else c.email
            if i % 500 == 0:
                email = email.replace("@", " at ")  # rejected: not an address
            writer.writerow(
                (
                    c.first_name,
                    f" {c.last_name} " if i % 11 == 0 else c.last_name,
                    email,
                    c.company,
                    c.title,
                    c.linkedin_url.replace("https://www.", "http://uk.") if i % 5 == 0 else "",
                    c.phone,
                    rng.choice(("London", "New York", "Berlin", "Singapore")),
                    "12 Mar 2024",
                )
            )


def open_workspace(folder: Path, clockwork_origin: str | None = None) -> Workspace:
    return Workspace.open(database_url(folder), clockwork_origin=clockwork_origin)


def fill_store(folder: Path, n: int) -> Workspace:
    """A workspace in `folder` with one sequence of `n` contacts, added in chunks."""
    ws = open_workspace(folder)
    seq = ws.create_sequence(SEQUENCE)
    batch: list[ContactInput] = []
    for contact in contacts(n):
        batch.append(contact)
        if len(batch) == CHUNK:
            ws.add_contacts(seq.id, batch)
            batch = []
    if batch:
        ws.add_contacts(seq.id, batch)
    return ws


@contextmanager
def server_database(server_url: str, name: str, template: str | None = None) -> Iterator[str]:
    """A database of its own on the PostgreSQL server `server_url` names (a copy of
    `template`, if given), dropped afterwards; yields its URL."""
    server = make_url(server_url)
    admin = create_engine(server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
