"""A registered secret is masked in every form it can take, on stderr and in tracebacks too."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.clockwork.redact import MASK, redact, register_secret
from tests.redaction import secrets_forgotten_after


@pytest.fixture(autouse=True, scope="module")
def forget_test_secrets() -> Iterator[None]:
    """Random secrets must not go on masking other modules' text."""
    with secrets_forgotten_after():
        yield


ROOT = Path(__file__).resolve().parents[2]
secrets = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=8, max_size=40
).filter(lambda s: s.strip() == s and len(set(s)) > 3)


@settings(max_examples=80)
@given(secret=secrets, prefix=st.text(max_size=5), suffix=st.text(max_size=5))
def test_every_encoding_of_a_secret_is_masked(secret: str, prefix: str, suffix: str) -> None:
    register_secret(secret)
    whole = prefix + secret + suffix
    forms = [
        whole,
        quote(whole, safe=""),
        json.dumps({"k": whole}),
        json.dumps({"k": whole}, ensure_ascii=False),
    ]
    for text in forms:
        assert secret not in redact(text)
        assert MASK in redact(text)
    raw = whole.encode()
    for encode in (base64.b64encode, base64.urlsafe_b64encode):
        encoded = encode(raw).decode()
        masked = redact(encoded)
        assert MASK in masked, (secret, encoded)


def test_basic_auth_header_is_masked() -> None:
    register_secret("pg-pass-7781")
    header = "Basic " + base64.b64encode(b"ana:pg-pass-7781").decode()
    assert MASK in redact(header)


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_a_traceback_on_stderr_is_masked() -> None:
    result = run_python(
        "from app.cli import process_guards; from app.clockwork.redact import register_secret\n"
        "process_guards.install(); register_secret('tb-secret-991')\n"
        "import sys; print('plain tb-secret-991', file=sys.stderr)\n"
        "raise RuntimeError('failed with tb-secret-991 and \"tb-secret-991\"')\n"
    )
    assert result.returncode == 1
    assert "RuntimeError" in result.stderr
    assert "tb-secret-991" not in result.stderr
    assert result.stderr.count(MASK) >= 3


def test_the_real_cli_never_prints_a_url_password(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "main.py",
            "--data-dir",
            str(tmp_path),
            "--database-url",
            "postgresql://ana@h/db?PassWord=cli-secret-42",
            "status",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "cli-secret-42" not in result.stderr + result.stdout
    assert "cli-secret-42" not in (tmp_path / "logs" / "escapement.log").read_text()
