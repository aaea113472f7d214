"""Render the window and dialogs offscreen with demo data and save PNGs to docs/screenshots/
(light) and docs/screenshots/dark/ (dark).

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py [--scheme light|dark]
        [--scale 1|1.5|2]

--scale renders at that device pixel ratio (QT_SCALE_FACTOR, set before Qt starts) into
docs/screenshots/dpi/<scale>x/, a few screens only: enough to see clipping and blurry icons.

Uses a throw-away data dir and an in-process Clockwork sandbox (no socket, fake keys held in
memory only), so it never touches a real workspace, keyring or Clockwork. It runs on the
app's qasync loop, so the resync preview and progress are the real thing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtCore import QItemSelectionModel  # noqa: E402
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu  # noqa: E402
from screenshots_email import damaged_store, email_settings, email_sign_in  # noqa: E402
from shot_kit import SHOTS, save, settle, target, until  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app.demo import PROJECT_OF_SEQUENCE, fill  # noqa: E402
from app.domain import ContactFilter, ContactRow, ContactSyncState, SyncMode  # noqa: E402
from app.mail.types import MAIL_RUN, RunReport  # noqa: E402
from app.optout.footer import DEFAULT_FOOTER  # noqa: E402
from app.sandbox.harness import sandbox_transport  # noqa: E402
from app.sandbox.knobs import Knobs  # noqa: E402
from app.sandbox.seed import DEMO_CREDENTIALS, demo_state  # noqa: E402
from app.sandbox.state import SandboxState  # noqa: E402
from app.store import open_store  # noqa: E402
from app.store.models import Candidacy, Sequence  # noqa: E402
from app.sync.resync import ResyncScope  # noqa: E402
from app.workspace import Workspace  # noqa: E402
from ui.app import SANDBOX_TITLE, make_application  # noqa: E402
from ui.contacts.add_to_sequence import AddToSequenceDialog  # noqa: E402
from ui.contacts.import_dialog import ImportDialog  # noqa: E402
from ui.integration.connect_form import FIELDS  # noqa: E402
from ui.integration.pane import IntegrationPane  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.resync.preview_dialog import ResyncPreviewDialog  # noqa: E402
from ui.resync.progress_dialog import ResyncProgressDialog  # noqa: E402
from ui.runtime.bridge import EventBridge  # noqa: E402
from ui.runtime.task_runner import wait_for_all  # noqa: E402
from ui.runtime.theme import Scheme, ThemeController, add_to_menu_bar, install  # noqa: E402

# What a --scale run keeps: the panes, the nav icons, check marks and the progress figures.
DPI_SHOTS = {
    "sequences",
    "sequence_steps",
    "sequence_steps_paused",
    "contacts",
    "email",
    "integration",
    "resync_progress",
    "damaged_store_restored",
}


def demo_csv(folder: Path) -> Path:
    path = folder / "board-longlist.csv"
    path.write_text(
        "First Name,Last Name,Email,Company,Job Title,Notes\n"
        "Helena,Marsh,helena.marsh@halcyoncapital.example.com,Halcyon Capital,Managing Partner,\n"
        "Omar,Siddiqui,omar.siddiqui@atlasmaritime.example.com,Atlas Maritime,CFO,\n"
        "Ruth,Calloway,ruth.calloway@quillonfoods.example.com,Quillon Foods,Chair,met at SHRM\n"
        "Jonas,Weber,not-an-email,Kestrel Aerospace,COO,\n"
        "Ines,Duarte,ines.duarte@lumenretail.example.com,Lumen Retail Group,CEO,\n"
        "Ines,Duarte,INES.DUARTE@lumenretail.example.com,Lumen Retail Group,CEO,dup\n",
        encoding="utf-8",
    )
    return path


def already_in_clockwork(state: SandboxState, row: ContactRow, email: str) -> None:
    """A person the firm already has: with this email, or (another email) this LinkedIn."""
    at = datetime(2024, 5, 2, tzinfo=UTC)
    person = str(state.create_person(row.first_name, row.last_name, at=at)["id"])
    state.add_email(person, email, "work", at)
    if email != row.email:
        slug = f"{row.first_name}-{row.last_name}".lower()
        state.add_linkedin_url(person, f"https://www.linkedin.com/in/{slug}", at)


async def prepare(ws: Workspace, state: SandboxState) -> None:
    """The demo data, connected, with the first contacts in every sync state."""
    fill(ws)
    creds = DEMO_CREDENTIALS
    await ws.connect_clockwork(
        creds.firm, creds.api_key, creds.secret_key, creds.firm_service_key, remember=False
    )
    ws.update_clockwork_settings(
        sync_mode=SyncMode.ON_ADD, dedup=True, activity_tracking=True, rate_limit=100.0
    )
    projects = {p.name: p.id for p in ws.projects(syncable_only=True)}
    for info in ws.sequences():
        if PROJECT_OF_SEQUENCE.get(info.name) in projects:
            ws.set_sequence_project(info.id, projects[PROJECT_OF_SEQUENCE[info.name]])
    if hasattr(ws, "set_bcc_address"):
        ws.set_bcc_address("pendulum@demo.example.com")
    cfo = ws.sequence_by_name("CFO search · Northwind Health")
    rows = ws.contacts_page(ContactFilter(sequence_id=cfo.id), 0, 40)
    exists, twin, failing, queued = rows[3], rows[7], rows[10], rows[13]
    already_in_clockwork(state, exists, exists.email)
    already_in_clockwork(state, twin, f"{twin.first_name}.{twin.last_name}@home.example.com")
    flagged = (exists, twin)
    picked = [r for i, r in enumerate(rows[:30]) if i % 3 != 1 or r in flagged]
    picked = [r for r in picked if r not in (failing, queued)]
    await resync(ws, picked)
    project = projects[PROJECT_OF_SEQUENCE[cfo.name]]
    with ws.store.write() as session:  # as if the project was deleted in Clockwork meanwhile
        session.get_one(Sequence, cfo.id).project_id = "999999"
    await resync(ws, [failing])
    ws.set_sequence_project(cfo.id, project)
    ws.sync.resync(ResyncScope(contact_ids=(queued.id,)))  # waits for the background sync


async def resync(ws: Workspace, rows: list[ContactRow]) -> None:
    ws.sync.resync(ResyncScope(contact_ids=tuple(row.id for row in rows)))
    await ws.sync.run(max_wait=10)


async def connect_form(app: QApplication, tmp: Path, state: SandboxState) -> None:
    """A second, unconnected workspace: the connect form, refused by Clockwork."""
    ws = Workspace(open_store(f"sqlite:///{tmp}/new.db"), transport=sandbox_transport(state))
    bridge = EventBridge(ws.bus)
    pane = IntegrationPane(ws, bridge)
    pane.resize(1050, 720)
    pane.show()
    creds = DEMO_CREDENTIALS
    for name, value in zip(
        FIELDS, ("demo", creds.api_key, creds.secret_key, "an-old-firm-key"), strict=True
    ):
        pane.connection.form.edits[name].setText(value)
    pane.connection.form.connect_clockwork(remember=False)  # no keyring needed here
    await until(pane.connection.form.error_label.isVisible)
    await settle()
    save(pane, "integration_connect")
    pane.close()
    bridge.detach()
    await settle(60)
    await ws.aclose()
    ws.close()


async def shoot(app: QApplication, tmp: Path, themes: ThemeController) -> None:
    state, knobs = demo_state(), Knobs()
    await connect_form(app, tmp, state)
    ws = Workspace(open_store(f"sqlite:///{tmp}/e.db"), transport=sandbox_transport(state, knobs))
    await prepare(ws, state)
    bridge = EventBridge(ws.bus)
    window = MainWindow(ws, bridge)
    window.setWindowTitle(SANDBOX_TITLE)
    theme_menu = add_to_menu_bar(window.menuBar(), themes).findChild(QMenu, "themeMenu")
    assert isinstance(theme_menu, QMenu)
    window.resize(1240, 800)
    window.show()
    try:
        await panes(window, ws, tmp)
        await compatibility(window, knobs)
        await optouts(window, ws)
        await menus(window, theme_menu)
        await resync_dialogs(window, ws, knobs)
        await sync_log(window)
        await email_settings(ws)
        await email_sign_in(window, ws)
        await damaged_store(tmp)
    finally:
        await stop_background_sync()
        window.close()
        await settle(60)
        bridge.detach()
        wait_for_all()
        await ws.aclose()
        ws.close()


async def panes(window: MainWindow, ws: Workspace, tmp: Path) -> None:
    ws.update_clockwork_settings(rate_limit=5.0)  # the default, for the picture
    window.show_pane("Integration")
    window.resize(1240, 1010)  # tall enough for every setting and the Pendulum warning
    await settle()
    save(window, "integration")
    window.resize(1240, 800)
    sequences = window.sequences_pane
    window.show_pane("Sequences")
    cfo = ws.sequence_by_name("CFO search · Northwind Health")
    for i in range(sequences.list.topLevelItemCount()):
        if sequences.list.topLevelItem(i).text(0) == cfo.name:
            sequences.list.setCurrentItem(sequences.list.topLevelItem(i))
    await settle()
    save(window, "sequences")
    await sequence_steps(window, ws, cfo.id)
    tab = sequences.open_syncing()  # built when first opened: the pane finds its page
    await until(lambda: tab.loaded)  # its projects are read as it opens
    combo = tab.project_combo
    combo.setCurrentIndex(combo.findText("CEO – Atlas Robotics"))
    combo.activated.emit(combo.currentIndex())
    await until(tab.banner.isVisible)
    await settle()
    save(window, "sequence_syncing")
    window.show_pane("Contacts")
    await settle(600)
    save(window, "contacts")
    dialog = ImportDialog(ws, window.sequences_pane.current_sequence_id(), window)
    dialog.show()
    dialog.set_path(demo_csv(tmp))
    await settle()
    save(dialog, "import")
    dialog.preview.tabs.setCurrentIndex(1)  # the editable column mapping
    await settle()
    save(dialog, "import_mapping")
    dialog.close()
    await remove_and_undo(window, ws)
    await menus_and_quit(window)


async def remove_and_undo(window: MainWindow, ws: Workspace) -> None:
    """Delete on two contacts: the confirmation, then the Undo offered in the status bar."""
    pane = window.contacts_pane
    cfo = ws.sequence_by_name("CFO search · Northwind Health")
    pane.sequence_combo.setCurrentIndex(pane.sequence_combo.findData(cfo.id))
    await until(lambda: pane.model.shown_filter.sequence_id == cfo.id and pane.model.total > 0)
    await settle()
    pane.table.selectRow(0)
    pane.table.selectionModel().select(
        pane.model.index(1, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    menu = pane.menu.build(1)
    menu.popup(
        pane.table.viewport().mapToGlobal(pane.table.visualRect(pane.model.index(1, 2)).center())
    )
    await settle()
    save(menu, "contacts_context_menu")
    menu.close()
    await add_to_sequence(window)
    removal = window.menus.removals[pane]
    window.menus.remove.trigger()  # the Delete key
    await until(lambda: removal.question.dialog is not None)
    box = removal.question.dialog
    assert box is not None
    await settle()
    save(box, "remove_confirm")
    next(b for b in box.buttons() if b.text() == "Remove").click()
    await until(window.menus.undo.button.isVisible)
    await settle()
    save(window, "contacts_undo")
    window.menus.undo.undo()
    await until(lambda: not window.menus.undo.button.isVisible())
    await settle()


async def add_to_sequence(window: MainWindow) -> None:
    """The two selected contacts offered to another sequence: the dialog, before Add."""
    addition = window.menus.additions[0]
    addition.ask()
    await until(lambda: addition.dialog.dialog is not None)
    dialog = addition.dialog.dialog
    assert isinstance(dialog, AddToSequenceDialog)
    await until(lambda: dialog.loaded and bool(dialog.consequence.text()))
    await settle()
    save(dialog, "add_to_sequence")
    dialog.reject()
    await until(lambda: addition.dialog.dialog is None)


async def menus_and_quit(window: MainWindow) -> None:
    for name, menu in (("edit", window.menus.edit_menu), ("view", window.menus.view_menu)):
        menu.popup(window.mapToGlobal(window.rect().topLeft()))
        await settle(150)
        save(menu, f"menu_{name}")
        menu.close()
    await until(lambda: window.status.pending > 0)
    window.work.ask_before_quit(lambda: None)
    box = window.work.quit_box
    assert box is not None
    await settle()
    save(box, "quit_question")
    box.reject()
    await settle(60)


async def compatibility(window: MainWindow, knobs: Knobs) -> None:
    """The compatibility check's result, as the demo firm answers and with one answer in a
    renamed wrapper (the sandbox's drift knob); the candidate-status card beside it."""
    window.show_pane("Integration")
    pane = window.integration_pane
    for name, drifted in (
        ("integration_compat_ok", ""),
        ("integration_compat_drift", "list_people"),
    ):
        knobs.drift_wrappers = drifted
        pane.compat.report = None
        pane.compat.check()
        await until(lambda: pane.compat.report is not None and not pane.compat.action.busy)
        await settle()
        save(pane.compat, name)
    knobs.drift_wrappers = ""
    pane.statuses.fetch_statuses()
    await until(lambda: bool(pane.statuses.firm_statuses))
    await settle()
    save(pane.statuses, "integration_candidate_status")


async def optouts(window: MainWindow, ws: Workspace) -> None:
    """Candidate statuses read back from Clockwork, an opted-out contact, the opt-out list."""
    with ws.store.write() as session:
        for candidacy, status in zip(
            session.scalars(select(Candidacy).order_by(Candidacy.id)),
            ("Interested", "Placed", "Contacted", "Not interested", "Interested"),
            strict=False,
        ):
            candidacy.status = status
    cfo = ws.sequence_by_name("CFO search · Northwind Health")
    rows = ws.contacts_page(ContactFilter(sequence_id=cfo.id), 0, 10)
    ws.suppression.add([rows[2].email], "Replied: “please take me off your list”")
    ws.suppression.add(["old.contact@northwind.example.com"], "Asked by phone")
    pane = window.contacts_pane
    pane.sequence_combo.setCurrentIndex(pane.sequence_combo.findText(cfo.name))
    window.show_pane("Contacts")
    pane.model.refresh()
    await settle(800)
    save(window, "contacts_optout_status")
    details = pane.menu.opt_out_details(rows[2])
    await until(lambda: details.undo_button.isEnabled())
    await settle()
    save(details, "optout_details")
    details.close()
    dialog = pane.open_suppression_list()
    await until(lambda: dialog.table.rowCount() == 2)
    await settle()
    save(dialog, "suppression_list")
    dialog.close()
    pane.sequence_combo.setCurrentIndex(0)
    await settle()


async def menus(window: MainWindow, theme_menu: QMenu) -> None:
    """View → Theme, and a queued contact's menu: "Open in Clockwork" is disabled."""
    theme_menu.adjustSize()
    save(theme_menu, "menu_theme")
    table, model = window.contacts_pane.table, window.contacts_pane.model
    for row in range(model.rowCount()):
        found = model.row_at(model.index(row, 0))
        if found is not None and found.state is ContactSyncState.QUEUED:
            table.selectRow(row)
            menu = window.contacts_pane.menu.build(row)
            menu.adjustSize()
            await settle()
            save(menu, "menu_contact_queued")
            menu.close()
            return
    raise LookupError("screenshots: no queued contact on the first page")


async def sequence_steps(window: MainWindow, ws: Workspace, sequence_id: int) -> None:
    """The Steps tab: the demo's first email, previewed for the first contact."""
    tab = window.sequences_pane.open_steps()
    await until(lambda: tab.step_list.count() == len(ws.mail.steps(sequence_id)) > 0)
    tab.step_list.setCurrentRow(0)
    await until(lambda: tab.preview.body_view.isVisible())
    await settle()
    save(window, "sequence_steps")
    await sequence_hygiene(window, ws, sequence_id)


async def sequence_hygiene(window: MainWindow, ws: Workspace, sequence_id: int) -> None:
    """The Steps tab with the opt-out line on, then paused for its bounces; left as it was."""
    tab = window.sequences_pane.details.steps
    await until(lambda: tab.hygiene.loaded)
    tab.hygiene.footer.check.click()
    await until(lambda: tab.preview.body_view.toPlainText().endswith(DEFAULT_FOOTER))
    await settle()
    save(window, "sequence_steps_opt_out")
    with ws.store.write() as session:  # as the bounce guard leaves it after a mail pass
        session.get_one(Sequence, sequence_id).paused_reason = (
            "Paused: 3 of 24 emails bounced (12%, more than 5%). Check the addresses, then "
            "resume the sequence."
        )
    ws.bus.publish(MAIL_RUN, **RunReport(sent=4, bounces=3).as_dict())
    await until(tab.hygiene.banner.isVisible)
    await settle()
    save(window, "sequence_steps_paused")
    ws.mail.resume_sequence(sequence_id)
    ws.mail.set_footer(sequence_id, enabled=False)
    await until(lambda: not tab.hygiene.banner.isVisible())


_running: list[asyncio.Task[None]] = []


async def stop_background_sync() -> None:
    for task in _running:
        task.cancel()
    await asyncio.gather(*_running, return_exceptions=True)


async def resync_dialogs(window: MainWindow, ws: Workspace, knobs: Knobs) -> None:
    pane = window.contacts_pane
    pane.sequence_combo.setCurrentIndex(
        pane.sequence_combo.findText("VP Engineering · Series C fintech")
    )
    await settle()
    knobs.latency_ms = 60  # Clockwork at a realistic pace, so the progress can be seen
    ws.update_clockwork_settings(rate_limit=12.0)
    pane.resync()
    preview = window.sync_actions.dialog
    assert isinstance(preview, ResyncPreviewDialog)
    await until(lambda: preview.preview is not None)
    await settle()
    save(preview, "resync_preview")
    _running.append(asyncio.get_running_loop().create_task(ws.sync.run_forever()))
    preview.accept()
    await until(lambda: isinstance(window.sync_actions.dialog, ResyncProgressDialog))
    progress = window.sync_actions.dialog
    assert isinstance(progress, ResyncProgressDialog)
    await until(lambda: progress.bar.value() >= progress.bar.maximum() * 0.35, seconds=60)
    await until(lambda: "contacts/min" in progress.speed_label.text())
    save(progress, "resync_progress")
    progress.hide_button.click()  # Hide: the job lives on behind a status-bar item
    await until(window.work.job_item.isVisible)
    await settle(300)
    save(window, "resync_hidden")
    window.work.job_item.click()  # and comes back, Cancel included
    await until(progress.isVisible)
    progress.cancel_job()
    await until(lambda: progress.dropped is not None)
    await settle()
    save(progress, "resync_cancelled")
    progress.reject()
    knobs.latency_ms = 0


async def sync_log(window: MainWindow) -> None:
    dialog = window.sync_actions.show_log()
    await until(lambda: dialog.table.rowCount() > 0)
    for row in range(dialog.table.rowCount()):
        item = dialog.table.item(row, 3)
        if item.text() == "error":
            dialog.table.selectRow(row)
            dialog.table.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtCenter)
            break
    await settle()
    save(dialog, "sync_log")
    dialog.reject()


def main() -> int:
    parser = argparse.ArgumentParser(description="Render the panes and dialogs to PNG.")
    parser.add_argument("--scheme", choices=[s.value for s in Scheme], default="light")
    parser.add_argument("--scale", choices=["1", "1.5", "2"], help="device pixel ratio")
    args = parser.parse_args()
    scheme = Scheme(args.scheme)
    target.out = SHOTS / "dark" if scheme is Scheme.DARK else SHOTS
    if args.scale is not None:
        os.environ["QT_SCALE_FACTOR"] = args.scale  # read once, when the application starts
        target.out = SHOTS / "dpi" / f"{args.scale}x" / ("dark" if scheme is Scheme.DARK else "")
        target.only = DPI_SHOTS
    app = make_application()
    themes = install(app)
    themes.apply(scheme)  # this run's scheme, whatever the user's stored choice is
    with (
        tempfile.TemporaryDirectory() as tmp,
        asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner,
    ):
        runner.run(shoot(app, Path(tmp), themes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
