"""`sequence create NAME`, `sequence set NAME`, and `sequence step add|edit|list|remove|preview`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli import suppress_cmd
from app.cli.options import open_workspace
from app.errors import InputError
from app.mail.types import StepInfo


def register(sub: Any) -> None:
    seq = sub.add_parser("sequence", help="create and configure sequences")
    actions = seq.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="create a sequence")
    create.add_argument("name")
    create.set_defaults(handler=create_sequence)
    set_cmd = actions.add_parser("set", help="the sequence's Syncing settings")
    set_cmd.add_argument("name")
    set_cmd.add_argument("--sync", choices=("on", "off"), help='the "Sync to Clockwork" toggle')
    set_cmd.add_argument("--project", metavar="ID|none", help="project override; none = default")
    set_cmd.set_defaults(handler=set_sequence)
    register_steps(actions)
    suppress_cmd.register_sequence(actions)


def create_sequence(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        info = ws.create_sequence(args.name)
    print(f'Created sequence "{info.name}".')
    return 0


def set_sequence(args: argparse.Namespace) -> int:
    if args.sync is None and args.project is None:
        raise InputError("Say what to change: --sync on|off and/or --project ID|none.")
    behind = 0
    with open_workspace(args) as ws:
        info = ws.sequence_by_name(args.name)
        if args.sync is not None:
            ws.set_sequence_sync(info.id, args.sync == "on")
        if args.project is not None:
            ws.set_sequence_project(
                info.id, None if args.project.lower() == "none" else args.project
            )
            behind = ws.sync.synced_outside_project(info.id)
    print(f'Updated sequence "{info.name}".')
    if behind:
        print(
            f"{behind} contacts already synced are not in this project. To add them: "
            f'resync --sequence "{info.name}" --apply-project'
        )
    return 0


def register_steps(actions: Any) -> None:
    step = actions.add_parser("step", help="the emails of a sequence")
    steps = step.add_subparsers(dest="step_action", metavar="ACTION", required=True)
    add = steps.add_parser("add", help="append a step")
    add.add_argument("name", help="the sequence")
    add.add_argument("--subject", default="", help="placeholders: {first_name}, {company}, ...")
    _body_options(add, required=True)
    add.add_argument("--delay-days", type=int, default=0, help="days after the previous step")
    add.add_argument("--new-thread", action="store_true", help="not a reply to the last email")
    add.set_defaults(handler=add_step)
    edit = steps.add_parser("edit", help="change a step; emails already sent stay as they were")
    edit.add_argument("name", help="the sequence")
    edit.add_argument("number", type=int, help="the step number, from 1")
    edit.add_argument("--subject", help="placeholders: {first_name}, {company}, ...")
    _body_options(edit, required=False)
    edit.add_argument("--delay-days", type=int, help="days after the previous step")
    thread = edit.add_mutually_exclusive_group()
    thread.add_argument("--same-thread", dest="same_thread", action="store_true", default=None)
    thread.add_argument("--new-thread", dest="same_thread", action="store_false")
    edit.set_defaults(handler=edit_step)
    listing = steps.add_parser("list", help="show the steps")
    listing.add_argument("name")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_steps)
    remove = steps.add_parser("remove", help="remove a step nobody has been sent yet")
    remove.add_argument("name")
    remove.add_argument("number", type=int, help="the step number, from 1")
    remove.set_defaults(handler=remove_step)
    preview = steps.add_parser("preview", help="a step as one contact would get it")
    preview.add_argument("name")
    preview.add_argument("number", type=int, help="the step number, from 1")
    preview.add_argument("--contact", required=True, metavar="EMAIL")
    preview.set_defaults(handler=preview_step)


def _body_options(parser: argparse.ArgumentParser, *, required: bool) -> None:
    body = parser.add_mutually_exclusive_group(required=required)
    body.add_argument("--body", help="the text, with placeholders like {first_name}")
    body.add_argument("--body-file", type=Path, help="read the text from this UTF-8 file")


def _body(args: argparse.Namespace) -> str | None:
    if args.body_file is not None:
        return read_body_file(args.body_file)
    return args.body  # type: ignore[no-any-return]


#: A step body is an email, not a document: a bigger file is surely the wrong one.
MAX_BODY_FILE = 1_000_000


def read_body_file(path: Path) -> str:
    """The file's text, or one line saying why it cannot be a step body."""
    try:
        if path.is_dir():
            raise InputError(f"--body-file {path} is a folder, not a text file.")
        if path.stat().st_size > MAX_BODY_FILE:
            raise InputError(
                f"--body-file {path} is over {MAX_BODY_FILE:,} bytes; is it the right file?"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"--body-file {path} does not exist.") from None
    except OSError as exc:
        raise InputError(
            f"Cannot read --body-file {path}: {exc.strerror or type(exc).__name__}."
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"--body-file {path} is not UTF-8 text (at byte {exc.start + 1:,}); save it as UTF-8."
        ) from None
    if "\x00" in text:
        raise InputError(f"--body-file {path} is a binary file, not text.")
    return text


def add_step(args: argparse.Namespace) -> int:
    body = _body(args) or ""
    with open_workspace(args) as ws:
        info = ws.sequence_by_name(args.name)
        step = ws.mail.add_step(
            info.id,
            subject=args.subject,
            body=body,
            delay_days=args.delay_days,
            same_thread=not args.new_thread,
        )
    print(f'Added step {step.index + 1} to "{info.name}".')
    return 0


def list_steps(args: argparse.Namespace) -> int:
    from app.cli import print_json

    with open_workspace(args) as ws:
        steps = ws.mail.steps(ws.sequence_by_name(args.name).id)
    if args.json:
        print_json([_step_dict(s) for s in steps])
        return 0
    for s in steps:
        thread = "same thread" if s.same_thread and s.index else "new thread"
        subject = s.subject or "(Re: the thread's subject)"
        print(f"{s.index + 1}. after {s.delay_days} days, {thread}: {subject}")
    if not steps:
        print("No steps yet: add one with sequence step add.")
    return 0


def _step_dict(step: StepInfo) -> dict[str, object]:
    return {
        "number": step.index + 1,
        "subject": step.subject,
        "body": step.body,
        "delay_days": step.delay_days,
        "same_thread": step.same_thread,
    }


def edit_step(args: argparse.Namespace) -> int:
    body = _body(args)
    if (args.subject, body, args.delay_days, args.same_thread) == (None, None, None, None):
        raise InputError("Say what to change: --subject, --body, --delay-days or the thread.")
    with open_workspace(args) as ws:
        info = ws.sequence_by_name(args.name)
        ws.mail.update_step(
            info.id,
            args.number - 1,
            subject=args.subject,
            body=body,
            delay_days=args.delay_days,
            same_thread=args.same_thread,
        )
    print(f'Changed step {args.number} of "{info.name}".')
    return 0


def remove_step(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        ws.mail.remove_step(ws.sequence_by_name(args.name).id, args.number - 1)
    print(f"Removed step {args.number}.")
    return 0


def preview_step(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        shown = ws.mail.preview(
            ws.sequence_by_name(args.name).id, args.number - 1, ws.contact_id(args.contact)
        )
    print(f"Subject: {shown.subject}\n\n{shown.body}")
    if shown.missing:
        print(f"Warning: no value for {', '.join(shown.missing)}: sent blank.")
    return 0
