"""What an import will do in Clockwork, said in the import dialog before Import is pressed (and
in the Add to sequence dialog before Add):
with sync mode "on add" the imported contacts are queued to Clockwork at once, into the
sequence's project or the default one; otherwise, when (or whether) they will be sent.

Read on the thread pool (settings, sequences and projects are store reads)."""

from __future__ import annotations

from app.api import SyncMode
from app.workspace import Workspace
from ui.widgets.wording import count


def import_consequence(
    ws: Workspace, sequence_id: int | None, n: int, doing: str = "Importing"
) -> str:
    """`doing`: what queues them, as the sentence's subject ("Adding them to it")."""
    settings = ws.clockwork_settings()
    who = count(n, "contact")
    if not settings.connected:
        return f"Escapement is not connected to Clockwork: the {who} stay here until you connect."
    if settings.sync_mode is SyncMode.OFF:
        return f"Sync to Clockwork is off (Integration): the {who} are not sent to Clockwork."
    info = next((s for s in ws.sequences() if s.id == sequence_id), None)
    if info is not None and not info.sync_to_clockwork:
        return f"This sequence's “Sync to Clockwork” is off: the {who} are not sent to Clockwork."
    project_id = (info.project_id if info is not None else None) or settings.default_project_id
    names = {p.id: p.name for p in ws.projects()}
    where = (
        f"they are added to the project “{names.get(project_id, project_id)}”"
        if project_id
        else "they join no project (no default project is set)"
    )
    if settings.sync_mode is SyncMode.ON_REPLY:
        return f"Each of the {who} is sent to Clockwork on replying; {where}."
    return f"{doing} queues the {who} to Clockwork at once; {where}."
