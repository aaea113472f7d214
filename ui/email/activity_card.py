"""The activity card: how the last mail pass went, and the emails waiting for a decision.

The pass summary comes from the `mail.run` event ("Last check 14:02: 12 sent, 1 reply, ...");
the errors it reports, or a `mail.failed` for a pass that failed as a whole, show in red.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from app.api import MailFailed, MailRun
from app.workspace import Workspace
from ui.email import text as words
from ui.email.failed_list import FailedList
from ui.email.uncertain_list import UncertainList
from ui.widgets.basic import label, named


class ActivityCard(QFrame):
    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.run_label = label(words.NO_RUN_YET, "runSummary", wrap=True)
        self.errors_label = label("", "errorLabel", wrap=True)
        self.errors_label.setTextFormat(Qt.TextFormat.RichText)
        self.errors_label.hide()
        self.sent_label = label("", "subtle", wrap=True)  # what the last pass sent, by name
        self.sent_label.hide()
        self.paused_label = label("", "warningLabel", wrap=True)
        self.paused_label.hide()
        self.uncertain = UncertainList(workspace)
        self.failed = FailedList()
        line = named(QFrame(), "cardDivider")
        line.setFrameShape(QFrame.Shape.HLine)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 24)
        layout.setSpacing(12)
        layout.addWidget(label("Activity", "sectionTitle"))
        layout.addWidget(self.run_label)
        layout.addWidget(self.errors_label)
        layout.addWidget(self.sent_label)
        layout.addWidget(self.paused_label)
        layout.addWidget(line)
        layout.addWidget(self.uncertain)
        layout.addWidget(_divider())
        layout.addWidget(self.failed)
        self._ws = workspace
        self.show_pass()  # a pass may have run before this pane was first opened

    def show_pass(self) -> None:
        """The last mail pass as the Workspace remembers it: the status bar reads the same."""
        last = self._ws.mail.last_pass
        if last is None:
            return
        at = last.at.astimezone()
        if last.failure is not None or last.run is None:
            self.show_failure(last.failure or MailFailed(), at)
            self.sent_label.hide()
            return
        self.show_run(last.run, at)
        named = list(last.run.sent_emails)
        self.sent_label.setText(sent_list(last.sent, named))
        self.sent_label.setVisible(bool(named))  # "Sent: ; and 9 more." said nothing

    def show_run(self, run: MailRun, at: datetime | None = None) -> None:
        when = f"{at or datetime.now():%H:%M}"
        self.run_label.setText(words.run_summary(run, when))
        self._show_errors(list(run.errors))
        # Sequences this pass paused for their hard-bounce rate, each with why.
        self.paused_label.setText("\n".join(run.paused))
        self.paused_label.setVisible(bool(run.paused))

    def show_failure(self, failure: MailFailed, at: datetime | None = None) -> None:
        when = f"{at or datetime.now():%H:%M}"
        self.run_label.setText(f"Last check {when} could not finish:")
        title, message = failure.title, failure.message
        self.errors_label.setText(f"<b>{escape(title)}</b><br>{escape(message)}")
        self.errors_label.show()

    def _show_errors(self, errors: list[str]) -> None:
        self.errors_label.setText("<br>".join(escape(e) for e in errors))
        self.errors_label.setVisible(bool(errors))


SENT_SHOWN = 5


def sent_list(sent: int, named: list[str]) -> str:
    """ "Sent: a@x — Hello (step 1); b@y — Hello (step 1); and 198 more." """
    shown = named[:SENT_SHOWN]
    more = sent - len(shown)
    text = "Sent: " + "; ".join(shown)
    return text + (f"; and {more:,} more." if more > 0 else ".")


def _divider() -> QFrame:
    line = named(QFrame(), "cardDivider")
    line.setFrameShape(QFrame.Shape.HLine)
    return line
