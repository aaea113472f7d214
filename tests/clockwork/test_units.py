"""Pure parts of the Clockwork client: endpoint table, credentials, redaction, rules."""

from __future__ import annotations

import base64
import logging
from datetime import UTC, datetime

import httpx
import pytest

from app.clockwork import endpoints as ep
from app.clockwork import errors
from app.clockwork.credentials import Credentials, InvalidCredentials
from app.clockwork.domain_input import InvalidDomain
from app.clockwork.redact import MASK, SecretRedactor, install_redactor, redact, register_secret
from app.clockwork.responses import error_for, retry_after_seconds, stringify_ids
from app.clockwork.rules import is_syncable_project, person_url
from app.errors import EscapementError

CREDS = Credentials("acme", "unit-api-key-1234", "unit-secret-5678", "unit-firm-key-9012")


# -- endpoint table ---------------------------------------------------------------------------


def test_table_has_every_row_of_the_spec_once() -> None:
    names = [e.name for e in ep.ENDPOINTS]
    assert len(names) == len(set(names)) == 18
    assert all(isinstance(e.certainty, ep.Certainty) for e in ep.ENDPOINTS)
    writes = {e.name for e in ep.ENDPOINTS if e.method in ("POST", "PUT")}
    assert all(ep.ENDPOINTS[names.index(n)].request_key for n in writes)


@pytest.mark.parametrize(
    ("endpoint", "request_key", "response_key", "certainty"),
    [
        (ep.CREATE_PERSON, "person", "person", ep.Certainty.GUESS),
        (ep.ADD_EMAIL, "email", "personEmailAddress", ep.Certainty.CONFIRMED),
        (ep.ADD_NOTE, "note", "note", ep.Certainty.GUESS),
        (ep.ADD_CANDIDACY, "candidacy", "candidacy", ep.Certainty.GUESS),
        (ep.SEARCH_PEOPLE, None, "peopleSearch", ep.Certainty.SEEN),
        (ep.ADD_TAG, "person_tag", None, ep.Certainty.CONFIRMED),
        (ep.UPDATE_PERSON, "person", "person", ep.Certainty.GUESS),
    ],
)
def test_rows_follow_the_spec(
    endpoint: ep.Endpoint, request_key: str | None, response_key: str | None, certainty: str
) -> None:
    assert (endpoint.request_key, endpoint.response_key) == (request_key, response_key)
    assert endpoint.certainty == certainty


@pytest.mark.parametrize(
    ("ref", "encoded"),
    [
        ("123", "people/123"),
        ("Ann@Example.com", "people/Ann%40Example.com"),
        ("https://www.linkedin.com/in/x/", "people/https%3A%2F%2Fwww.linkedin.com%2Fin%2Fx%2F"),
        ("a b/../c?d#e", "people/a%20b%2F..%2Fc%3Fd%23e"),
    ],
)
def test_path_parameters_are_one_encoded_segment(ref: str, encoded: str) -> None:
    assert ep.GET_PERSON.url(ref=ref) == encoded
    assert ep.route("GET", [*encoded.split("/")[:1], ref]) == (ep.GET_PERSON, {"ref": ref})


@pytest.mark.parametrize("ref", ["", ".", "..", "..."])
def test_empty_or_dot_segments_are_refused(ref: str) -> None:
    with pytest.raises(ValueError, match="only dots"):
        ep.GET_PERSON.url(ref=ref)


def test_route_prefers_fixed_paths() -> None:
    assert ep.route("GET", ["people_search"]) == (ep.SEARCH_PEOPLE, {})
    assert ep.route("GET", ["people"]) == (ep.LIST_PEOPLE, {})
    assert ep.route("POST", ["people", "7", "notes"]) == (ep.ADD_NOTE, {"person_id": "7"})
    assert ep.route("GET", ["people", "7", "notes"]) == (ep.LIST_NOTES, {"person_id": "7"})
    assert ep.route("DELETE", ["people", "7"]) is None
    assert ep.route("GET", ["webhooks"]) is None


# -- credentials --------------------------------------------------------------------------------


def test_headers() -> None:
    headers = CREDS.headers()
    token = base64.b64encode(b"unit-api-key-1234:unit-secret-5678").decode()
    assert headers == {
        "Authorization": f"Token {token}",
        "X-API-Key": "unit-firm-key-9012",
        "Accept": "application/json",
    }
    assert CREDS.token == token
    assert set(CREDS.secrets()) == {
        "unit-api-key-1234",
        "unit-secret-5678",
        "unit-firm-key-9012",
        token,
    }


def test_credentials_repr_masks_secrets() -> None:
    for text in (repr(CREDS), str(CREDS), f"{CREDS}", repr([CREDS])):
        assert "acme" in text
        assert not any(secret in text for secret in CREDS.secrets())


@pytest.mark.parametrize("bad", ["", "has space", "new\nline", "tab\there", "naïve"])
def test_credentials_refuse_header_breaking_values_without_echoing(bad: str) -> None:
    with pytest.raises(InvalidCredentials) as info:
        Credentials("acme", bad or "", "s", "f")
    assert bad == "" or bad not in str(info.value)


def test_credentials_refuse_bad_firm() -> None:
    with pytest.raises(InvalidDomain):
        Credentials("evil.com/x", "a", "s", "f")


# -- redaction ---------------------------------------------------------------------------------


def test_redact_masks_registered_values_and_their_url_form() -> None:
    register_secret("redact-me/+=")
    register_secret("")
    assert redact("a redact-me/+= b") == f"a {MASK} b"
    assert redact("q=redact-me%2F%2B%3D") == f"q={MASK}"
    assert redact("nothing here") == "nothing here"


def test_redactor_filter_cleans_message_args_and_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "filter-secret-4711"
    register_secret(secret)
    caplog.handler.addFilter(SecretRedactor())
    log = logging.getLogger("test.redact")
    with caplog.at_level(logging.DEBUG):
        log.debug("header X-API-Key: %s", secret)
        log.info("headers %r", {"X-API-Key": secret})
        try:
            raise RuntimeError(f"boom {secret}")
        except RuntimeError:
            log.exception("failed")
    assert len(caplog.records) == 3
    assert secret not in caplog.text
    assert MASK in caplog.records[0].getMessage()
    assert all(secret not in repr(r.args) for r in caplog.records)


def test_install_redactor_attaches_once() -> None:
    logger = logging.getLogger("test.install")
    handler = logging.NullHandler()
    logger.addHandler(handler)
    try:
        install_redactor(logger)
        install_redactor(logger)
        assert sum(isinstance(f, SecretRedactor) for f in handler.filters) == 1
    finally:
        logger.removeHandler(handler)


# -- responses ------------------------------------------------------------------------------


def test_ids_become_strings_everywhere() -> None:
    data = {
        "person": {
            "id": 5,
            "emailAddresses": [{"id": 7, "isPreferred": True}],
            "personId": 9,
            "tag_id": 3,
            "count": 4,
            "positions": [{"company": {"id": 1}}],
        }
    }
    assert stringify_ids(data) == {
        "person": {
            "id": "5",
            "emailAddresses": [{"id": "7", "isPreferred": True}],
            "personId": "9",
            "tag_id": "3",
            "count": 4,
            "positions": [{"company": {"id": "1"}}],
        }
    }


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (None, 1.0),
        ("", 1.0),
        ("3", 3.0),
        ("0.25", 0.25),
        ("-5", 0.0),
        ("nan", 1.0),
        ("inf", 1.0),
        ("soon", 1.0),
        ("Wed, 01 Jan 2025 00:00:30 GMT", 30.0),
        ("Wed, 01 Jan 2025 00:00:00 GMT", 0.0),
    ],
)
def test_retry_after(header: str | None, seconds: float) -> None:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    assert retry_after_seconds(header, now=now) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("status", "body", "error_type"),
    [
        (401, b"", errors.AuthError),
        (403, b"", errors.ForbiddenError),
        (404, b'{"error":"firm_not_found"}', errors.FirmNotFound),
        (404, b'{"error":"not_found"}', errors.NotFound),
        (404, b"<html>", errors.NotFound),
        (400, b'{"message":"bad"}', errors.BadRequest),
        (422, b'{"error":"invalid","message":"Address is not valid."}', errors.BadRequest),
        (409, b"", errors.BadRequest),
        (429, b"", errors.RateLimited),
        (500, b"", errors.ServerError),
        (503, b"", errors.ServerError),
        (302, b"", errors.MalformedResponse),
    ],
)
def test_error_for_status(status: int, body: bytes, error_type: type) -> None:
    error = error_for(httpx.Response(status, content=body), "acme")
    assert type(error) is error_type
    assert isinstance(error, EscapementError)
    assert error.title
    assert error.message
    assert error_for(httpx.Response(200), "acme") is None


def test_bad_request_detail_is_redacted_and_short() -> None:
    register_secret("echoed-secret-0042")
    body = b'{"message": "key echoed-secret-0042 ' + b"x" * 1000 + b'"}'
    error = error_for(httpx.Response(422, content=body), "acme")
    assert isinstance(error, errors.BadRequest)
    assert "echoed-secret-0042" not in str(error)
    assert len(error.detail) <= 300


def test_retryable_and_maybe_applied_flags() -> None:
    assert not errors.AuthError().retryable
    assert not errors.ForbiddenError().retryable
    assert not errors.FirmNotFound("acme").retryable
    assert not errors.BadRequest(422).retryable
    assert errors.RateLimited(2.0).retryable
    assert errors.ServerError(502).retryable
    assert errors.Unreachable().retryable
    assert not errors.Unreachable().maybe_applied
    assert errors.AmbiguousOutcome().retryable
    assert errors.AmbiguousOutcome().maybe_applied
    assert errors.MalformedResponse(maybe_applied=True).maybe_applied
    assert "acme" in errors.FirmNotFound("acme").message
    assert errors.RateLimited(2.4).retry_after == 2.4
    assert "inactive or deleted" in errors.AuthError().message


# -- rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "syncable"),
    [
        ("Active", True),
        ("open", True),
        ("Pitch", True),
        ("On Hold", True),
        ("ON HOLD", True),
        ("Retained - Active", True),
        ("", True),
        (None, True),
        ({"name": "Pitch"}, True),
        ("Closed", False),
        ("closed", False),
        ("Cancelled", False),
        ("Canceled", False),
        ("Placed", False),
        ("Filled", False),
        ("Lost", False),
        ("Closed - Placed", False),
        ({"name": "Closed"}, False),
    ],
)
def test_is_syncable_project(status: object, syncable: bool) -> None:
    assert is_syncable_project({"id": "1", "status": status}) is syncable


def test_person_url() -> None:
    assert person_url("acme", "42") == "https://acme.clockworkrecruiting.com/people/42"
    assert person_url("acme", "a/b") == "https://acme.clockworkrecruiting.com/people/a%2Fb"
    with pytest.raises(InvalidDomain):
        person_url("evil.com/", "1")
