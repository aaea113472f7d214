"""`resync [...] [--dry-run] [--json]` and `sync run`: the sync engine from the command line."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from app import events
from app.cli.options import open_workspace, run_async
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
    resync.set_defaults(handler=run_resync)
    sync = sub.add_parser("sync", help="the sync queue")
    actions = sync.add_subparsers(dest="action", metavar="ACTION", required=True)
    run = actions.add_parser("run", help="drain the queue, print counts and exit")
    run.add_argument("--json", action="store_true")
    run.set_defaults(handler=run_sync)


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
        result = run_async(ws, lambda w: drain_with_progress(w, job, queued))
    summary = {"queued": queued, "added_to_project": moved, **_result_dict(result)}
    print_json(summary) if args.json else print(_summary_line(summary))
    return _exit_code(result)


def run_sync(args: argparse.Namespace) -> int:
    from app.cli import print_json

    with open_workspace(args) as ws:
        result = run_async(ws, lambda w: w.sync.run())
    summary = _result_dict(result)
    print_json(summary) if args.json else print(_summary_line(summary))
    return _exit_code(result)


async def drain_with_progress(ws: Workspace, job: str, total: int) -> DrainResult:
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
        return await ws.sync.run()
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
    for project, n in preview.by_project.items():
        print(f"  {n} into project {project}")
    for reason, n in preview.skipped.items():
        print(f"  {n} skipped: {reason}")


def _result_dict(result: DrainResult) -> dict[str, Any]:
    return {"counts": result.counts, "remaining": result.remaining, "paused": result.paused}


def _summary_line(summary: dict[str, Any]) -> str:
    counts = (
        ", ".join(f"{n} {outcome}" for outcome, n in sorted(summary["counts"].items()))
        or "nothing to do"
    )
    line = f"{counts}; {summary['remaining']} left in the queue."
    if summary.get("paused"):
        line += f" Paused: {summary['paused']}"
    return line


def _exit_code(result: DrainResult) -> int:
    """0 when nothing is left but permanent errors, which show on their contacts."""
    if result.paused or result.remaining:
        return 1
    return 0
