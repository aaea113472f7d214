"""`team add|list|set|remove|clone-settings`, acting with --as or ESCAPEMENT_USER."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli


@pytest.fixture
def team(cli: Cli) -> Cli:
    """The default Owner, a Manager on Clockwork, and Members on each kind of integration."""
    mia = ["--email", "mia@firm.com", "--role", "manager", "--integration", "clockwork"]
    assert (
        cli("team", "add", "Mia Manager", *mia, "--group", "Partners", "--group", "London")[0] == 0
    )
    for name, email, integration, group in [
        ("Ben Member", "ben@firm.com", "clockwork", "Partners"),
        ("Lou London", "lou@firm.com", "clockwork", "London"),
        ("Olga Other", "olga@firm.com", "other", "Partners"),
    ]:
        code, out, _ = cli(
            "team", "add", name, "--email", email, "--integration", integration, "--group", group
        )
        assert (code, out) == (0, f"Added {name} <{email}> as member.\n")
    assert cli("--as", "mia@firm.com", "settings", "set", "sync-mode", "on-add")[0] == 0
    assert cli("--as", "mia@firm.com", "settings", "set", "rate-limit", "3")[0] == 0
    return cli


def listed(cli: Cli) -> dict[str, dict[str, object]]:
    code, out, _ = cli("team", "list", "--json")
    assert code == 0
    return {mate["email"]: mate for mate in json.loads(out)}


def test_list_json_shows_roles_groups_integrations_and_settings(team: Cli) -> None:
    mates = listed(team)
    assert mates["mia@firm.com"] == {
        "name": "Mia Manager",
        "email": "mia@firm.com",
        "role": "manager",
        "groups": ["London", "Partners"],
        "integration": "clockwork",
        "clockwork_settings": {
            "sync_mode": "on-add",
            "dedup": True,
            "default_project_id": None,
            "activity_tracking": False,
            "rate_limit": 3.0,
        },
    }
    assert len(mates) == 5
    assert [m["role"] for m in mates.values()].count("owner") == 1


def test_clone_dry_run_then_for_real(team: Cli) -> None:
    code, out, _ = team("--as", "mia@firm.com", "team", "clone-settings", "--dry-run")
    assert code == 0
    assert "Would change (dry run): 2" in out
    assert "Ben Member <ben@firm.com>: sync_mode: off → on-add; rate_limit: 5.0 → 3.0" in out
    assert "Olga Other <olga@firm.com>: uses another integration" in out
    assert "Mia Manager <mia@firm.com>: that's you" in out
    assert listed(team)["ben@firm.com"]["clockwork_settings"]["sync_mode"] == "off"  # type: ignore[index]
    code, out, _ = team(
        "--as", "mia@firm.com", "team", "clone-settings", "--group", "partners", "--json"
    )
    plan = json.loads(out)
    assert (code, plan["applied"], plan["group"]) == (0, True, "Partners")
    assert [t["email"] for t in plan["changed"]] == ["ben@firm.com"]
    assert {s["email"]: s["reason"] for s in plan["skipped"]}["lou@firm.com"] == "not_in_group"
    settings = {email: m["clockwork_settings"] for email, m in listed(team).items()}
    assert settings["ben@firm.com"]["sync_mode"] == "on-add"  # type: ignore[index]
    assert settings["lou@firm.com"]["sync_mode"] == "off"  # type: ignore[index]


def test_members_are_refused_with_exit_2(team: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESCAPEMENT_USER", "ben@firm.com")
    code, _, err = team("team", "clone-settings")
    assert code == 2
    assert "Only Owners and Managers can clone" in err
    code, _, err = team("team", "add", "Cy", "--email", "cy@firm.com")
    assert code == 2
    assert "Members see it read-only" in err
    assert team("team", "list")[0] == 0


def test_set_and_remove(team: Cli) -> None:
    code, out, _ = team(
        "team",
        "set",
        "ben@firm.com",
        "--role",
        "manager",
        "--group",
        "London",
        "--integration",
        "other",
    )
    assert (code, out) == (0, "Ben Member <ben@firm.com>: manager, other, London.\n")
    code, out, _ = team("team", "set", "ben@firm.com", "--no-groups")
    assert out.endswith("no groups.\n")
    assert team("team", "remove", "BEN@firm.com")[0] == 0
    assert "ben@firm.com" not in listed(team)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("team", "remove", "nobody@firm.com"), "No teammate"),
        (("team", "add", "X", "--email", "nope"), "not an email address"),
        (("--as", "mia@firm.com", "team", "clone-settings", "--group", "Nowhere"), "No group"),
        (("--as", "ghost@firm.com", "team", "list"), "No teammate"),
    ],
)
def test_bad_input_exits_2(team: Cli, argv: tuple[str, ...], message: str) -> None:
    code, _, err = team(*argv)
    assert code == 2
    assert message in err


def test_an_unknown_role_is_a_usage_error(cli: Cli) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli("team", "add", "X", "--email", "x@firm.com", "--role", "boss")
    assert exit_info.value.code == 2
