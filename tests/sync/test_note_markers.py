"""Note markers against hostile text: a name, subject, body or sequence name that spells a
marker can never make a retry miss its own note, or find another's, and post it again."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.activity import record_activity
from app.domain import ActivityKind, ContactFilter, ContactInput
from app.store.models import Contact, Enrollment
from app.sync.notes import activity_of, note_html, note_marker
from app.sync.records import ActivityNote
from app.users import settings_for
from tests.sync.conftest import Rig

# Pieces an attacker (or a careless paste) would use to forge or break a marker.
_PIECES = st.sampled_from(
    [
        "[escapement:activity:1]",
        "[escapement:activity:2]",
        "<p>[escapement:activity:1]</p>",
        "</p>\n<p>[escapement:activity:2]</p>",
        "[escapement:activity:",
        "]",
        "\n",
        "\r\n",
        "\u2028",
        "<p>",
        "</p>",
        "&#91;",
        " ",
    ]
)
HOSTILE = st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=6).map("".join)


def activity(activity_id: int, sequence: str, subject: str, body: str) -> ActivityNote:
    return ActivityNote(
        activity_id,
        ActivityKind.SENT,
        datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
        subject,
        sequence,
        0,
        body,
    )


@given(
    activity_id=st.integers(1, 10**12),
    sequence=HOSTILE,
    subject=HOSTILE,
    body=HOSTILE,
    trailing=st.sampled_from(["", "\n", "  \n"]),
)
def test_a_note_is_found_by_its_own_activity_whatever_its_text(
    activity_id: int, sequence: str, subject: str, body: str, trailing: str
) -> None:
    content = note_html(activity(activity_id, sequence, subject, body)) + trailing
    assert activity_of(content) == activity_id
    assert content.rstrip().splitlines()[-1] == f"<p>{note_marker(activity_id)}</p>"


@given(text=HOSTILE)
def test_user_text_alone_never_reads_as_a_marker(text: str) -> None:
    # Clockwork notes the app did not post (Pendulum mail, a recruiter's own note) hold any text.
    assert activity_of(text + "\n<p>more</p>") is None
    assert note_marker(1) not in note_html(activity(5, text, text, text)).rsplit("\n", 1)[0]


def test_a_marker_after_text_on_the_same_line_is_not_ours() -> None:
    assert activity_of("Ada <p>[escapement:activity:3]</p>") is None
    assert activity_of("Ada[escapement:activity:3]") is None
    assert activity_of("<p>x</p><p>[escapement:activity:3]</p>") == 3  # notes posted before


_SERIAL = itertools.count()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=HOSTILE, subject=HOSTILE, body=HOSTILE)
async def test_hostile_text_with_dropped_answers_posts_each_note_once(
    rig: Rig, name: str, subject: str, body: str
) -> None:
    rig.ws.update_clockwork_settings(activity_tracking=True)
    serial = next(_SERIAL)
    seq = rig.ws.create_sequence(f"Hostile {serial} {name}"[:200])
    email = f"hostile{serial}@fresh.example.com"
    rig.ws.add_contacts(seq.id, [ContactInput(email=email, first_name=name[:100], last_name="X")])
    await rig.ws.sync.run()
    with rig.ws.store.write() as session:
        contact = session.scalars(select(Contact).where(Contact.email == email)).one()
        enrollment = session.scalars(
            select(Enrollment).where(Enrollment.contact_id == contact.id)
        ).one()
        user = settings_for(session, rig.ws.user_id)
        for kind in (ActivityKind.SENT, ActivityKind.REPLIED):
            record_activity(session, user, enrollment, kind, subject=f"{name} {subject}", body=body)
    # Every note write lands and its answer is lost, several times over, then Clockwork heals.
    rig.knobs.update({"drop_after_write_rate": 1.0})
    for _ in range(3):
        await rig.ws.sync.run(max_wait=0)
    rig.knobs.update({"drop_after_write_rate": 0.0})
    result = await rig.ws.sync.run()
    assert result.remaining == 0
    [row] = rig.ws.contacts_page(ContactFilter(search=email), 0, 5)
    assert row.clockwork_person_id is not None
    notes = rig.cw.list_notes(row.clockwork_person_id, 100)
    markers = sorted(activity_of(n["content"]) or 0 for n in notes)
    assert len(notes) == 2
    assert len(set(markers)) == 2
    assert 0 not in markers
