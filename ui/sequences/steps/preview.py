"""The live preview: the step being edited as a chosen contact of the sequence would get it.

It renders the draft, not the saved step, through the core's templates (`render_draft`), off
the GUI thread and at most once per pause in typing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.api import ContactFilter, ContactRow, EscapementError, Preview
from app.workspace import Workspace
from ui.runtime.task_runner import TaskRunner
from ui.sequences.steps.drafts import Draft
from ui.widgets.basic import label, named

DEBOUNCE_MS = 200
MAX_CONTACTS = 200
NO_CONTACTS = "This sequence has no contacts yet. Import some to see a step with their details."


class StepPreview(QWidget):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._runner = TaskRunner(self)
        self._sequence: tuple[int, int] | None = None  # id and contact count the combo shows
        self._pending: tuple[int, int, Draft] | None = None  # sequence, step index, draft
        self._asked = 0  # answers to older requests are dropped
        self._contacts: dict[int, ContactRow] | None = None  # None: still loading
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self._render)
        self.contact_combo = QComboBox()
        self.contact_combo.setMinimumContentsLength(12)
        self.contact_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.contact_combo.currentIndexChanged.connect(lambda _i: self._render())
        self.subject_label = label("", "previewSubject", wrap=True)
        self.subject_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body_view = named(QPlainTextEdit(readOnly=True), "previewBody")
        self.body_view.setFrameShape(QFrame.Shape.NoFrame)
        self.body_view.document().setDocumentMargin(0)  # in line with the subject
        self.body_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rule = named(QFrame(frameShape=QFrame.Shape.HLine), "previewRule")
        # In place of the email when there is none to show: no contacts, or a broken draft.
        self.message_label = label("", "hint", wrap=True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.missing_label = label("", "warningLabel", wrap=True)
        self.card = named(QFrame(), "previewCard")
        card = QVBoxLayout(self.card)
        card.setContentsMargins(14, 12, 14, 12)
        card.setSpacing(8)
        for widget in (self.subject_label, self.rule, self.body_view, self.message_label):
            card.addWidget(widget, 1 if widget in (self.body_view, self.message_label) else 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(label("Preview", "sectionTitle"))
        layout.addSpacing(4)
        layout.addWidget(label("As sent to", "fieldLabel"))
        layout.addWidget(self.contact_combo)
        layout.addSpacing(6)
        layout.addWidget(self.card, 1)
        layout.addWidget(self.missing_label)
        self.setMinimumWidth(190)
        self._show(None)

    # --- contacts ---------------------------------------------------------------------------

    def show_sequence(self, sequence_id: int, contact_count: int) -> None:
        """Loads the first contacts when the sequence or its number of contacts changed."""
        if self._sequence == (sequence_id, contact_count):
            return
        if self._sequence is None or self._sequence[0] != sequence_id:
            self._show_contacts(None)
        self._sequence = (sequence_id, contact_count)
        flt = ContactFilter(sequence_id=sequence_id)
        # The keyset read: the same first rows as an offset page, in milliseconds where the
        # offset page took a second in a sequence of a million, and held a pool thread.
        self._runner.submit(
            lambda: self._ws.contacts_after(flt, None, MAX_CONTACTS),
            lambda rows: self._loaded(sequence_id, rows),
            lambda exc: self._load_failed(sequence_id, exc),
        )

    def _load_failed(self, sequence_id: int, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            raise exc  # a bug: the excepthook shows it
        self._loaded(sequence_id, [])  # the sequence went: nothing to show

    def _loaded(self, sequence_id: int, rows: list[ContactRow]) -> None:
        if self._sequence is not None and self._sequence[0] == sequence_id:
            self._show_contacts(rows)
            self._render()

    def _show_contacts(self, rows: list[ContactRow] | None) -> None:
        chosen = self.contact_combo.currentData()
        self._contacts = None if rows is None else {row.id: row for row in rows}
        self.contact_combo.blockSignals(True)
        self.contact_combo.clear()
        for row in rows or []:
            text = f"{row.name} — {row.email}" if row.name else row.email
            self.contact_combo.addItem(text, row.id)
        self.contact_combo.setCurrentIndex(max(self.contact_combo.findData(chosen), 0))
        view = self.contact_combo.view()  # the list shows whole emails, the box elides them
        view.setMinimumWidth(view.sizeHintForColumn(0) + 24)
        self.contact_combo.blockSignals(False)
        self.contact_combo.setEnabled(bool(rows))

    # --- rendering -------------------------------------------------------------------------

    def request(self, sequence_id: int, index: int, draft: Draft) -> None:
        """Render this draft after a pause in typing."""
        self._pending = (sequence_id, index, draft)
        self._timer.start()

    def refresh(self) -> None:
        """Render the same draft again: something outside it changed (the opt-out line)."""
        if self._pending is not None:
            self._timer.start()

    def clear(self) -> None:
        self._pending = None
        self._timer.stop()
        self._show(None)

    def _render(self) -> None:
        self._timer.stop()
        contact = self.contact_combo.currentData()
        self._asked += 1
        if self._pending is None or contact is None:
            self._show(None)
            return
        seq, index, draft = self._pending
        asked = self._asked
        self._runner.submit(
            lambda: self._ws.mail.render_draft(
                seq,
                index,
                contact,
                subject=draft.subject,
                body=draft.body,
                same_thread=draft.same_thread,
            ),
            lambda preview: self._answered(asked, preview, contact),
            lambda exc: self._failed(asked, exc),
        )

    def _answered(self, asked: int, preview: Preview, contact_id: int) -> None:
        if asked == self._asked:
            self._show(preview, (self._contacts or {}).get(contact_id))

    def _failed(self, asked: int, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            raise exc
        if asked == self._asked:
            # The list of known placeholders is in the editor's error, when saving.
            self._show(None, message=f"No preview yet. {exc.message.split(' Known:')[0]}")

    def _show(
        self, preview: Preview | None, contact: ContactRow | None = None, message: str = ""
    ) -> None:
        for widget in (self.subject_label, self.rule, self.body_view):
            widget.setVisible(preview is not None)
        no_contacts = self._contacts == {}
        self.message_label.setText(message or (NO_CONTACTS if no_contacts else ""))
        self.message_label.setVisible(preview is None)
        self.missing_label.hide()
        if preview is None:
            return
        self.subject_label.setText(preview.subject or "(no subject)")
        self.body_view.setPlainText(preview.body)
        if preview.missing and contact is not None:
            self.missing_label.setText(missing_text(contact, preview.missing))
            self.missing_label.show()


def missing_text(contact: ContactRow, missing: tuple[str, ...]) -> str:
    """ "Ama has no company: {company} would be blank." """
    who = contact.first_name or contact.name or contact.email
    fields = _join([name.replace("_", " ") for name in missing], "or")
    tokens = _join(["{" + name + "}" for name in missing], "and")
    return f"{who} has no {fields}: {tokens} would be blank."


def _join(words: list[str], last: str) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"
