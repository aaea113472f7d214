"""The refresh token in the keyring: one token per entry, split past Windows Credential
Manager's 2,560 bytes (keyring writes UTF-16 there), refused when longer than we allow."""

from __future__ import annotations

import keyring
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.mail.oauth.keyring_tokens import (
    MAX_PARTS,
    PART_CHARS,
    KeyringTokens,
    TokenTooLong,
    refresh_entry,
)
from app.secrets import SERVICE
from tests.keyring_fakes import MemoryKeyring

CREDENTIAL_MANAGER_BYTES = 2560
NAME = refresh_entry("microsoft", "Rita@Firm.example.com")
TOKEN_CHARS = st.sampled_from(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/="
)


def entries() -> dict[tuple[str, str], str]:
    backend = keyring.get_keyring()
    assert isinstance(backend, MemoryKeyring)
    return backend.entries


def test_a_short_token_is_one_entry_under_the_escapement_service() -> None:
    KeyringTokens().put(NAME, "rt-short")
    assert entries() == {(SERVICE, "oauth-refresh:microsoft:rita@firm.example.com"): "rt-short"}
    assert KeyringTokens().get(NAME) == "rt-short"


def test_a_long_microsoft_token_is_split_under_the_credential_manager_limit() -> None:
    token = "0.AXoA" + "x" * 4000
    store = KeyringTokens()
    store.put(NAME, token)
    assert store.get(NAME) == token
    assert len(entries()) == 1 + -(-len(token) // PART_CHARS)
    for value in entries().values():
        assert len(value.encode("utf-16-le")) <= CREDENTIAL_MANAGER_BYTES


def test_a_shorter_rotation_leaves_no_stale_parts_and_sign_out_removes_all() -> None:
    store = KeyringTokens()
    store.put(NAME, "a" * (3 * PART_CHARS))
    store.put(NAME, "b" * (PART_CHARS + 1))
    assert len(entries()) == 3
    store.put(NAME, "rotated")
    assert entries() == {(SERVICE, NAME): "rotated"}
    assert store.delete(NAME)
    assert entries() == {}
    assert not store.delete(NAME)


def test_a_token_too_long_for_the_keyring_is_refused_and_nothing_saved() -> None:
    with pytest.raises(TokenTooLong):
        KeyringTokens().put(NAME, "x" * (MAX_PARTS * PART_CHARS + 1))
    assert entries() == {}


@settings(max_examples=40, deadline=None)
@given(st.text(TOKEN_CHARS, min_size=1, max_size=MAX_PARTS * PART_CHARS))
def test_any_token_up_to_the_limit_reads_back_exactly(token: str) -> None:
    store = KeyringTokens()
    store.put(NAME, token)
    assert store.get(NAME) == token
    store.delete(NAME)
