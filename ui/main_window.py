"""The main window: navigation on the left, one pane at a time on the right."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from app.workspace import Workspace
from ui.contacts.pane import ContactsPane
from ui.resync.controller import SyncActions
from ui.runtime import assets
from ui.runtime.bridge import EventBridge
from ui.runtime.lazy_pane import LazyPane
from ui.runtime.search_catch_up import SearchCatchUp
from ui.sequences.pane import SequencesPane
from ui.status_bar import StatusItems
from ui.statusbar.work_home import WorkHome
from ui.widgets.accessible import described, tip_with_shortcut
from ui.widgets.basic import DialogSlot, destructive_confirm, named
from ui.window_menus import WindowMenus

if TYPE_CHECKING:
    from ui.email.pane import EmailPane
    from ui.integration.pane import IntegrationPane
    from ui.team.pane import TeamPane

PANES = ("Integration", "Sequences", "Contacts", "Email", "Team")
ABOUT = (
    "<h3>Escapement</h3>"
    "<p>Outreach sequences for executive-search recruiters, "
    "synced to Clockwork Recruiting.</p>"
)


class MainWindow(QMainWindow):
    closed = Signal()  # run_gui waits for this to shut down in order

    def __init__(
        self,
        workspace: Workspace,
        bridge: EventBridge,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self._ws = workspace
        self.setWindowTitle("Escapement")
        self.resize(1200, 760)
        self.sync_actions = SyncActions(workspace, bridge, self)
        self.sync_actions.notice.connect(lambda text: self.statusBar().showMessage(text, 8000))
        # Built when first opened (ui/runtime/lazy_pane.py): each would delay the first paint,
        # Integration the most (0.25 s), and Email reads the keyring, whose first use is slow.
        self._integration = LazyPane(lambda: _integration_pane(workspace, bridge))
        self.sequences_pane = SequencesPane(workspace, bridge, self.sync_actions)
        # Built now: the Edit menu's Remove and Find act on it, and its count is read on the
        # pool while the window paints.
        self.contacts_pane = ContactsPane(workspace, bridge, self.sync_actions)
        self._email = LazyPane(lambda: _email_pane(workspace, bridge))
        self._team = LazyPane(lambda: _team_pane(workspace, bridge))
        self.stack = QStackedWidget()
        for pane in (
            self._integration,
            self.sequences_pane,
            self.contacts_pane,
            self._email,
            self._team,
        ):
            self.stack.addWidget(pane)
        self.nav = self._navigation()
        self._central()
        self._menus()
        self.status = StatusItems(workspace, bridge, self.statusBar())
        self.connection_label = self.status.connection_label
        self.queue_label = self.status.queue_label
        self.status.keysRequested.connect(self.enter_new_keys)
        self.work = WorkHome(self, self.sync_actions, self.status, bridge)
        self.menus = WindowMenus(self, workspace, PANES)  # Edit, View, Undo, Delete, Ctrl+F
        # Indexes for search what bulk adds (an import) left to it, off the GUI thread.
        self.search_catch_up = SearchCatchUp(workspace, bridge, self)
        self._about: QMessageBox | None = None
        self._closing_confirmed = False
        self._discard = DialogSlot()

    def _navigation(self) -> QListWidget:
        nav = described(named(QListWidget(), "navigation"), "Panes", "Ctrl+1 to Ctrl+5")
        nav.setFixedWidth(190)
        nav.setIconSize(QSize(20, 20))
        for name in PANES:
            item = QListWidgetItem(assets.icon(name.lower()), name)
            item.setToolTip(f"{name} (Ctrl+{PANES.index(name) + 1})")
            nav.addItem(item)
        nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        nav.setCurrentRow(PANES.index("Sequences"))
        return nav

    def _central(self) -> None:
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.import_action = QAction("&Import CSV…", self, shortcut=QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.import_csv)
        tip_with_shortcut(self.import_action)
        file_menu.addAction(self.import_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Escapement", self, menuRole=QAction.MenuRole.AboutRole)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    @property
    def discard_box(self) -> QDialog | None:
        """The "unsaved steps" question while it is open."""
        return self._discard.dialog

    @property
    def integration_pane(self) -> IntegrationPane:
        return self._integration.pane

    @property
    def email_pane(self) -> EmailPane:
        return self._email.pane

    @property
    def team_pane(self) -> TeamPane:
        return self._team.pane

    # --- actions ---------------------------------------------------------------------------

    def show_pane(self, name: str) -> None:
        self.nav.setCurrentRow(PANES.index(name))

    def enter_new_keys(self) -> None:
        self.show_pane("Integration")
        self.integration_pane.open_connect_form()

    def current_pane(self) -> str:
        return PANES[self.stack.currentIndex()]

    def import_csv(self) -> None:
        """Import into the sequence the user is looking at, if any."""
        if self.stack.currentWidget() is self.contacts_pane:
            target = self.contacts_pane.current_sequence_id()
        else:
            target = self.sequences_pane.current_sequence_id()
        from ui.contacts.import_dialog import open_import_dialog  # start-up: on first use

        open_import_dialog(self._ws, self, target)

    def show_about(self) -> None:
        if self._about is None:
            self._about = QMessageBox(QMessageBox.Icon.NoIcon, "About Escapement", ABOUT)
            self._about.setParent(self, self._about.windowFlags())
            self._about.setIconPixmap(assets.app_icon().pixmap(64, 64))
        self._about.open()

    def closeEvent(self, event: Any) -> None:
        drafts = self.sequences_pane.details.unsaved_steps()
        if drafts and not self._closing_confirmed:
            event.ignore()  # asked window-modally; Discard closes again
            self._ask_to_discard(drafts)
            return
        if self.work.ask_before_quit(self.close):
            event.ignore()  # asked window-modally what is left; Quit closes again
            return
        super().closeEvent(event)
        if event.isAccepted():
            self.closed.emit()

    def _ask_to_discard(self, drafts: int) -> None:
        if self._discard.dialog is not None:
            return
        steps = "1 step" if drafts == 1 else f"{drafts} steps"
        box = destructive_confirm(
            self,
            "Unsaved steps",
            f"You have unsaved changes to {steps}.",
            "Quitting now loses them. Cancel, then Save them in the Steps tab of their sequence.",
            "Discard and quit",
            self._discard_and_close,
        )
        self._discard.open(box)

    def _discard_and_close(self) -> None:
        self._closing_confirmed = True
        self.close()


# The lazy panes' modules are imported when the pane is first opened, not at start-up: each
# import (and its share of PySide's import hook) would delay the first paint.


def _integration_pane(workspace: Workspace, bridge: EventBridge) -> IntegrationPane:
    from ui.integration.pane import IntegrationPane

    return IntegrationPane(workspace, bridge)


def _email_pane(workspace: Workspace, bridge: EventBridge) -> EmailPane:
    from ui.email.pane import EmailPane

    return EmailPane(workspace, bridge)


def _team_pane(workspace: Workspace, bridge: EventBridge) -> TeamPane:
    from ui.team.pane import TeamPane

    return TeamPane(workspace, bridge)
