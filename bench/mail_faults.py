"""The mail fault table: bad input and bad stored values fed to the CLI, in-process, with
aiosmtpd on loopback as the mail server; prints, per class of issue 12, the inputs tried,
those handled with a clear error, crashes (a traceback), and data lost or stuck.

    python bench/mail_faults.py

"Clear": exit 2 (input) or 1 with exactly one stderr line, or, for a value already stored,
that contact failing with its reason while the pass goes on. "Lost": an enrollment left
"sending", or a good contact not mailed because of another one's bad value.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import sqlite3
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from app.cli import main

LINE_BREAKS = ["a\r\nBcc: e@evil.com", "a\nb", "a\rb", "a\u2028b", "a\u2029b", "a\x85b",
               "a\x0bb", "a\x0cb", "a\x1cb", "a\x00b", "a\x1b[2Jb", "a\udc80b"]  # fmt: skip
ONE_ADDRESS_ATTACKS = [
    "pendulum-1@firm.clockworkrecruiting.com <attacker@evil.com>",
    "Ada <ada@firm.com>, Eve <eve@evil.com>", "ada@firm.com, eve@evil.com",
    "ada@firm.com eve@evil.com", "Ada <ada@firm.com> eve@evil.com", "Ada <ada@firm.com",
    "team: ada@firm.com;", "Ada <@evil.com:ada@firm.com>", '"', "<>", "@", "a@", "@b.com",
    "pendülum@firm.example.com", "ada@firm.com\r\nBcc: eve@evil.com",
]  # fmt: skip
GOOD_ADDRESSES = {
    "  Ada   Lovelace <Ada@Firm.example.COM> ": "Ada Lovelace <ada@firm.example.com>",
    '"Lovelace, Ada" <ada@firm.example.com>': "Lovelace, Ada <ada@firm.example.com>",
    "ada@bücher.example": "ada@bücher.example",
}
PASSWORD = "pässwörd-ß-密码"


@dataclass
class Row:
    tried: int = 0
    clear: int = 0
    crashes: int = 0
    lost: int = 0
    notes: list[str] = field(default_factory=list)


class Recorder:
    def __init__(self) -> None:
        self.rcpts: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.rcpts.extend(envelope.rcpt_tos)
        return "250 OK"


@contextlib.contextmanager
def smtp(**options: Any) -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    controller = Controller(recorder, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


def cli(data: Path, *argv: str) -> tuple[int | None, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code: int | None = main(["--data-dir", str(data), *argv])
        except BaseException as exc:  # a crash: what the table counts
            print(f"{type(exc).__name__}: {exc}", file=err)
            code = None
    return code, out.getvalue(), err.getvalue()


def clear(result: tuple[int | None, str, str], code: int) -> bool:
    got, _, err = result
    return got == code and err.count("\n") == 1 and "Traceback" not in err


def score(row: Row, result: tuple[int | None, str, str], code: int, label: str) -> None:
    row.tried += 1
    if result[0] is None:
        row.crashes += 1
        row.notes.append(f"crash: {label!r}: {result[2].strip()}")
    elif clear(result, code):
        row.clear += 1
    else:
        row.notes.append(f"unclear: {label!r}: exit {result[0]}, {result[2].strip()!r}")


def header_inputs(row: Row, data: Path) -> None:
    cli(data, "sequence", "create", "CFO")
    for bad in LINE_BREAKS:
        score(row, cli(data, "sequence", "step", "add", "CFO", "--subject", bad, "--body", "b"),
              2, bad)  # fmt: skip
        for protocol in ("smtp", "imap"):
            args = ("settings", "set", protocol, "--host", "mail.firm.example.com")
            score(row, cli(data, *args, "--user", bad), 2, bad)
            score(row, cli(data, "settings", "set", protocol, "--host", f"h{bad}.com"), 2, bad)


def one_address(row: Row, data: Path) -> None:
    for name in ("from", "bcc"):
        for bad in ONE_ADDRESS_ATTACKS:
            score(row, cli(data, "settings", "set", name, bad), 2, bad)
        for typed, stored in GOOD_ADDRESSES.items():
            row.tried += 1
            code, out, _ = cli(data, "settings", "set", name, typed)
            want = stored if name == "from" else stored.rpartition("<")[2].rstrip(">")
            if code == 0 and out.splitlines()[0] == f"{name} set to {want}.":
                row.clear += 1
            else:
                row.lost += 1
                row.notes.append(f"echo differs from stored: {typed!r} -> {out!r}")


def stored_values(row: Row, data: Path) -> None:
    """Values an older version let into the database: each must fail its contact only."""
    bad_cases: list[tuple[str, str, dict[str, Any]]] = [
        *[("subject", s, {}) for s in LINE_BREAKS[:9]],
        *[("first_name", s, {}) for s in LINE_BREAKS[:9]],
        ("email", "josé@bücher.example", {"enable_SMTPUTF8": False}),
        ("email", "ǆ@firm.example.com", {"enable_SMTPUTF8": False}),
    ]
    for index, (column, value, options) in enumerate(bad_cases):
        case = data / f"stored{index}"
        with smtp(**options) as (recorder, port):
            prepare_pass(case, port)
            inject(case, column, value)
            result = cli(case, "mail", "run-once")
        row.tried += 1
        stuck = count(case, "select count(*) from enrollments where send_state = 'sending'")
        good_mailed = sum(r.startswith("good") for r in recorder.rcpts)
        failed = count(case, "select count(*) from enrollments where send_error is not null")
        if result[0] is None:
            row.crashes += 1
            row.notes.append(f"crash: {column}={value!r}: {result[2].strip()}")
        elif stuck or good_mailed != 2:
            row.lost += 1
            row.notes.append(f"lost: {column}={value!r}: stuck {stuck}, good {good_mailed}/2")
        elif failed == 1:
            row.clear += 1
        else:
            row.notes.append(f"unclear: {column}={value!r}: {failed} failures recorded")


def prepare_pass(data: Path, port: int) -> None:
    cli(data, "settings", "set", "from", "rita@firm.example.com")
    cli(data, "settings", "set", "smtp", "--host", "127.0.0.1", "--port", str(port),
        "--security", "none")  # fmt: skip
    csv = data / "people.csv"
    csv.write_text("Email,First Name\nbad@contacts.example.com,Bad\n", encoding="utf-8")
    cli(data, "sequence", "create", "Bad")
    cli(data, "sequence", "step", "add", "Bad", "--subject", "Hi {first_name}", "--body", "b")
    cli(data, "contacts", "import", str(csv), "--sequence", "Bad")
    csv.write_text("Email\ngood1@contacts.example.com\ngood2@contacts.example.com\n")
    cli(data, "sequence", "create", "Good")
    cli(data, "sequence", "step", "add", "Good", "--subject", "Hello", "--body", "b")
    cli(data, "contacts", "import", str(csv), "--sequence", "Good")


def inject(data: Path, column: str, value: str) -> None:
    with sqlite3.connect(data / "escapement.db") as db:
        db.text_factory = str
        if column == "subject":
            db.execute("update sequence_steps set subject = ? where sequence_id = "
                       "(select id from sequences where name = 'Bad')", (value,))  # fmt: skip
        else:
            db.execute(f"update contacts set {column} = ? where email like 'bad@%'", (value,))


def count(data: Path, query: str) -> int:
    with sqlite3.connect(data / "escapement.db") as db:
        return int(db.execute(query).fetchone()[0])


def passwords(row: Row, data: Path) -> None:
    def check(server: Any, session: Any, envelope: Any, mechanism: str, auth: Any) -> AuthResult:
        ok = isinstance(auth, LoginPassword) and auth.password == PASSWORD.encode()
        return AuthResult(success=ok, handled=False)

    for excluded in ([], ["PLAIN"], ["PLAIN", "LOGIN"]):
        # "x\udc80": byte 0x80 in the environment, which is not UTF-8: an input error.
        for password, code in ((PASSWORD, 0), ("wröng", 1), ("x\udc80", 2)):
            with smtp(authenticator=check, auth_require_tls=False,
                      auth_exclude_mechanism=excluded) as (_, port):  # fmt: skip
                cli(data, "settings", "set", "from", "rita@firm.example.com")
                cli(data, "settings", "set", "smtp", "--host", "127.0.0.1", "--port", str(port),
                    "--security", "none", "--user", "rita")  # fmt: skip
                os.environ["SMTP_PASSWORD"] = password
                want = 1 if code == 0 and excluded == ["PLAIN", "LOGIN"] else code
                result = cli(data, "mail", "test")
                score(row, result, want, f"{password!r} without {excluded}")
                if password in result[2]:
                    row.lost += 1
                    row.notes.append("the password was shown")
    os.environ.pop("SMTP_PASSWORD", None)


def clear_text(row: Row, data: Path) -> None:
    cli(data, "settings", "set", "from", "rita@firm.example.com")
    for host, security, warned in (
        ("smtp.firm.example.com", "none", True),
        ("10.1.2.3", "none", True),
        ("localhost.evil.com", "none", True),
        ("smtp.firm.example.com", "starttls", False),
        ("127.0.0.1", "none", False),
        ("localhost", "none", False),
    ):
        for protocol in ("smtp", "imap"):
            row.tried += 1
            code, out, _ = cli(data, "settings", "set", protocol, "--host", host,
                               "--security", security, "--user", "rita")  # fmt: skip
            warning = f"The {protocol.upper()} password goes to {host} without encryption"
            if code == 0 and (warning in out) is warned:
                row.clear += 1
            else:
                row.notes.append(f"warning wrong for {protocol} {host} {security}")


def run() -> None:
    rows: dict[str, Row] = {}
    checks = (
        ("2 header fields at input", header_inputs),
        ("2 stored bad values, one pass", stored_values),
        ("2 non-ASCII SMTP passwords", passwords),
        ("3 from and BCC: one address", one_address),
        ("10 password without TLS", clear_text),
    )
    with tempfile.TemporaryDirectory() as tmp:
        for index, (name, check) in enumerate(checks):
            rows[name] = Row()
            check(rows[name], Path(tmp) / str(index))
    print(f"{'class':34} {'tried':>5} {'clear':>5} {'crashes':>7} {'lost':>4}")
    for name, row in rows.items():
        print(f"{name:34} {row.tried:5} {row.clear:5} {row.crashes:7} {row.lost:4}")
        for note in row.notes:
            print(f"    {note}")


if __name__ == "__main__":
    run()
