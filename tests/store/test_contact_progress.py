"""The contacts table's progress columns: steps sent, the last reply or bounce, the last email,
for a page of contacts, in the filtered sequence or else the latest one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.domain import ActivityKind, ContactInput, EnrollmentStatus
from app.store.models import ActivityEvent, Enrollment
from app.workspace import Workspace

pytestmark = pytest.mark.both_databases


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 9, 0, tzinfo=UTC)


def event(ws: Workspace, contact_id: int, sequence_id: int, kind: ActivityKind, day: int) -> None:
    with ws.store.write() as session:
        enrollment = session.scalars(
            select(Enrollment).where(
                Enrollment.contact_id == contact_id, Enrollment.sequence_id == sequence_id
            )
        ).one()
        session.add(
            ActivityEvent(enrollment_id=enrollment.id, kind=kind.value, occurred_at=at(day))
        )
        if kind is ActivityKind.SENT:
            enrollment.next_step += 1
        if kind is ActivityKind.BOUNCED:
            enrollment.status = EnrollmentStatus.BOUNCED.value


def test_progress_of_a_page_in_a_sequence_or_the_latest(workspace: Workspace) -> None:
    one, two = workspace.create_sequence("One"), workspace.create_sequence("Two")
    people = [ContactInput(email=f"p{i}@ex.com") for i in range(3)]
    workspace.add_contacts(one.id, people)
    workspace.add_contacts(two.id, people[:1])
    ada, bob, cy = (workspace.contact_id(p.email) for p in people)
    event(workspace, ada, one.id, ActivityKind.SENT, 1)
    event(workspace, ada, one.id, ActivityKind.SENT, 4)
    event(workspace, ada, one.id, ActivityKind.REPLIED, 5)
    event(workspace, ada, two.id, ActivityKind.SENT, 7)
    event(workspace, bob, one.id, ActivityKind.SENT, 2)
    event(workspace, bob, one.id, ActivityKind.BOUNCED, 2)

    found = workspace.contact_progress([ada, bob, cy], one.id)
    assert found[ada].steps_sent == 2
    assert (found[ada].last_response, found[ada].last_email_at) == ("replied", at(4))
    assert found[ada].last_response_at == at(5)
    assert (found[bob].status, found[bob].last_response) == (EnrollmentStatus.BOUNCED, "bounced")
    assert (found[cy].steps_sent, found[cy].last_email_at, found[cy].last_response) == (
        0,
        None,
        None,
    )
    # Without a sequence: the one that emailed last (Two, on the 7th).
    latest = workspace.contact_progress([ada])[ada]
    assert (latest.steps_sent, latest.last_email_at, latest.last_response) == (1, at(7), None)
    assert workspace.contact_progress([]) == {}
