"""`suppressed_keys` reads the list once and intersects: it must still say exactly who is on
the list, by address or by Clockwork person, lifted entries excluded, for a set of addresses
far larger than one query's chunk."""

from __future__ import annotations

from pathlib import Path

from app.domain import ContactInput
from app.store.models import SyncRecord
from app.workspace import Workspace


def test_a_large_set_of_addresses_finds_listed_people_by_address_and_by_person(
    tmp_path: Path,
) -> None:
    emails = [f"p{i}@firm.example" for i in range(3_000)]
    with Workspace.open(f"sqlite:///{tmp_path / 'e.db'}") as ws:
        seq = ws.create_sequence("CFO")
        ws.add_contacts(seq.id, [ContactInput(email=e) for e in emails[:2_000]])
        with ws.store.write() as session:
            for i, person in ((5, "cw-1"), (1_500, "cw-1"), (7, "cw-2")):
                record = session.get_one(SyncRecord, ws.contact_id(emails[i]))
                record.clockwork_person_id = person
        ws.suppression.add([emails[5], emails[10], emails[2_500], emails[11]])
        ws.suppression.remove([emails[11]], reason="asked to hear again")
        asked = [e.upper() if i % 2 else e for i, e in enumerate(emails)]
        assert ws.suppression.is_suppressed(asked) == {
            emails[5],  # on the list
            emails[1_500],  # the same Clockwork person as emails[5]
            emails[10],
            emails[2_500],  # listed, never a contact
        }
