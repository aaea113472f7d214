"""Every migration goes down and up again on a store with contacts in a sequence, with the
tally and search triggers in place: nothing is lost on the way and the counts stay exact."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select

from app.domain import ContactFilter, ContactInput
from app.store import migrate
from app.store.engine import make_engine
from app.store.models import Enrollment, SequenceStep
from app.workspace import Workspace

pytestmark = pytest.mark.both_databases


def chain() -> list[str]:
    """Revisions after 0002, oldest first."""
    script = ScriptDirectory.from_config(migrate._config())
    revisions = [rev.revision for rev in script.walk_revisions()][::-1]
    return revisions[revisions.index("0002") + 1 :]


def move(engine: Engine, target: str, down: bool) -> None:
    config = migrate._config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, target)


def rows(engine: Engine) -> tuple[int, int]:
    with engine.connect() as conn:
        enrolled = conn.scalar(select(func.count()).select_from(Enrollment))
        steps = conn.scalar(select(func.count()).select_from(SequenceStep))
    return int(enrolled or 0), int(steps or 0)


@pytest.mark.parametrize("target", ["0002", *chain()[:-1]])
def test_down_to_each_revision_and_up_again_keeps_every_row(db_url: str, target: str) -> None:
    ws = Workspace.open(db_url)
    try:
        seq = ws.create_sequence("CFO")
        ws.mail.add_step(seq.id, subject="Hi", body="Hello")
        ws.add_contacts(
            seq.id, [ContactInput(email=f"p{i}@ex.com", company="Northwind") for i in range(5)]
        )
    finally:
        ws.close()
    engine = make_engine(db_url)
    try:
        move(engine, target, down=True)
        assert rows(engine) == (5, 1)
        migrate.upgrade(engine)
        assert rows(engine) == (5, 1)
    finally:
        engine.dispose()
    ws = Workspace.open(db_url)
    try:
        assert ws.count_contacts(ContactFilter(sequence_id=seq.id)) == 5
        assert ws.count_contacts(ContactFilter(search="northwind")) == 5
        ws.add_contacts(seq.id, [ContactInput(email="late@ex.com", company="Northwind")])
        assert ws.count_contacts(ContactFilter(sequence_id=seq.id)) == 6
    finally:
        ws.close()
