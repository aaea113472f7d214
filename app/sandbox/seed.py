"""Deterministic demo data for the sandbox firm `demo`.

A few people here share their email with the app's demo contacts (DEMO_SHARED_EMAILS), so
deduplication has something to find. Every address is under example.com, which cannot
receive mail, so demo data can never email a real person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.clockwork.credentials import Credentials
from app.sandbox.seed_names import COMPANIES, FIRST_NAMES, LAST_NAMES, NOTE_SNIPPETS, TITLES
from app.sandbox.state import SandboxState
from app.sandbox.vocab import CANDIDATE_STATUSES

DEMO_FIRM = "demo"
DEMO_SEED = 7
DEMO_PEOPLE = 200
DEMO_CREDENTIALS = Credentials(
    firm=DEMO_FIRM,
    api_key="sandbox-api-key",
    secret_key="sandbox-secret-key",
    firm_service_key="sandbox-firm-service-key",
)
_EPOCH = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class SharedPerson:
    first_name: str
    last_name: str
    title: str
    company: str
    email: str


def _shared(first: str, last: str, title: str, company: str) -> SharedPerson:
    email = f"{_slug(first)}.{_slug(last)}@{company_domain(company)}"
    return SharedPerson(first, last, title, company, email)


def _slug(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def company_domain(company: str) -> str:
    return _slug(company) + ".example.com"


#: People that exist both here and in the app's demo contacts.
DEMO_SHARED_PEOPLE: tuple[SharedPerson, ...] = (
    _shared("Amelia", "Hartley", "Chief Financial Officer", "Northwind Logistics"),
    _shared("Rahul", "Mehta", "VP Engineering", "Helios Health"),
    _shared("Sofia", "Lindqvist", "Chief Operating Officer", "Brightwater Foods"),
    _shared("Daniel", "Okafor", "General Counsel", "Meridian Capital"),
    _shared("Grace", "Whitmore", "Chief People Officer", "Atlas Robotics"),
    _shared("Marcus", "Bellamy", "SVP Sales", "Quillon Software"),
    _shared("Hannah", "Yoshida", "Chief Technology Officer", "Cobalt Energy"),
    _shared("Luca", "Moretti", "Managing Director", "Redpine Manufacturing"),
    _shared("Priya", "Raman", "Chief Marketing Officer", "Sterling Biotech"),
    _shared("Oliver", "Grant", "Chief Executive Officer", "Harbor & Vale"),
)
DEMO_SHARED_EMAILS: list[str] = [p.email for p in DEMO_SHARED_PEOPLE]
#: The one shared person a recruiter marked "do not contact".
DEMO_DO_NOT_CONTACT_EMAIL = DEMO_SHARED_PEOPLE[3].email

#: name, status, client company, project type
DEMO_PROJECTS: tuple[tuple[str, str, str, str], ...] = (
    ("CFO – Northwind Logistics", "Active", "Northwind Logistics", "Retained"),
    ("VP Engineering – Helios Health", "Active", "Helios Health", "Retained"),
    ("CEO – Atlas Robotics", "Active", "Atlas Robotics", "Retained"),
    ("Chief People Officer – Brightwater Foods", "Pitch", "Brightwater Foods", "Retingency"),
    ("Head of Sales EMEA – Quillon Software", "Pitch", "Quillon Software", "Contingency"),
    ("General Counsel – Meridian Capital", "On Hold", "Meridian Capital", "Retained"),
    ("COO – Redpine Manufacturing", "Closed", "Redpine Manufacturing", "Retained"),
    ("Board Director – Cobalt Energy", "Closed", "Cobalt Energy", "Special Project"),
)
DEMO_TAGS = ("Board Ready", "Diverse Slate", "Referral", "Passive", "Client Contact", "Alumni")


def demo_state(seed: int = DEMO_SEED, credentials: Credentials = DEMO_CREDENTIALS) -> SandboxState:
    """A fresh sandbox firm; `reset()` brings it back to exactly this data."""
    return SandboxState(credentials, lambda state: load_demo(state, seed))


def load_demo(state: SandboxState, seed: int = DEMO_SEED) -> None:
    rng = random.Random(seed)
    state.tags.update({str(i): name for i, name in enumerate(DEMO_TAGS, 1)})
    for i, (name, status, company, kind) in enumerate(DEMO_PROJECTS):
        state.add_project(name, status, company, kind, _EPOCH + timedelta(days=9 * i))
    people = [_add_shared(state, rng, p) for p in DEMO_SHARED_PEOPLE]
    taken = set(DEMO_SHARED_EMAILS)
    while len(people) < DEMO_PEOPLE:
        people.append(_add_random(state, rng, taken))
    for person_id in rng.sample(people[len(DEMO_SHARED_PEOPLE) :], 5):
        state.set_do_not_contact(person_id)
    state.set_do_not_contact(people[3])
    _add_candidacies(state, rng, people)
    _add_notes(state, rng, people)


def _when(rng: random.Random) -> datetime:
    return _EPOCH + timedelta(days=rng.randint(0, 500), minutes=rng.randint(0, 600))


def _add_shared(state: SandboxState, rng: random.Random, p: SharedPerson) -> str:
    at = _when(rng)
    person_id = str(state.create_person(p.first_name, p.last_name, at=at)["id"])
    state.add_email(person_id, p.email, "work", at)
    state.add_position(person_id, p.title, p.company, at)
    return person_id


def _add_random(state: SandboxState, rng: random.Random, taken: set[str]) -> str:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    company, title = rng.choice(COMPANIES), rng.choice(TITLES)
    local = f"{_slug(first)}.{_slug(last)}"
    email, n = f"{local}@{company_domain(company)}", 2
    while email in taken:
        email, n = f"{local}{n}@{company_domain(company)}", n + 1
    taken.add(email)
    at = _when(rng)
    person_id = str(state.create_person(first, last, at=at)["id"])
    state.add_email(person_id, email, "work", at)
    state.add_position(person_id, title, company, at)
    if rng.random() < 0.25:
        home = f"{_slug(first)}{_slug(last)[0]}{rng.randint(10, 99)}@mail.example.com"
        state.add_email(person_id, home, "home", at)
    if rng.random() < 0.6:
        slug = f"{_slug(first)}-{_slug(last)}-{rng.randint(1000, 9999)}"
        state.add_linkedin_url(person_id, f"https://www.linkedin.com/in/{slug}/", at)
    if rng.random() < 0.5:
        # 555-01xx numbers are reserved for fiction.
        state.add_phone(person_id, f"+1 212 555 01{rng.randint(0, 99):02d}", None, "work", at)
    if rng.random() < 0.2:
        state.add_tag(person_id, str(rng.randint(1, len(DEMO_TAGS))), at)
    return person_id


def _add_candidacies(state: SandboxState, rng: random.Random, people: list[str]) -> None:
    for project in state.list_projects(limit=len(DEMO_PROJECTS), offset=0):
        for person_id in rng.sample(people, rng.randint(6, 14)):
            status = rng.choice(CANDIDATE_STATUSES)
            state.add_candidacy(str(project["id"]), person_id, status, _when(rng))


def _add_notes(state: SandboxState, rng: random.Random, people: list[str]) -> None:
    for person_id in people:
        for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
            category, text = rng.choice(NOTE_SNIPPETS)
            state.add_note(person_id, f"<p>{text}</p>", "text/html", category, _when(rng))
