"""`mail run-once | uncertain | resolve | test`, and the email settings that take options
(`settings set smtp|imap ...`), which `settings_cmd` registers from here.

Passwords are never arguments, which other users can read from the process list: they come
from SMTP_PASSWORD / IMAP_PASSWORD, or are typed (or piped) once with --save-password and
kept in the keyring.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from app.cli import signin_cmd
from app.cli.options import open_workspace
from app.errors import NotFoundError
from app.mail.passwords import ENV, Protocol
from app.mail.types import RunReport

if TYPE_CHECKING:
    from app.mail.facade import MailFacade


def register(sub: Any) -> None:
    mail = sub.add_parser("mail", help="send due sequence emails and read replies")
    actions = mail.add_subparsers(dest="action", metavar="ACTION", required=True)
    once = actions.add_parser("run-once", help="send what is due now and read replies once")
    once.add_argument("--json", action="store_true")
    once.set_defaults(handler=run_once)
    listing = actions.add_parser("uncertain", help="emails that may or may not have gone out")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_uncertain)
    resolve = actions.add_parser("resolve", help="say whether an uncertain email went out")
    resolve.add_argument("email")
    resolve.add_argument("--sequence", required=True)
    verdict = resolve.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--sent", action="store_true", help="it went: record it as sent")
    verdict.add_argument("--not-sent", action="store_true", help="it did not: send it again")
    resolve.set_defaults(handler=resolve_uncertain)
    failed = actions.add_parser("failures", help="contacts whose email could not be sent, and why")
    failed.add_argument("--json", action="store_true")
    failed.set_defaults(handler=list_failures)
    test = actions.add_parser("test", help="send a test email through the SMTP settings")
    test.add_argument("--to", help="where to (default: your from address)")
    test.set_defaults(handler=send_test)
    signin_cmd.register(actions)


def run_once(args: argparse.Namespace) -> int:
    from app.cli import print_json

    with open_workspace(args) as ws:
        _warn_clear_text(ws.mail, "imap", "smtp")
        report = asyncio.run(ws.mail.run_once())
    if args.json:
        print_json(report.as_dict())
    else:
        print(_summary(report))
    if not report.mailbox:
        print(f"escapement: {NO_MAILBOX}", file=sys.stderr)
    elif not report.inbox:
        print(f"escapement: {NO_INBOX}", file=sys.stderr)
    for why in report.paused:
        print(f"escapement: {why}", file=sys.stderr)
    for error in report.errors:
        print(f"escapement: {error}", file=sys.stderr)
    return 1 if report.errors and not report.sent else 0


NO_MAILBOX = (
    "no mailbox is set up, so nothing was sent or read; set one up with "
    "`settings set smtp` and `settings set imap`, or in the window's Email pane"
)


NO_INBOX = (
    "no IMAP server is set up, so replies and bounces are not read and sequences keep mailing "
    "people who answered; set one up with `settings set imap`, or in the window's Email pane"
)


def _summary(report: RunReport) -> str:
    read = [f"{report.replies} replies", f"{report.bounces} bounces"]
    parts = [f"{report.sent} sent", *(read if report.inbox else ["replies and bounces not read"])]
    if report.deferred:
        why = "outside the sending window" if report.outside_window else "held back"
        why = "over the daily cap" if report.cap_reached else why
        parts.append(f"{report.deferred} {why}")
    for count, label in (
        (report.do_not_contact, "not mailed: do not contact"),
        (report.opted_out, "opted out"),
        (report.paced, "waiting for the pause between sends"),
        (report.domain_capped, "held by the per-domain hourly cap"),
        (report.confirmed, "interrupted sends found in Sent"),
        (report.requeued, "interrupted sends queued again"),
        (report.uncertain, "uncertain: see mail uncertain"),
        (report.failed, "failed: see mail failures"),
    ):
        if count:
            parts.append(f"{count} {label}")
    return ", ".join(parts) + "."


def list_uncertain(args: argparse.Namespace) -> int:
    from app.cli import print_json

    with open_workspace(args) as ws:
        rows = ws.mail.uncertain()
    if args.json:
        print_json([{**r.__dict__, "step": r.step_index + 1} for r in rows])
        return 0
    for r in rows:
        print(f"{r.email}\t{r.sequence}\tstep {r.step_index + 1}\t{r.message_id}")
    if not rows:
        print("No uncertain emails.")
    return 0


def resolve_uncertain(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        mail = ws.mail
        wanted = (args.email.strip().lower(), args.sequence.strip().casefold())
        match = [r for r in mail.uncertain() if (r.email, r.sequence.casefold()) == wanted]
        if not match:
            raise NotFoundError(f"No uncertain email to {args.email} in {args.sequence}.")
        mail.resolve_uncertain(match[0].enrollment_id, was_sent=args.sent)
    print("Recorded as sent." if args.sent else "It will be sent again on the next run.")
    return 0


def _warn_clear_text(mail: MailFacade, *protocols: Protocol) -> None:
    for protocol in protocols:
        exposed = mail.clear_text_warning(protocol)
        if exposed:
            print(f"escapement: warning: {exposed}", file=sys.stderr)


def list_failures(args: argparse.Namespace) -> int:
    from app.cli import print_json

    with open_workspace(args) as ws:
        rows = ws.mail.failures()
    if args.json:
        print_json([{**asdict(r), "step": r.step_index + 1} for r in rows])
        return 0
    for r in rows:
        print(f"{r.email}\t{r.sequence}\tstep {r.step_index + 1}\t{r.reason}")
    if not rows:
        print("No failed emails.")
    return 0


def send_test(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        _warn_clear_text(ws.mail, "smtp")
        to = asyncio.run(ws.mail.send_test(args.to))
    print(f"Test email sent to {to}.")
    return 0


# --- settings set smtp|imap ----------------------------------------------------------------


def register_servers(names: Any) -> None:
    for protocol, default in (("smtp", "starttls"), ("imap", "ssl")):
        server = names.add_parser(protocol, help=f"the {protocol.upper()} server")
        server.add_argument("--host", required=True)
        server.add_argument("--port", type=int, help="default: by security (465/587/25, 993/143)")
        server.add_argument("--user", help="login name (IMAP default: the from address)")
        server.add_argument("--security", choices=("ssl", "starttls", "none"), default=default)
        server.add_argument(
            "--auth",
            choices=("oauth", "password"),
            help="oauth: as the account signed in with mail signin (default: unchanged)",
        )
        server.add_argument(
            "--save-password",
            action="store_true",
            help="type (or pipe) the password and keep it in the keyring",
        )
        server.set_defaults(handler=set_server, protocol=protocol)


def set_server(args: argparse.Namespace) -> int:
    protocol: Protocol = args.protocol
    with open_workspace(args) as ws:
        mail = ws.mail
        setter = mail.set_smtp if protocol == "smtp" else mail.set_imap
        view = setter(args.host, args.port, args.security, args.user, args.auth)
        server = view.smtp if protocol == "smtp" else view.imap
        if args.save_password:
            mail.save_password(protocol, _read_password(protocol))
        if protocol == "smtp":
            mail.check_sender_domain()  # SPF and DMARC for this server, shown in warnings
        warnings = mail.warnings()
    who = f", user {server.user}" if server.user else ""
    print(f"{protocol} set to {server.host}:{server.port} ({server.security.value}{who}).")
    if os.environ.get(ENV[protocol]):
        print(f"{ENV[protocol]} is set: it is used instead of the keyring.")
    for warning in warnings:
        print(f"Warning: {warning}")
    return 0


def _read_password(protocol: Protocol) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(f"{protocol.upper()} password: ")
    return sys.stdin.readline().rstrip("\r\n")
