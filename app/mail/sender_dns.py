"""Would the from domain's SPF and DMARC records let mail through from the SMTP server in use?

Checked once when the from address or the SMTP server changes, with dnspython. The resolver
is a constructor argument (tests give a fake one; this code never needs the network to be
tested), and no network is an answer too: the check says it could not run, and runs again
next time the settings change or the user asks.

This is an estimate, said as one: SPF is evaluated for the SMTP server's own addresses (the
submission host; a provider may relay from others), and DKIM, which a provider may add, is
not known from here.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import dns.resolver

LOOKUP_LIMIT = 10  # RFC 7208 4.6.4
TIMEOUT_S = 3.0
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class DnsUnavailable(Exception):
    """No answer at all (no network, no name server): not the same as "no record"."""


class Resolver(Protocol):
    def txt(self, name: str) -> list[str]: ...
    def addresses(self, name: str) -> list[str]: ...
    def mx(self, name: str) -> list[str]: ...


class DnsPythonResolver:
    """The real one: dnspython with a short timeout, NXDOMAIN and no-answer as empty."""

    def __init__(self) -> None:
        self._resolver: dns.resolver.Resolver | None = None

    def _query(self, name: str, kind: str) -> list[str]:
        # Imported at the first lookup: dnspython costs 0.1 s of the window's start otherwise.
        import dns.exception
        import dns.resolver

        try:
            if self._resolver is None:
                self._resolver = dns.resolver.Resolver()
                self._resolver.lifetime = TIMEOUT_S
            answer = self._resolver.resolve(name, kind)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except (dns.exception.DNSException, OSError) as exc:
            raise DnsUnavailable(type(exc).__name__) from None
        if kind == "TXT":
            return [b"".join(r.strings).decode("utf-8", "replace") for r in answer]
        if kind == "MX":
            return [str(r.exchange).rstrip(".") for r in answer]
        return [r.to_text() for r in answer]

    def txt(self, name: str) -> list[str]:
        return self._query(name, "TXT")

    def addresses(self, name: str) -> list[str]:
        return self._query(name, "A") + self._query(name, "AAAA")

    def mx(self, name: str) -> list[str]:
        return self._query(name, "MX")


@dataclass
class _Spf:
    resolver: Resolver
    lookups: int = 0
    seen: set[str] = field(default_factory=set)

    def check(self, domain: str, ip: IpAddress) -> str:
        """ "pass", "fail", "softfail", "neutral", "none" or "permerror"."""
        record = _record(self.resolver.txt(domain), "v=spf1")
        if record is None:
            return "none"
        redirect: str | None = None
        for term in record.split()[1:]:
            if term.lower().startswith("redirect="):
                redirect = term.split("=", 1)[1]
                continue
            if "=" in term:
                continue  # other modifiers (exp=) do not decide
            qualifier = term[0] if term[0] in "+-~?" else "+"
            mechanism = term.lstrip("+-~?")
            matched = self._matches(domain, mechanism, ip)
            if matched is None:
                return "permerror"
            if matched:
                return {"+": "pass", "-": "fail", "~": "softfail", "?": "neutral"}[qualifier]
        if redirect:
            return self._nested(redirect, ip) or "permerror"
        return "neutral"

    def _nested(self, domain: str, ip: IpAddress) -> str | None:
        self.lookups += 1
        if self.lookups > LOOKUP_LIMIT or domain in self.seen:
            return None
        self.seen.add(domain)
        return self.check(domain, ip)

    def _matches(self, domain: str, mechanism: str, ip: IpAddress) -> bool | None:
        name, _, arg = mechanism.partition(":")
        name = name.lower()
        if name == "all":
            return True
        if name in ("ip4", "ip6"):
            return _in_network(ip, arg)
        if name == "include":
            result = self._nested(arg, ip)
            return None if result in (None, "none", "permerror") else result == "pass"
        if name.split("/")[0] in ("a", "mx"):
            self.lookups += 1
            if self.lookups > LOOKUP_LIMIT:
                return None
            target, prefix = _target(arg or domain, mechanism)
            hosts = self.resolver.mx(target) if name.startswith("mx") else [target]
            return any(
                _in_network(ip, f"{a}/{prefix}") if prefix else a == str(ip)
                for host in hosts
                for a in self.resolver.addresses(host)
            )
        return False  # exists, ptr: not evaluated; the rest of the record decides


def _target(arg: str, mechanism: str) -> tuple[str, str]:
    host, _, prefix = arg.partition("/")
    if "/" in mechanism and ":" not in mechanism:
        prefix = mechanism.partition("/")[2]
    return host, prefix.split("//")[0]


def _in_network(ip: IpAddress, text: str) -> bool:
    try:
        return ip in ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False


def _record(texts: list[str], prefix: str) -> str | None:
    found = [t for t in texts if t.lower().startswith(prefix.lower())]
    return found[0] if len(found) == 1 else None


def check(from_address: str, smtp_host: str, resolver: Resolver) -> list[str]:
    """Warnings, each a sentence; empty when SPF passes and DMARC is published."""
    domain = from_address.rpartition("@")[2].lower()
    if not domain or not smtp_host or _goes_nowhere(domain, smtp_host):
        return []
    try:
        spf = _spf_warnings(domain, smtp_host, resolver)
        return spf + _dmarc_warnings(domain, resolver, spf_failed=bool(spf))
    except DnsUnavailable:
        return [
            f"Could not check the SPF and DMARC records of {domain}: no DNS answer (offline?). "
            "It is checked again when the email settings change."
        ]


def _goes_nowhere(domain: str, smtp_host: str) -> bool:
    """A loopback server (the demo's catcher) or a reserved domain (RFC 2606/6761: the demo's
    example.com, .test, .invalid): no receiver will ever judge this mail."""
    if smtp_host.lower() == "localhost":
        return True
    try:
        if ipaddress.ip_address(smtp_host).is_loopback:
            return True
    except ValueError:
        pass
    labels = domain.split(".")
    reserved_tld = labels[-1] in ("test", "example", "invalid", "localhost")
    return reserved_tld or ".".join(labels[-2:]) in ("example.com", "example.net", "example.org")


def _spf_warnings(domain: str, smtp_host: str, resolver: Resolver) -> list[str]:
    ips = _host_ips(smtp_host, resolver)
    if not _record(resolver.txt(domain), "v=spf1"):
        return [
            f"{domain} publishes no SPF record: receiving servers cannot tell that "
            f"{smtp_host} may send for it, and may file the mail as spam."
        ]
    if not ips:
        return [f"{smtp_host} has no address in DNS: SPF for {domain} could not be checked."]
    results = [_Spf(resolver).check(domain, ip) for ip in ips]
    if "pass" in results:
        return []
    listed = ", ".join(str(ip) for ip in ips)
    return [
        f"SPF for {domain} does not list the SMTP server {smtp_host} ({listed}): result "
        f"{results[0]}. Receivers may refuse the mail or file it as spam, unless your "
        "provider relays from addresses the record lists."
    ]


def _dmarc_warnings(domain: str, resolver: Resolver, *, spf_failed: bool) -> list[str]:
    record = _record(resolver.txt(f"_dmarc.{domain}"), "v=DMARC1")
    if record is None:
        return [
            f"{domain} publishes no DMARC record: Gmail and Yahoo require one from senders "
            "of bulk mail."
        ]
    tags = dict(
        (k.strip().lower(), v.strip().lower())
        for k, _, v in (part.partition("=") for part in record.split(";"))
    )
    policy = tags.get("p", "none")
    if spf_failed and policy in ("reject", "quarantine"):
        action = "refused" if policy == "reject" else "filed as spam"
        return [
            f"DMARC for {domain} says p={policy}: with SPF failing, the mail is {action} "
            f"unless your provider signs it with DKIM for {domain}."
        ]
    return []


def _host_ips(host: str, resolver: Resolver) -> list[IpAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    return [ipaddress.ip_address(a) for a in resolver.addresses(host)]
