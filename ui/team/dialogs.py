"""The Team pane's dialogs: add or edit a teammate, and preview then clone Clockwork settings.

Both run their Workspace calls on a TaskRunner and show a refusal (PermissionDenied,
InputError) inline, so the user can fix it without starting over; the OK/Confirm button is
disabled while a call runs, so a double click does not add or clone twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.api import ClonePlan, EscapementError, IntegrationKind, Role, Teammate, shown
from app.workspace import Workspace
from ui.runtime.task_runner import TaskRunner
from ui.widgets.accessible import described
from ui.widgets.basic import button, label
from ui.widgets.wording import count

ROLE_TEXT = {Role.OWNER: "Owner", Role.MANAGER: "Manager", Role.MEMBER: "Member"}
INTEGRATION_TEXT = {
    IntegrationKind.CLOCKWORK: "Clockwork",
    IntegrationKind.OTHER: "Another integration",
    IntegrationKind.NONE: "None",
}
SETTING_TEXT = {
    "sync_mode": "Sync mode",
    "dedup": "Deduplication",
    "default_project_id": "Default project",
    "activity_tracking": "Activity tracking",
    "rate_limit": "Rate limit",
}
Submit = Callable[[dict[str, Any]], object]


def _combo[E](options: dict[E, str], current: E) -> QComboBox:
    combo = QComboBox()
    for value, text in options.items():
        combo.addItem(text, value)
    combo.setCurrentIndex(list(options).index(current))
    return combo


class _RunningDialog(QDialog):
    """A dialog that runs one Workspace call at a time and shows its refusal inline."""

    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.runner = TaskRunner(self)
        self.error_label = label("", "errorLabel", wrap=True)
        self.error_label.hide()

    def _failed(self, exc: Exception) -> None:
        if not isinstance(exc, EscapementError):
            raise exc
        self.error_label.setText(exc.message)
        self.error_label.show()


class TeammateDialog(_RunningDialog):
    """Add a teammate (`mate` None) or edit one; `submit` gets the fields as a dict."""

    def __init__(
        self,
        groups: list[str],
        submit: Submit,
        mate: Teammate | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit teammate" if mate else "Add teammate")
        self.setMinimumWidth(460)
        self._submit = submit
        self.name_edit = QLineEdit(mate.name if mate else "")
        self.email_edit = QLineEdit(mate.email if mate else "")
        self.email_edit.setPlaceholderText("name@firm.com")
        self.role_combo = _combo(ROLE_TEXT, mate.role if mate else Role.MEMBER)
        kind = mate.integration if mate else IntegrationKind.NONE
        self.integration_combo = _combo(INTEGRATION_TEXT, kind)
        self.group_list = QListWidget()
        self.group_list.setSpacing(3)  # checkboxes need room to breathe
        self.group_list.setFixedHeight(130)
        for name in groups:
            self._add_group_item(name, checked=bool(mate and name in mate.groups))
        self.new_group = described(QLineEdit(placeholderText="New group name"), "New group")
        self.new_group.returnPressed.connect(self.add_group)
        add_group = button("Add group", on_click=self.add_group)
        new_row = QHBoxLayout()
        new_row.addWidget(self.new_group, 1)
        new_row.addWidget(add_group)
        form = QFormLayout()
        form.setVerticalSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow("Name", self.name_edit)
        form.addRow("Email", self.email_edit)
        form.addRow("Role", self.role_combo)
        form.addRow("Integration", self.integration_combo)
        form.addRow("Groups", self.group_list)
        form.addRow("", new_row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save" if mate else "Add teammate")
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addSpacing(8)
        layout.addWidget(self.buttons)

    def _add_group_item(self, name: str, *, checked: bool) -> None:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.group_list.addItem(item)

    def add_group(self) -> None:
        """Adds the typed group, checked; a name already listed is just checked."""
        name = " ".join(self.new_group.text().split())
        if not name:
            return
        for i in range(self.group_list.count()):
            item = self.group_list.item(i)
            if item.text().casefold() == name.casefold():
                item.setCheckState(Qt.CheckState.Checked)
                break
        else:
            self._add_group_item(name, checked=True)
        self.new_group.clear()

    def values(self) -> dict[str, Any]:
        items = [self.group_list.item(i) for i in range(self.group_list.count())]
        return {
            "name": self.name_edit.text().strip(),
            "email": self.email_edit.text().strip(),
            "role": Role(self.role_combo.currentData()),
            "groups": [i.text() for i in items if i.checkState() == Qt.CheckState.Checked],
            "integration": IntegrationKind(self.integration_combo.currentData()),
        }

    def try_accept(self) -> None:
        if self.runner.busy:
            return  # a second click while saving
        self.add_group()  # a typed but not yet added group counts
        values = self.values()
        self.ok_button.setEnabled(False)
        self.error_label.hide()
        self.runner.submit(lambda: self._submit(values), lambda _r: self.accept(), self._failed)

    def _failed(self, exc: Exception) -> None:
        self.ok_button.setEnabled(True)
        super()._failed(exc)


class CloneDialog(_RunningDialog):
    """Choose a scope, see who changes (old → new) and who is skipped, then confirm."""

    def __init__(
        self, workspace: Workspace, groups: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clone my Clockwork settings")
        self.resize(680, 540)
        self._ws = workspace
        self._token = -1  # the preview being waited for; older answers are dropped
        self.plan: ClonePlan | None = None
        self.updated: int | None = None  # how many teammates the clone changed, once done
        self.scope = QComboBox()
        self.scope.addItem("All teammates connected to Clockwork", None)
        for name in groups:
            self.scope.addItem(f"Group: {name}", name)
        self.scope.currentIndexChanged.connect(lambda _i: self.load_preview())
        self.summary = label("", "previewSummary", wrap=True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Teammate / setting", "Change"])
        self.tree.setRootIsDecorated(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.done_label = label("", "successLabel", wrap=True)
        self.done_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm_button: QPushButton = self.buttons.addButton(
            "Clone settings", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.confirm_button.setObjectName("primaryButton")
        self.confirm_button.clicked.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        note = label(
            "Every Clockwork setting is copied; keys and firm are not. Teammates on another "
            "integration or on none are left alone.",
            "subtle",
            wrap=True,
        )
        scope_row = QHBoxLayout()
        scope_row.addWidget(label("Clone to"))
        scope_row.addWidget(self.scope, 1)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(note)
        layout.addLayout(scope_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.done_label)
        layout.addWidget(self.buttons)
        self.load_preview()

    def group(self) -> str | None:
        group: str | None = self.scope.currentData()
        return group

    def load_preview(self) -> None:
        self.confirm_button.setEnabled(False)
        self.error_label.hide()
        self.summary.setText("Working out who would change…")
        group = self.group()
        self._token = self.runner.submit(
            lambda: self._ws.team.preview_clone(group), self._previewed, self._failed
        )

    def _previewed(self, plan: ClonePlan) -> None:
        if plan.group != self.group() or self.updated is not None:
            return  # the scope changed meanwhile; its own preview is on the way
        self.plan = plan
        self.tree.clear()
        changing = self._section(f"Will change ({len(plan.targets)})")
        for target in plan.targets:
            row = QTreeWidgetItem(changing, [target.name, target.email])
            for change in target.changes:
                text = f"{shown(change.old)} → {shown(change.new)}"
                QTreeWidgetItem(row, [SETTING_TEXT.get(change.setting, change.setting), text])
        skipped = self._section(f"Skipped ({len(plan.skipped)})")
        for skip in plan.skipped:
            QTreeWidgetItem(skipped, [skip.name, skip.reason.label]).setToolTip(0, skip.email)
        self.tree.expandAll()
        self.summary.setText(
            f"{count(len(plan.targets), 'teammate')} will change, {len(plan.skipped)} skipped."
            if plan.targets
            else "Nobody would change: every teammate in scope is skipped."
        )
        self.confirm_button.setEnabled(bool(plan.targets))

    def _section(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [title])
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setFirstColumnSpanned(True)
        return item

    def confirm(self) -> None:
        if self.runner.busy or self.plan is None or self.updated is not None:
            return  # a second click, or nothing previewed yet
        self.confirm_button.setEnabled(False)
        self.scope.setEnabled(False)
        group = self.group()
        self.runner.submit(lambda: self._ws.team.clone_settings(group), self._cloned, self._failed)

    def _cloned(self, plan: ClonePlan) -> None:
        self.updated = len(plan.targets)
        self.done_label.setText(
            f"Updated the Clockwork settings of {count(self.updated, 'teammate')}."
        )
        self.done_label.show()
        self.confirm_button.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")

    def _failed(self, exc: Exception) -> None:
        self.scope.setEnabled(True)
        self.summary.setText("")
        super()._failed(exc)
