"""The candidate status card: Clockwork's candidate status, both ways, and opt-outs.

- On reply: the status a reply moves the contact's candidacy to, picked from the firm's own
  statuses (GET statuses, read once connected) or None.
- Stop on: the statuses that stop a contact's sequence when Clockwork shows them, as a
  checkable list, with "Default" to go back to the built-in set.
- Opt-outs: whether an opt-out also sets doNotContact on the Clockwork person.

Saved values are read and written on the thread pool (writes one after another, in order);
the card shows what was saved, re-read after each change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.api import EscapementError
from app.workspace import Workspace
from ui.integration import text as words
from ui.runtime.async_action import AsyncAction
from ui.runtime.task_runner import SerialRunner, TaskRunner
from ui.widgets.accessible import described
from ui.widgets.basic import button, field, label
from ui.widgets.wording import count

NONE = "None"


class StatusCombo(QComboBox):
    """Says when its list is about to open: the firm's statuses are read then, not at start-up
    (a request nobody may need, and one a quick quit would cut off mid-connect)."""

    opening = Signal()

    def showPopup(self) -> None:
        self.opening.emit()
        super().showPopup()


@dataclass(frozen=True, slots=True)
class Saved:
    reply_status: str | None
    stop_statuses: tuple[str, ...]
    opt_out_to_clockwork: bool


class CandidateStatusCard(QFrame):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._ws = workspace
        self._reader = TaskRunner(self)
        self._saver = SerialRunner(self)
        self.fetch_action = AsyncAction(self)
        self.firm_statuses: list[str] = []
        self.saved: Saved | None = None
        self._reads = self._shown = self._edits = 0
        self._filling = False
        self.reply_combo = StatusCombo()
        self.reply_combo.setMinimumWidth(260)
        self.reply_combo.opening.connect(self._want_statuses)
        self.reply_combo.activated.connect(self._reply_chosen)
        self.stop_list = described(
            QListWidget(), "Stop statuses", "Candidate statuses that stop a contact's sequence"
        )
        self.stop_list.setObjectName("stopStatuses")
        self.stop_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.stop_list.setMinimumWidth(260)
        self.stop_list.setMaximumWidth(420)
        self.stop_list.itemChanged.connect(self._stop_toggled)
        self.stop_list.installEventFilter(self)
        self.default_button = button("Default", on_click=self._stop_default)
        self.opt_out_box = QCheckBox("Opt-outs set doNotContact in Clockwork")
        self.opt_out_box.clicked.connect(self._opt_out_toggled)
        self.statuses_label = label(words.STATUSES_NOT_READ, "subtle", wrap=True)
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_label.hide()
        self._build()

    def _build(self) -> None:
        form = QFormLayout()
        form.setHorizontalSpacing(24)
        form.setVerticalSpacing(16)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        stop_row = QHBoxLayout()
        stop_row.addWidget(self.stop_list, 1)
        stop_row.addWidget(self.default_button, 0, Qt.AlignmentFlag.AlignTop)
        stop_row.addStretch(1)
        form.addRow(
            "On reply",
            field(self.reply_combo, words.REPLY_STATUS_HINT, self.statuses_label, left=True),
        )
        form.addRow("Stop on", field(stop_row, words.STOP_STATUSES_HINT, left=True))
        form.addRow("Opt-outs", field(self.opt_out_box, words.OPT_OUT_HINT, left=True))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 24)
        layout.setSpacing(12)
        layout.addWidget(label("Candidate status", "sectionTitle"))
        layout.addLayout(form)
        layout.addWidget(self.error_label)

    # --- reading --------------------------------------------------------------------------

    def reload(self, linked: bool) -> None:
        self.reply_combo.setEnabled(linked)
        self.stop_list.setEnabled(linked)
        self.default_button.setEnabled(linked)
        if not linked:
            self.firm_statuses = []  # the next firm has its own
        self._read()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.stop_list and event.type() is QEvent.Type.FocusIn:
            self._want_statuses()
        return super().eventFilter(watched, event)

    def _want_statuses(self) -> None:
        if not self.firm_statuses:
            self.fetch_statuses()

    def _read_saved(self) -> Saved:
        cw = self._ws.clockwork
        opt_out = self._ws.mail.hygiene().opt_out_to_clockwork
        return Saved(cw.reply_status(), cw.stop_statuses(), opt_out)

    def _read(self) -> None:
        """Read the saved values off the GUI thread; only the newest read is shown."""
        self._reads += 1
        token, edits = self._reads, self._edits

        def arrived(saved: Saved) -> None:
            # Reads run in parallel and may finish out of order; one that started before the
            # user's latest change would put the old value back under their cursor (a second
            # click would then save the first value again). The change re-reads when saved.
            if token == self._reads and edits == self._edits:
                self._shown = token
                self._show(saved)

        self._reader.submit(self._read_saved, arrived)

    @property
    def loaded(self) -> bool:
        """The saved values are on screen and no newer read is under way."""
        return self._shown == self._reads

    def fetch_statuses(self) -> None:
        self.fetch_action.start(self._ws.clockwork.statuses, self._fetched, self._failed)

    def _fetched(self, names: list[str]) -> None:
        self.firm_statuses = names
        if self.saved is not None:
            self._show(self.saved)
        read = count(len(names), "status", "statuses")
        self.statuses_label.setText(words.STATUSES_READ.format(statuses=read))

    def _show(self, saved: Saved) -> None:
        self.saved = saved
        self._filling = True
        try:
            self._fill_reply(saved.reply_status)
            self._fill_stop(saved.stop_statuses)
            self.opt_out_box.setChecked(saved.opt_out_to_clockwork)
        finally:
            self._filling = False

    def _fill_reply(self, current: str | None) -> None:
        names = list(self.firm_statuses)
        if current and current not in names:
            names.append(current)  # saved before, or the firm's list is not read yet
        self.reply_combo.clear()
        self.reply_combo.addItem(NONE, None)
        for name in names:
            self.reply_combo.addItem(name, name)
        self.reply_combo.setCurrentIndex(max(0, self.reply_combo.findData(current)))

    def _fill_stop(self, stops: tuple[str, ...]) -> None:
        names = list(dict.fromkeys([*self.firm_statuses, *stops]))
        self.stop_list.clear()
        for name in names:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = Qt.CheckState.Checked if name in stops else Qt.CheckState.Unchecked
            item.setCheckState(checked)
            self.stop_list.addItem(item)

    # --- saving ---------------------------------------------------------------------------

    def _reply_chosen(self, index: int) -> None:
        name = self.reply_combo.itemData(index)
        self._save(lambda: self._ws.clockwork.set_reply_status(name))

    def _stop_toggled(self, _item: QListWidgetItem) -> None:
        if self._filling:
            return
        checked = [
            self.stop_list.item(i).text()
            for i in range(self.stop_list.count())
            if self.stop_list.item(i).checkState() is Qt.CheckState.Checked
        ]
        text = ",".join(checked)
        self._save(lambda: self._ws.clockwork.set_stop_statuses(text))

    def _stop_default(self) -> None:
        self._save(lambda: self._ws.clockwork.set_stop_statuses("default"))

    def _opt_out_toggled(self, on: bool) -> None:
        self._save(lambda: self._ws.mail.set_opt_out_to_clockwork(on))

    def _save(self, fn: Callable[[], object]) -> None:
        self.error_label.hide()
        self._edits += 1

        def saved(_result: object) -> None:
            self._read()

        def failed(exc: Exception) -> None:
            if not isinstance(exc, EscapementError):
                raise exc
            self._failed(exc)
            saved(None)  # show what is saved, not what was refused

        self._saver.submit(fn, saved, failed)

    def _failed(self, exc: EscapementError) -> None:
        self.error_label.setText(f"<b>{escape(exc.title)}</b><br>{escape(exc.message)}")
        self.error_label.show()
