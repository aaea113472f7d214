"""The SPF and DMARC check of the from domain, with a fake resolver given to the MailFacade's
constructor: never the network."""

from __future__ import annotations

import pytest

from app.mail.facade import MailFacade
from app.mail.sender_dns import DnsUnavailable, check
from app.secrets import SecretStore
from app.workspace import Workspace

SMTP_IP = "203.0.113.25"


class FakeDns:
    """Answers from a table; a name missing from it has no record. `offline` answers nothing."""

    def __init__(self, records: dict[tuple[str, str], list[str]], offline: bool = False) -> None:
        self.records, self.offline = records, offline
        self.asked: list[tuple[str, str]] = []

    def _get(self, name: str, kind: str) -> list[str]:
        self.asked.append((name, kind))
        if self.offline:
            raise DnsUnavailable("Timeout")
        return self.records.get((name, kind), [])

    def txt(self, name: str) -> list[str]:
        return self._get(name, "TXT")

    def addresses(self, name: str) -> list[str]:
        return self._get(name, "A")

    def mx(self, name: str) -> list[str]:
        return self._get(name, "MX")


def dns(spf: str | None, dmarc: str | None = "v=DMARC1; p=none") -> FakeDns:
    records = {
        ("smtp.mailhost.net", "A"): [SMTP_IP],
        ("_spf.mailhost.net", "TXT"): ["v=spf1 ip4:203.0.113.0/24 -all"],
        ("mx.firm.com", "A"): ["198.51.100.7"],
        ("firm.com", "MX"): ["mx.firm.com"],
    }
    if spf:
        records[("firm.com", "TXT")] = ["google-site-verification=abc", spf]
    if dmarc:
        records[("_dmarc.firm.com", "TXT")] = [dmarc]
    return FakeDns(records)


@pytest.mark.parametrize(
    "spf",
    [
        "v=spf1 include:_spf.mailhost.net -all",
        f"v=spf1 ip4:{SMTP_IP} -all",
        "v=spf1 mx a:smtp.mailhost.net ~all",
        "v=spf1 redirect=_spf.mailhost.net",
        "v=spf1 ip4:203.0.0.0/16 ?all",
    ],
)
def test_spf_that_lists_the_smtp_server_passes(spf: str) -> None:
    assert check("ada@firm.com", "smtp.mailhost.net", dns(spf)) == []


@pytest.mark.parametrize(
    ("spf", "result"),
    [
        ("v=spf1 mx -all", "fail"),
        ("v=spf1 ip4:192.0.2.0/24 ~all", "softfail"),
        ("v=spf1 include:nowhere.example -all", "permerror"),
    ],
)
def test_spf_that_does_not_list_it_warns(spf: str, result: str) -> None:
    (warning,) = check("ada@firm.com", "smtp.mailhost.net", dns(spf))
    assert "does not list the SMTP server smtp.mailhost.net (203.0.113.25)" in warning
    assert f"result {result}" in warning


def test_no_spf_and_no_dmarc_each_warn() -> None:
    found = check("ada@firm.com", "smtp.mailhost.net", dns(None, None))
    assert len(found) == 2
    assert "publishes no SPF record" in found[0]
    assert "no DMARC record" in found[1]


def test_a_strict_dmarc_policy_with_failing_spf_says_what_happens() -> None:
    found = check("ada@firm.com", "smtp.mailhost.net", dns("v=spf1 -all", "v=DMARC1; p=reject"))
    assert "p=reject" in found[1]
    assert "refused unless your provider signs it with DKIM" in found[1]


def test_no_network_is_said_and_tried_again(workspace: Workspace) -> None:
    offline = FakeDns({}, offline=True)
    mail = MailFacade(
        workspace.store, workspace.bus, workspace.user_id, secrets=SecretStore(), resolver=offline
    )
    mail.set_from("Ada <ada@firm.com>")
    mail.set_smtp("smtp.mailhost.net", 587)
    (line,) = mail.check_sender_domain()
    assert "Could not check the SPF and DMARC records of firm.com" in line
    mail.resolver = dns("v=spf1 include:_spf.mailhost.net -all")
    assert mail.check_sender_domain() == []


def test_checked_once_per_change_and_shown_with_the_warnings(workspace: Workspace) -> None:
    fake = dns("v=spf1 mx -all")
    mail = MailFacade(
        workspace.store, workspace.bus, workspace.user_id, secrets=SecretStore(), resolver=fake
    )
    mail.set_from("Ada <ada@firm.com>")
    mail.set_smtp("smtp.mailhost.net", 587)
    assert len(mail.check_sender_domain()) == 1
    asked = len(fake.asked)
    assert len(mail.check_sender_domain()) == 1
    assert len(fake.asked) == asked  # same from domain and server: not asked again
    assert any("does not list the SMTP server" in w for w in mail.warnings())
    mail.set_smtp("smtp2.mailhost.net", 587)
    mail.check_sender_domain()
    assert len(fake.asked) > asked


@pytest.mark.parametrize(
    ("sender", "host"),
    [("ada@firm.example.com", "smtp.mailhost.net"), ("ada@firm.com", "127.0.0.1"),
     ("ada@x.test", "smtp.mailhost.net"), ("ada@firm.com", "localhost")],
)  # fmt: skip
def test_the_demo_and_loopback_servers_are_not_checked(sender: str, host: str) -> None:
    offline = FakeDns({}, offline=True)
    assert check(sender, host, offline) == []
    assert offline.asked == []
