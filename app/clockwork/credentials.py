"""The four values a Clockwork user enters, and the headers built from them."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from app.clockwork.domain_input import FIRM_PATTERN, InvalidDomain
from app.errors import InputError

_MASK = "***"


class InvalidCredentials(InputError):
    title = "Invalid Clockwork keys"


@dataclass(frozen=True, slots=True, repr=False)
class Credentials:
    firm: str
    api_key: str
    secret_key: str
    firm_service_key: str

    def __post_init__(self) -> None:
        if not FIRM_PATTERN.fullmatch(self.firm):
            raise InvalidDomain("The Clockwork Domain must be a firm name such as acme.")
        for label, value in (
            ("API key", self.api_key),
            ("secret key", self.secret_key),
            ("firm service key", self.firm_service_key),
        ):
            # Whitespace or control characters would break the HTTP headers; never echo
            # the value itself.
            if not value or not value.isascii() or not value.isprintable() or " " in value:
                raise InvalidCredentials(
                    f"The Clockwork {label} is empty or has characters a key cannot have."
                )

    def __repr__(self) -> str:
        return (
            f"Credentials(firm={self.firm!r}, api_key='{_MASK}', secret_key='{_MASK}', "
            f"firm_service_key='{_MASK}')"
        )

    __str__ = __repr__

    @property
    def token(self) -> str:
        raw = f"{self.api_key}:{self.secret_key}".encode()
        return base64.b64encode(raw).decode("ascii")

    def headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Token {self.token}",
            "X-API-Key": self.firm_service_key,
            "Accept": "application/json",
        }

    def secrets(self) -> tuple[str, ...]:
        """Every value that must never reach a log, an error message or a report."""
        return (self.api_key, self.secret_key, self.firm_service_key, self.token)
