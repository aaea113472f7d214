"""The suppression list: kept across restarts, shared by two teammates on one database
(PostgreSQL included), CSV in and out, the `suppress` commands, `status --contacts`, and
doNotContact with a note in the Clockwork sandbox, through the outbox."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.domain import ContactInput, SyncMode
from app.errors import InputError
from app.projects import refresh_projects
from app.sandbox.harness import sandbox_client
from app.sandbox.state import SandboxState
from app.store.models import SyncRecord
from app.sync.outbox import Backoff
from app.workspace import Workspace
from tests.conftest import Cli, connect_firm, people


@pytest.mark.both_databases
def test_the_list_survives_a_restart_and_is_shared_by_teammates(db_url: str) -> None:
    with Workspace.open(db_url) as owner:
        owner.team.add("Ben Member", "ben@firm.com")
        seq = owner.create_sequence("CFO")
        owner.add_contacts(seq.id, people(3))
        report = owner.suppression.add(["Person1@Example.com"], note="asked by phone")
        assert (report.added, report.sequences_ended) == (["person1@example.com"], 1)
    with Workspace.open(db_url, user_email="ben@firm.com") as ben:
        entry = ben.suppression.get("PERSON1@example.com")
        assert entry is not None
        assert (entry.source, entry.trigger, entry.active) == ("manual", "asked by phone", True)
        assert entry.created_by is not None
        assert entry.created_by.endswith("@localhost")
        his = ben.create_sequence("Ben's CFO")
        added = ben.add_contacts(his.id, people(3))
        assert added.suppressed == ["person1@example.com"]
        assert ben.sequences()[0].contact_count == 2
        ben.suppression.add(["person2@example.com"])
    with Workspace.open(db_url) as owner:
        assert [e.email for e in owner.suppression.listing()] == [
            "person1@example.com",
            "person2@example.com",
        ]
        flags = {c["email"]: c["opted_out"] for c in owner.status(with_contacts=True)["contacts"]}  # type: ignore[union-attr]
        assert flags == {
            "person0@example.com": False,
            "person1@example.com": True,
            "person2@example.com": True,
        }


def test_suppressing_twice_and_bad_addresses(workspace: Workspace) -> None:
    first = workspace.suppression.add(["a@example.com", "not an address"])
    assert first.added == ["a@example.com"]
    assert first.rejected == [(2, '"not an address" is not an email address')]
    assert workspace.suppression.add(["A@EXAMPLE.COM"]).already == ["a@example.com"]
    with pytest.raises(InputError, match="not an email address"):
        workspace.suppression.add(["nope"])


def test_csv_export_and_import_round_trip(workspace: Workspace, tmp_path: Path) -> None:
    workspace.suppression.add(["b@example.com", "a@example.com"], note="GDPR objection")
    out = tmp_path / "suppressed.csv"
    assert workspace.suppression.export_csv(out) == 2
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "email,source,trigger,created_at,created_by,clockwork_person_id"
    assert lines[1].startswith("a@example.com,manual,GDPR objection,")

    other = tmp_path / "other.csv"
    other.write_text(
        "\ufeffName,EMAIL,Reason\nAnn,ann@example.com,asked\nBad,nope,\n"
        "Ann again,ANN@example.com,dup\n,,\nBea,a@example.com,\n",
        encoding="utf-8",
    )
    report = workspace.suppression.import_csv(other)
    assert (report.added, report.already) == (["ann@example.com"], ["a@example.com"])
    assert report.rejected == [(3, '"nope" is not an email address')]
    entry = workspace.suppression.get("ann@example.com")
    assert entry is not None
    assert (entry.source, entry.trigger) == ("import", "asked")
    bare = tmp_path / "bare.csv"
    bare.write_text("x@example.com\ny@example.com\n", encoding="utf-8")
    assert len(workspace.suppression.import_csv(bare).added) == 2


def test_suppress_commands(cli: Cli, tmp_path: Path) -> None:
    code, out, _ = cli("suppress", "add", "ada@example.com", "Bob@Example.com", "--note", "GDPR")
    assert (code, out) == (
        0,
        "2 suppressed, 0 already on the list, 0 sequence enrollments ended.\n",
    )
    code, out, _ = cli("suppress", "list", "--json")
    assert [(r["email"], r["source"], r["trigger"]) for r in json.loads(out)] == [
        ("ada@example.com", "manual", "GDPR"),
        ("bob@example.com", "manual", "GDPR"),
    ]
    with pytest.raises(SystemExit, match="2"):
        cli("suppress", "remove", "ada@example.com")  # --reason is required
    code, _, err = cli("suppress", "remove", "ada@example.com", "--reason", " ")
    assert code == 2
    assert err.endswith(
        "escapement: Say why the address may be emailed again (a reason is required).\n"
    )
    assert cli("suppress", "remove", "ADA@example.com", "--reason", "typo")[0] == 0
    code, _, err = cli("suppress", "remove", "ada@example.com", "--reason", "again")
    assert code == 2
    assert "is on the suppression list" in err
    code, out, _ = cli("suppress", "list", "--all")
    assert "undone by" in out
    assert "typo" in out
    path = tmp_path / "list.csv"
    assert cli("suppress", "export", str(path))[1] == f"1 addresses written to {path}.\n"
    code, _, err = cli("suppress", "add", "bad")
    assert (code, err) == (2, 'escapement: "bad" is not an email address.\n')
    code, _, err = cli("suppress", "import", str(tmp_path / "missing.csv"))
    assert code == 2


def test_hygiene_settings_commands(cli: Cli) -> None:
    assert cli("settings", "set", "pacing", "10-20")[0] == 0
    assert cli("settings", "set", "domain-cap", "off")[0] == 0
    assert cli("settings", "set", "opt-out-to-clockwork", "on")[0] == 0
    code, _, err = cli("settings", "set", "pacing", "fast")
    assert code == 2
    assert "MIN-MAX" in err
    assert cli("settings", "set", "domain-cap", "0")[0] == 2
    assert cli("sequence", "create", "CFO")[0] == 0
    code, out, _ = cli("sequence", "footer", "CFO", "on")
    assert out == 'Footer of "CFO" on: "Reply \'unsubscribe\' and I won\'t write again.".\n'
    code, out, _ = cli("sequence", "footer", "CFO", "--text", "Say stop and I stop.")
    assert out == 'Footer of "CFO" on: "Say stop and I stop.".\n'
    assert cli("sequence", "resume", "CFO")[1] == '"CFO" was not paused.\n'


@pytest.fixture
async def sandbox(workspace: Workspace) -> AsyncIterator[SandboxState]:
    async with sandbox_client() as (client, state, _knobs):
        connect_firm(workspace, state.firm)
        workspace.attach_client(client)
        workspace.sync.backoff = Backoff(base=0.005, cap=0.05)
        workspace.update_clockwork_settings(sync_mode=SyncMode.ON_ADD, dedup=False)
        await refresh_projects(workspace.store, client)
        yield state


async def test_an_opt_out_sets_do_not_contact_in_clockwork_with_a_note(
    workspace: Workspace, sandbox: SandboxState
) -> None:
    seq = workspace.create_sequence("CFO")
    workspace.add_contacts(seq.id, [ContactInput("ada@example.com", "Ada", "Lovelace")])
    await workspace.sync.run()
    person = sandbox.find_person("ada@example.com")
    assert person is not None
    assert person["doNotContact"] is False
    workspace.mail.set_opt_out_to_clockwork(True)
    workspace.suppression.add(["ada@example.com"], note="asked on the phone")
    await workspace.sync.run()
    person = sandbox.find_person("ada@example.com")
    assert person is not None
    assert person["doNotContact"] is True
    notes = [n["content"] for n in sandbox.list_notes(str(person["id"]), 100)]
    opted = [n for n in notes if "Opted out" in n]
    assert len(opted) == 1
    assert "by hand" in opted[0]
    assert "asked on the phone" in opted[0]
    entry = workspace.suppression.get("ada@example.com")
    assert entry is not None
    assert entry.clockwork_person_id == str(person["id"])


async def test_without_the_setting_clockwork_is_left_alone(
    workspace: Workspace, sandbox: SandboxState
) -> None:
    seq = workspace.create_sequence("CFO")
    workspace.add_contacts(seq.id, [ContactInput("ada@example.com", "Ada", "Lovelace")])
    await workspace.sync.run()
    workspace.suppression.add(["ada@example.com"])
    assert workspace.status()["outbox_pending"] == 0
    person = sandbox.find_person("ada@example.com")
    assert person is not None
    assert person["doNotContact"] is False


def test_the_same_clockwork_person_is_suppressed_under_another_address(
    workspace: Workspace,
) -> None:
    seq = workspace.create_sequence("CFO")
    workspace.add_contacts(seq.id, people(3))
    with workspace.store.write() as session:
        for i, person in ((0, "p-1"), (1, "p-1"), (2, "p-2")):
            record = session.get_one(SyncRecord, workspace.contact_id(f"person{i}@example.com"))
            record.clockwork_person_id = person
    workspace.suppression.add(["person0@example.com"])
    entry = workspace.suppression.get("person0@example.com")
    assert entry is not None
    assert entry.clockwork_person_id == "p-1"
    everyone = [f"person{i}@example.com" for i in range(3)]
    assert workspace.suppression.is_suppressed(everyone) == {
        "person0@example.com",
        "person1@example.com",  # the same Clockwork person, another address
    }
