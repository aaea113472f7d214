"""`resync [...] [--dry-run] [--json]` and `sync run`: the sync engine from the command line."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from app import events
from app.cli.options import open_workspace, run_async
from app.cli.sync_report import (
    DEFAULT_TIMEOUT,
    ProgressLine,
    exit_code,
    result_dict,
    summary_line,
)
from app.domain import ContactFilter, ContactSyncState
from app.errors import InputError
from app.sync.resync import ResyncPreview, ResyncScope
from app.sync.worker import DrainResult
from app.workspace import Workspace


def register(sub: Any) -> None:
    resync = sub.add_parser("resync", help="send contacts that have not synced yet to Clockwork")
    scope = resync.add_mutually_exclusive_group(required=True)
    scope.add_argument("--sequence", metavar="NAME")
    scope.add_argument("--contact", metavar="EMAIL")
    scope.add_argument("--all", action="store_true")
    resync.add_argument("--dry-run", action="store_true", help="only say what would happen")
    resync.add_argument(
        "--apply-project",
        action="store_true",
        help="with --sequence: also add already-synced contacts to its project",
    )
    resync.add_argument("--json", action="store_true")
    _add_timeout(resync)
    resync.set_defaults(handler=run_resync)
    sync = sub.add_parser("sync", help="the sync queue")
    actions = sync.add_subparsers(dest="action", metavar="ACTION", required=True)
    run = actions.add_parser("run", help="drain the queue, print counts and exit")
    run.add_argument("--json", action="store_true")
    _add_timeout(run)
    run.set_defaults(handler=run_sync)
    retry = actions.add_parser("retry", help="queue contacts in Error again")
    which = retry.add_mutually_exclusive_group(required=True)
    which.add_argument("--errors", action="store_true", help="every contact in Error")
    which.add_argument("emails", nargs="*", default=[], metavar="EMAIL")
    retry.set_defaults(handler=run_retry)


def _add_timeout(parser: Any) -> None:
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help=f"stop after this long, whatever is left (default {DEFAULT_TIMEOUT:g})",
    )


def _time_limit(args: argparse.Namespace) -> float:
    limit: float = args.timeout
    if not 0 < limit <= 7 * 24 * 3600:
        raise InputError("--timeout takes a number of seconds between 0 and 604800.")
    return limit


def scope_of(ws: Workspace, args: argparse.Namespace) -> ResyncScope:
    if args.sequence:
        return ResyncScope(sequence_id=ws.sequence_by_name(args.sequence).id)
    if args.contact:
        return ResyncScope(contact_ids=(ws.contact_id(args.contact),))
    return ResyncScope(everything=True)


def run_resync(args: argparse.Namespace) -> int:
    from app.cli import print_json

    with open_workspace(args) as ws:
        scope = scope_of(ws, args)
        if args.apply_project and scope.sequence_id is None:
            raise InputError("--apply-project goes with --sequence.")
        limit = _time_limit(args)
        if args.dry_run:
            preview = run_async(ws, lambda w: w.sync.preview(scope))
            print_json(preview.as_dict()) if args.json else print_preview(preview)
            return 0
        job, queued = ws.sync.resync(scope)
        moved = (
            ws.sync.apply_project(scope.sequence_id)
            if args.apply_project and scope.sequence_id
            else 0
        )
        result = run_async(ws, lambda w: drain_with_progress(w, job, queued, limit))
    summary = {"queued": queued, "added_to_project": moved, **result_dict(result)}
    print_json(summary) if args.json else print(summary_line(summary, limit))
    return exit_code(result)


def run_sync(args: argparse.Namespace) -> int:
    from app.cli import print_json

    limit = _time_limit(args)
    progress = ProgressLine(limit)
    with open_workspace(args) as ws:
        try:
            result = run_async(ws, lambda w: w.sync.run(time_limit=limit, on_outcome=progress))
        finally:
            progress.done()
    summary = result_dict(result)
    print_json(summary) if args.json else print(summary_line(summary, limit))
    return exit_code(result)


def run_retry(args: argparse.Namespace) -> int:
    with open_workspace(args) as ws:
        if args.errors:
            errors = ContactFilter(states=frozenset({ContactSyncState.ERROR}))
            ids = [row.id for row in ws.contacts_page(errors, 0, 1_000_000)]
        else:
            ids = [ws.contact_id(email) for email in args.emails]
        _, queued = ws.sync.retry(ids) if ids else ("", 0)
    print(f"{queued} contacts queued again; `sync run` sends them.")
    return 0


async def drain_with_progress(
    ws: Workspace, job: str, total: int, time_limit: float = DEFAULT_TIMEOUT
) -> DrainResult:
    started = time.monotonic()

    def show(_event: events.Event) -> None:
        progress = ws.sync.progress(job)
        finished = progress.done + progress.failed
        rate = finished / max(time.monotonic() - started, 1e-6)
        eta = (total - finished) / rate if rate else 0
        print(
            f"\r{finished}/{total} contacts, {rate:.1f}/s, ETA {eta:.0f} s",
            end="",
            file=sys.stderr,
            flush=True,
        )

    unsubscribe = ws.bus.subscribe(events.SYNC_PROGRESS, show)
    try:
        return await ws.sync.run(time_limit=time_limit)
    finally:
        unsubscribe()
        if total:
            print(file=sys.stderr)


def print_preview(preview: ResyncPreview) -> None:
    about = "about " if preview.estimated else ""
    print(f"{preview.selected} contacts selected; {preview.to_send} would be sent to Clockwork:")
    print(f"  {about}{preview.will_create} new people created")
    print(f"  {about}{preview.will_link} linked to an existing Clockwork person")
    print(f"  {about}{preview.will_flag_existing} marked Exists in Clockwork (deduplication is on)")
    print(f"  {about}{preview.will_flag_duplicate} marked Possible duplicate (same LinkedIn URL)")
    for project, n in preview.by_project.items():
        print(f"  {n} into project {project}")
    for reason, n in preview.skipped.items():
        print(f"  {n} skipped: {reason}")
