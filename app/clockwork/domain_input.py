"""Parse the "Clockwork Domain" a user pastes, and build the API base URL from it.

The credentials go to whatever host this module lets through, so it accepts only the
three shapes Clockwork users paste (`acme`, `acme.clockworkrecruiting.com`,
`https://acme.clockworkrecruiting.com/...`) and refuses everything else.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from app.clockwork.endpoints import API_HOST, API_VERSION_PREFIX
from app.errors import InputError

FIRM_PATTERN = re.compile(r"[a-z0-9](?:-?[a-z0-9])*")
_HOST_PATTERN = re.compile(r"([a-z0-9](?:-?[a-z0-9])*)\.clockworkrecruiting\.com")
_WEB_SUFFIX = ".clockworkrecruiting.com"
MAX_FIRM_LENGTH = 63
MAX_INPUT_LENGTH = 2000

_EXAMPLE = (
    "Enter the first part of your Clockwork address: for acme.clockworkrecruiting.com, enter acme."
)


class InvalidDomain(InputError):
    title = "Invalid Clockwork Domain"


class InvalidApiOrigin(InputError):
    title = "Invalid Clockwork API address"


def parse_firm(text: str) -> str:
    """The firm's subdomain (`acme`) from what the user typed, or InvalidDomain."""
    value = text.strip()
    if not value:
        raise InvalidDomain(f"The Clockwork Domain is empty. {_EXAMPLE}")
    if len(value) > MAX_INPUT_LENGTH:
        raise InvalidDomain(f"The Clockwork Domain is too long. {_EXAMPLE}")
    # Checked before lower-casing: some non-ASCII letters lower-case to ASCII ones.
    if not value.isascii() or not value.isprintable() or any(c.isspace() for c in value):
        raise InvalidDomain(f"The Clockwork Domain contains characters it cannot have. {_EXAMPLE}")
    value = value.lower()
    if "://" in value:
        return _firm_from_url(value)
    if _WEB_SUFFIX in value:
        # Browsers hide the scheme, so users also paste `acme.clockworkrecruiting.com/...`.
        return _firm_from_url("https://" + value)
    return _check_label(value.rstrip("/"))


def _firm_from_url(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        raise InvalidDomain(f"That is not a valid Clockwork address. {_EXAMPLE}") from None
    if parts.scheme not in ("http", "https"):
        raise InvalidDomain(f"The Clockwork address must start with https://. {_EXAMPLE}")
    netloc = parts.netloc
    if "@" in netloc:
        raise InvalidDomain("The Clockwork address cannot contain a user name or password.")
    if ":" in netloc:
        raise InvalidDomain("The Clockwork address cannot name a port.")
    match = _HOST_PATTERN.fullmatch(netloc)
    if match is None:
        raise InvalidDomain(
            f"“{_shorten(netloc)}” is not a Clockwork address. Clockwork addresses end in "
            f"clockworkrecruiting.com. {_EXAMPLE}"
        )
    return _check_label(match.group(1))


def _check_label(label: str) -> str:
    if len(label) > MAX_FIRM_LENGTH:
        raise InvalidDomain(f"The Clockwork Domain is too long. {_EXAMPLE}")
    if not FIRM_PATTERN.fullmatch(label):
        raise InvalidDomain(
            "The Clockwork Domain can only hold letters, digits and single hyphens "
            f"between them. {_EXAMPLE}"
        )
    return label


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def base_url(firm: str, origin_override: str | None = None) -> str:
    """`https://api.clockworkrecruiting.com/v3.0/{firm}`, or the same path on a loopback origin.

    The override exists for the sandbox (CLOCKWORK_API_URL / --clockwork-url); it is refused
    unless it points at this machine, so that no setting can send credentials elsewhere.
    """
    _check_label(firm)
    origin = f"https://{API_HOST}" if origin_override is None else loopback_origin(origin_override)
    return f"{origin}/{API_VERSION_PREFIX}/{firm}"


def loopback_origin(text: str) -> str:
    """`scheme://host[:port]` from an override URL, or InvalidApiOrigin if not loopback."""
    try:
        parts = urlsplit(text.strip().rstrip("/"))
    except ValueError:
        raise InvalidApiOrigin("The Clockwork API address is not a valid URL.") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidApiOrigin("The Clockwork API address must look like http://127.0.0.1:8765.")
    if "@" in parts.netloc or parts.path or parts.query or parts.fragment:
        raise InvalidApiOrigin(
            "The Clockwork API address must be only a scheme, a host and a port, "
            "like http://127.0.0.1:8765."
        )
    try:
        host, port = parts.hostname or "", parts.port
    except ValueError:
        raise InvalidApiOrigin("The Clockwork API address has an invalid port.") from None
    if not is_loopback_host(host):
        raise InvalidApiOrigin(
            "The Clockwork API address can only point at this computer (127.0.0.1, ::1 or "
            "localhost); the real Clockwork API needs no address setting."
        )
    shown = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{shown}" + (f":{port}" if port is not None else "")


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
