"""The editor of one step: subject, body, delay, thread, placeholders, Save and Revert.

It only shows and collects a Draft; the Steps tab decides what is saved and when. Placeholders
go in at the cursor of whichever of subject and body last had the focus.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.api import MAX_DELAY_DAYS, MAX_SUBJECT, PLACEHOLDERS, EscapementError
from ui.sequences.steps.drafts import Draft
from ui.widgets.basic import button, label, named

FALLBACK_HINT = "{first_name|there} writes “there” for a contact without a first name."
THREAD_TIP = (
    "On: a reply to the emails before it, in the same conversation; an empty subject becomes "
    "“Re: …”. Off: a new email with its own subject."
)


class StepEditor(QWidget):
    #: The user changed something (not emitted while a step is being loaded).
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = 0
        self._loading = False
        self._kept_thread = True  # step 1's same_thread, kept as saved: it means nothing there
        self.heading = label("", "sectionTitle")
        self.subject_edit = QLineEdit(maxLength=MAX_SUBJECT)
        self.body_edit = named(QPlainTextEdit(), "stepBody")
        self.body_edit.setTabChangesFocus(True)
        self.body_edit.setMinimumHeight(120)
        self.delay_spin = QSpinBox(prefix="Wait ", suffix=" days")
        self.delay_spin.setRange(0, MAX_DELAY_DAYS)
        self.delay_spin.setFixedWidth(130)
        self.delay_spin.lineEdit().setTextMargins(6, 0, 0, 0)  # the sheet's padding is ignored
        self.delay_hint = label("", "hint", wrap=True)
        self.thread_box = QCheckBox("Reply in the same thread")
        self.thread_box.setToolTip(THREAD_TIP)
        self.thread_hint = label("Step 1 starts the thread.", "hint")
        self.insert_button = button("Insert placeholder")
        self.insert_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the edit keeps its cursor
        self.placeholder_menu = QMenu(self.insert_button)
        for name in PLACEHOLDERS:
            token = "{" + name + "}"
            action = self.placeholder_menu.addAction(token)
            action.triggered.connect(lambda _=False, t=token: self.insert(t))
        self.placeholder_menu.addSeparator()
        self.placeholder_menu.addAction(FALLBACK_HINT).setEnabled(False)
        self.insert_button.setMenu(self.placeholder_menu)
        self.insert_button.setToolTip(FALLBACK_HINT)
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.setTextFormat(Qt.TextFormat.RichText)
        self.error_label.hide()
        self.save_button = button("Save", "primaryButton")
        self.revert_button = button("Revert")
        self._last_text: QLineEdit | QPlainTextEdit = self.body_edit
        for edit in (self.subject_edit, self.body_edit):
            edit.installEventFilter(self)
        save = QShortcut(QKeySequence.StandardKey.Save, self, self.save_button.click)
        save.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # only while editing
        self.subject_edit.textChanged.connect(self._changed)
        self.body_edit.textChanged.connect(self._changed)
        self.delay_spin.valueChanged.connect(self._delay_changed)
        self.thread_box.toggled.connect(self._thread_changed)
        self._build()
        self.setMinimumWidth(230)
        self.set_dirty(False)

    def _build(self) -> None:
        body_row = QHBoxLayout()
        body_row.addWidget(label("Body", "fieldLabel"), 1)
        body_row.addWidget(self.insert_button)
        delay_row = QHBoxLayout()
        delay_row.setSpacing(8)
        delay_row.addWidget(self.delay_spin)
        delay_row.addWidget(self.delay_hint, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addSpacing(4)
        layout.addWidget(label("Subject", "fieldLabel"))
        layout.addWidget(self.subject_edit)
        layout.addSpacing(6)
        layout.addLayout(body_row)
        layout.addWidget(self.body_edit, 1)
        layout.addSpacing(6)
        layout.addLayout(delay_row)
        layout.addWidget(self.thread_box)
        layout.addWidget(self.thread_hint)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

    # --- showing a step --------------------------------------------------------------------

    def load(self, index: int, draft: Draft, *, new: bool = False) -> None:
        self._loading = True
        try:
            self._kept_thread = draft.same_thread
            self.subject_edit.setText(draft.subject)
            self.subject_edit.setCursorPosition(0)  # show the start of a long subject
            self.body_edit.setPlainText(draft.body)
            self.delay_spin.setValue(draft.delay_days)
            self.thread_box.setChecked(draft.same_thread or index == 0)
            self.set_step(index, new=new)
        finally:
            self._loading = False

    def set_step(self, index: int, *, new: bool = False) -> None:
        """Which step this is (headings, hints), leaving the text and the cursor alone."""
        self.index = index
        self.heading.setText(f"Step {index + 1}" + ("  ·  new, not saved yet" if new else ""))
        self.thread_box.setVisible(index > 0)  # step 1 starts the thread: nothing to choose
        self.delay_hint.setText(
            "after the contact is added" if index == 0 else f"after step {index}"
        )
        self._show_thread()

    def values(self) -> Draft:
        return Draft(
            self.subject_edit.text(),
            self.body_edit.toPlainText(),
            self.delay_spin.value(),
            self.thread_box.isChecked() if self.index > 0 else self._kept_thread,
        )

    def set_dirty(self, dirty: bool, *, busy: bool = False) -> None:
        self.save_button.setEnabled(dirty and not busy)
        self.revert_button.setEnabled(dirty and not busy)

    def show_error(self, exc: EscapementError) -> None:
        self.error_label.setText(f"<b>Not saved.</b> {escape(exc.message)}")
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.hide()

    # --- editing ---------------------------------------------------------------------------

    def insert(self, text: str) -> None:
        """At the cursor (replacing any selection) of the subject or body last focused."""
        target = self._last_text
        if isinstance(target, QLineEdit):
            target.insert(text)
        else:
            target.insertPlainText(text)
        target.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit | QPlainTextEdit):
            self._last_text = watched
        return super().eventFilter(watched, event)

    def _delay_changed(self, days: int) -> None:
        self.delay_spin.setSuffix(" day" if days == 1 else " days")
        self._changed()

    def _thread_changed(self) -> None:
        self._show_thread()
        self._changed()

    def _show_thread(self) -> None:
        first, reply = self.index == 0, self.thread_box.isChecked()
        self.thread_hint.setVisible(first)
        self.subject_edit.setPlaceholderText(
            "Optional: “Re: …” if empty" if reply and not first else "Required"
        )

    def _changed(self) -> None:
        if not self._loading:
            self.edited.emit()
