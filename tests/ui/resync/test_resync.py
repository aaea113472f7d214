"""Resync to Clockwork from the Contacts pane: the dry run, the progress, and a real Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain import ContactFilter, ContactInput, ContactSyncState, SyncMode
from tests.ui.conftest import ASYNC_GUI, Sandbox, background_sync, people, shared, until
from ui.main_window import MainWindow
from ui.resync.preview_dialog import ResyncPreviewDialog, preview_rows
from ui.resync.progress_dialog import ResyncProgressDialog


def window_for(sandbox: Sandbox, qtbot: QtBot) -> MainWindow:
    window = MainWindow(sandbox.ws, sandbox.bridge)
    qtbot.addWidget(window)
    window.show()
    window.show_pane("Contacts")
    return window


def backlog(sandbox: Sandbox, n: int) -> int:
    """Contacts added while sync was off (as before connecting): the resync's work."""
    ws = sandbox.ws
    ws.update_clockwork_settings(sync_mode=SyncMode.OFF)
    seq = ws.create_sequence("Backlog")
    ws.add_contacts(seq.id, people(n, domain="fresh.example.com"))
    return seq.id


async def preview_dialog(window: MainWindow) -> ResyncPreviewDialog:
    # A selection's rows may still be loading; the dialog opens once they are read.
    await until(lambda: window.sync_actions.dialog is not None)
    dialog = window.sync_actions.dialog
    assert isinstance(dialog, ResyncPreviewDialog)
    await until(lambda: dialog.preview is not None or dialog.error_label.isVisible())
    return dialog


@ASYNC_GUI
async def test_the_preview_says_what_would_happen_and_sends_nothing(
    sandbox: Sandbox, qtbot: QtBot
) -> None:
    ws = sandbox.ws
    await sandbox.connect(dedup=True)
    seq = backlog(sandbox, 3)
    ws.add_contacts(seq, [shared(0), shared(1)])
    ws.set_sequence_project(seq, sandbox.project_id("CEO – Atlas"))
    window = window_for(sandbox, qtbot)
    writes = len(sandbox.state.journal.writes())
    queued = ws.status()["outbox_pending"]
    sandbox.knobs.latency_ms = 80  # the lookups take a moment: a busy bar meanwhile
    qtbot.mouseClick(window.contacts_pane.resync_button, Qt.MouseButton.LeftButton)
    dialog = window.sync_actions.dialog
    assert isinstance(dialog, ResyncPreviewDialog)
    assert dialog.busy.isVisible()
    assert not dialog.start_button.isEnabled()
    qtbot.mouseClick(window.contacts_pane.resync_button, Qt.MouseButton.LeftButton)
    assert window.sync_actions.dialog is dialog  # a second click opens no second flow
    await preview_dialog(window)
    assert dialog.heading.text() == "Resync all contacts"
    assert dict(preview_rows(dialog.preview)) == {  # type: ignore[arg-type]
        "Contacts selected": "5",
        "To send": "5",
        "New in Clockwork": "3",
        "Linked to an existing person": "0",
        'Flagged "Exists in Clockwork"': "2",
        'Flagged "Possible duplicate" (same LinkedIn)': "0",
        "By project": "5  ·  CEO – Atlas Robotics",
        # 3 creates at up to 8 requests and 2 lookups, at 100 requests a second
        "Time in Clockwork": "under a minute at your current cap\nup to 26 requests",
    }
    assert dialog.start_button.text() == "Resync 5 contacts"
    assert not dialog.busy.isVisible()
    assert len(sandbox.state.journal.writes()) == writes  # a dry run: lookups only
    assert ws.status()["outbox_pending"] == queued
    dialog.reject()
    await until(lambda: window.sync_actions.dialog is None)
    assert ws.status()["outbox_pending"] == queued
    unsent = ContactFilter(states=frozenset({ContactSyncState.NOT_SYNCED}))
    assert ws.count_contacts(unsent) == 5


@ASYNC_GUI
async def test_the_preview_of_a_selection_lists_what_it_skips(
    sandbox: Sandbox, qtbot: QtBot
) -> None:
    ws = sandbox.ws
    await sandbox.connect(dedup=False)
    seq = backlog(sandbox, 3)
    ws.update_clockwork_settings(sync_mode=SyncMode.ON_ADD)
    ws.add_contacts(seq, [ContactInput("early@fresh.example.com", "Early", "Bird")])
    await ws.sync.run(max_wait=5)
    window = window_for(sandbox, qtbot)
    pane = window.contacts_pane
    await until(lambda: pane.model.total == 4)
    pane.table.selectAll()
    pane.resync()
    dialog = await preview_dialog(window)
    assert dialog.heading.text() == "Resync 4 selected contacts"
    figures = dict(preview_rows(dialog.preview))  # type: ignore[arg-type]
    assert figures["Contacts selected"] == "4"
    assert figures["To send"] == "3"
    assert figures["Skipped (1)"] == "1  ·  already synced to Clockwork"
    assert figures["By project"] == "3  ·  (no project)"
    dialog.reject()


@ASYNC_GUI
async def test_progress_advances_and_cancel_really_stops(sandbox: Sandbox, qtbot: QtBot) -> None:
    ws = sandbox.ws
    await sandbox.connect(dedup=False, rate_limit=40.0)
    backlog(sandbox, 40)
    sandbox.knobs.latency_ms = 20
    async with background_sync(ws) as service:
        window = window_for(sandbox, qtbot)
        window.contacts_pane.resync()
        preview = await preview_dialog(window)
        qtbot.mouseClick(preview.start_button, Qt.MouseButton.LeftButton)
        await until(lambda: isinstance(window.sync_actions.dialog, ResyncProgressDialog))
        progress = window.sync_actions.dialog
        assert isinstance(progress, ResyncProgressDialog)
        assert progress.bar.maximum() == 40
        seen: list[int] = []

        def advanced() -> bool:
            seen.append(progress.bar.value())
            return len(set(seen)) >= 3 and progress.bar.value() >= 3

        await until(advanced, seconds=15, what="the bar to move")
        assert seen == sorted(seen)  # only forward
        await until(lambda: "contacts/min" in progress.speed_label.text(), what="the rate")
        assert "left" in progress.speed_label.text()  # and an estimate of the time left
        assert progress.figures["Synced"].text() != "0"
        # Clockwork stalls, so the job is still under way whatever the machine's load: the
        # Cancel has to stop requests in flight.
        sandbox.knobs.latency_ms = 60_000
        qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
        assert progress.cancel_button.text() == "Stopping…"
        await until(lambda: progress.dropped is not None, what="the cancel")
        stopped_at = len(sandbox.state.journal)
        job = progress.job_id
        assert ws.sync.progress(job).pending == 0
        assert progress.dropped > 0
        assert f"{progress.dropped} contacts left unsent" in progress.result_label.text()
        assert progress.hide_button.text() == "Close"
        assert not progress.cancel_button.isVisible()
        await until(lambda: progress.progress is not None and progress.progress.pending == 0)
        unsent = ws.count_contacts(ContactFilter(states=frozenset({ContactSyncState.NOT_SYNCED})))
        # A contact's Synced is written with its item's finish, so none is both.
        assert progress.dropped == unsent
        after_cancel = service.last_drain
        # The background sync carries on with the rest: a whole drain after the cancel...
        await until(lambda: service.last_drain is not after_cancel, what="a drain after it")
        assert service.running
        assert len(sandbox.state.journal) == stopped_at  # ...sent nothing for the cancelled job
        synced = ws.count_contacts(ContactFilter(states=frozenset({ContactSyncState.SYNCED})))
        assert synced + unsent == 40
        progress.reject()
        await until(lambda: window.sync_actions.dialog is None)


@ASYNC_GUI
async def test_a_finished_job_says_what_happened(sandbox: Sandbox, qtbot: QtBot) -> None:
    ws = sandbox.ws
    await sandbox.connect(dedup=True)
    seq = backlog(sandbox, 3)
    ws.add_contacts(seq, [shared(0)])
    window = window_for(sandbox, qtbot)
    window.contacts_pane.resync()
    preview = await preview_dialog(window)
    preview.accept()
    await until(lambda: isinstance(window.sync_actions.dialog, ResyncProgressDialog))
    progress = window.sync_actions.dialog
    assert isinstance(progress, ResyncProgressDialog)
    # The background sync starts once the job is queued: started before, it could flag the
    # shared contact with its own dedup check first (as it does on a loaded machine), and
    # the job would leave that contact out.
    async with background_sync(ws):
        await until(lambda: progress.finished_running, seconds=10)
        assert progress.bar.value() == progress.bar.maximum() == 4
        assert progress.result_label.text() == (
            'Done: 3 contacts synced, 1 flagged "Exists in Clockwork" or possible duplicate.'
        )
        assert progress.figures["Remaining"].text() == "0"
        progress.reject()
