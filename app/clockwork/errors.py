"""Typed Clockwork errors, each with a title and a message a recruiter can act on.

Two flags tell the sync engine what to do next:

- `retryable`: trying again later can succeed without the user changing anything.
- `maybe_applied`: a write may have been saved although we got no confirmation,
  so the next attempt must look the record up before creating it again.

Messages are built from fixed text and numbers only, never from request headers,
so they cannot carry a secret.
"""

from __future__ import annotations

from app.errors import EscapementError


class ClockworkError(EscapementError):
    title = "Clockwork problem"
    default_message = "Clockwork could not complete the request."
    retryable = False
    maybe_applied = False

    def __init__(
        self, message: str | None = None, *, status: int | None = None, title: str | None = None
    ) -> None:
        super().__init__(message or self.default_message, title=title)
        self.status = status

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, message={self.message!r})"


class AuthError(ClockworkError):
    title = "Clockwork rejected the API key"
    default_message = (
        "The API key or secret key is wrong, or the key was made inactive or deleted in "
        "Clockwork. Create a new key in Clockwork (Profile → API Keys) and enter it again."
    )


class ForbiddenError(ClockworkError):
    title = "Clockwork refused access"
    default_message = (
        "The firm service key is wrong, or the Clockwork API is not enabled for your firm. "
        "Ask your Clockwork administrator for the firm service key."
    )


class NotFound(ClockworkError):
    title = "Not found in Clockwork"
    default_message = "Clockwork has no such record; it may have been deleted."


class FirmNotFound(NotFound):
    title = "Firm not found in Clockwork"

    def __init__(self, firm: str, *, status: int | None = 404) -> None:
        super().__init__(
            f"Clockwork has no firm called “{firm}”. Check the Clockwork Domain: it is the "
            "first part of your Clockwork address, as in acme.clockworkrecruiting.com.",
            status=status,
        )
        self.firm = firm


class RateLimited(ClockworkError):
    title = "Clockwork asked us to slow down"
    retryable = True

    def __init__(self, retry_after: float, *, status: int | None = 429) -> None:
        wait = max(1, round(retry_after))
        super().__init__(
            f"Clockwork is receiving too many requests. Escapement will try again in {wait} s.",
            status=status,
        )
        self.retry_after = retry_after


class ServerError(ClockworkError):
    title = "Clockwork had a problem"
    retryable = True

    def __init__(self, status: int) -> None:
        super().__init__(
            f"Clockwork answered with a server error ({status}). Escapement will try again later.",
            status=status,
        )


class BadRequest(ClockworkError):
    title = "Clockwork refused the data"

    def __init__(self, status: int, detail: str = "") -> None:
        text = f"Clockwork refused the request ({status})"
        super().__init__(f"{text}: {detail}" if detail else f"{text}.", status=status)
        self.detail = detail


class Unreachable(ClockworkError):
    title = "Clockwork unreachable"
    default_message = (
        "Escapement could not connect to Clockwork; nothing was sent. "
        "Check the internet connection. Escapement will try again."
    )
    retryable = True


class NoResponse(Unreachable):
    """A read got no complete answer (timeout or dropped connection); reads are safe to repeat."""

    title = "Clockwork did not answer"
    default_message = "Clockwork did not answer in time. Escapement will try again."


class AmbiguousOutcome(ClockworkError):
    title = "Clockwork did not confirm"
    default_message = (
        "The connection ended before Clockwork confirmed the change, so it may or may not "
        "have been saved. Escapement will check Clockwork before trying again."
    )
    retryable = True
    maybe_applied = True


class MalformedResponse(ClockworkError):
    title = "Unexpected answer from Clockwork"
    default_message = "Clockwork sent an answer Escapement could not read."
    retryable = True

    def __init__(
        self, message: str | None = None, *, status: int | None = None, maybe_applied: bool = False
    ) -> None:
        super().__init__(message, status=status)
        # A 2xx to a write means it was probably saved even though we cannot read the answer.
        self.maybe_applied = maybe_applied


class ShapeDrift(MalformedResponse):
    """A readable answer in a shape the endpoint table does not expect (a renamed wrapper, a
    missing id). Not retried: the sync queue pauses as a whole until the user checks
    compatibility, and a write counts as maybe applied, settled by a lookup."""

    title = "Clockwork answered in an unknown shape"
    retryable = False

    def __init__(
        self, endpoint: str, shape: str, *, problem: str, maybe_applied: bool = False
    ) -> None:
        super().__init__(
            f"Clockwork's answer to {endpoint} {problem}; its API may have changed. "
            f"Answer shape: {shape}",
            maybe_applied=maybe_applied,
        )
        self.endpoint = endpoint
        self.shape = shape
        self.problem = problem
