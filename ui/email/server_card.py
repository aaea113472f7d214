"""One mail server's card, used for SMTP (sending) and IMAP (replies): host, port, security,
user and password, applied together by Save.

The port follows the security (465/587/25, 993/143) until the user types one of their own.
The password goes to the system keyring on Save and the field is emptied at once: it is never
written to disk, logged, or left in a widget. A saved password shows as such, with Forget.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.api import DEFAULT_PORTS, InputError, Protocol, Security
from app.workspace import Workspace
from ui.email import text as words
from ui.email.state import MailSnapshot, password_status
from ui.runtime.inline_saver import InlineSaver, add_row, error_label, form_layout
from ui.widgets.accessible import described
from ui.widgets.basic import button, field, label, named, repolish


class MailServerForm(QFrame):
    saved = Signal()  # settings or password changed: the pane re-reads them

    def __init__(self, workspace: Workspace, protocol: Protocol, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        self._ws = workspace
        self.protocol = protocol
        self.saver = InlineSaver(self)
        #: The user changed host, port, security or user since they were last saved or shown.
        self.dirty = False
        self._edits = 0  # counts them, so a save only clears `dirty` for what it took
        self._custom_port = False
        self._login_fallback = ""  # who logs in when the user name is left empty
        self.host_edit = QLineEdit(placeholderText=f"{protocol}.example.com")
        self.port_edit = described(QLineEdit(), "Port")
        self.port_edit.setValidator(QIntValidator(1, 65535, self.port_edit))
        self.port_edit.setFixedWidth(90)
        self.security_combo = QComboBox()
        for text, value in words.SECURITY_CHOICES:
            self.security_combo.addItem(text, value)
        self.clear_text_warning = label(words.CLEAR_TEXT_WARNING, "warningLabel", wrap=True)
        self.clear_text_warning.hide()
        self.user_edit = QLineEdit(placeholderText=words.USER_PLACEHOLDERS[protocol])
        self.password_edit = QLineEdit(placeholderText="Password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_state = label(words.PASSWORD_MISSING, "subtle", wrap=True)
        self.forget_button = button("Forget password", on_click=self.forget_password)
        self.forget_button.hide()
        self.save_button = button("Save", "primaryButton", on_click=self.save)
        self.error_label = error_label()
        self._connect()
        self._build()

    def _connect(self) -> None:
        for edit in (self.host_edit, self.user_edit):
            edit.textEdited.connect(self._touched)
            edit.returnPressed.connect(self.save)
        self.password_edit.returnPressed.connect(self.save)
        self.port_edit.textEdited.connect(self._port_typed)
        self.security_combo.activated.connect(self._security_chosen)

    def _build(self) -> None:
        server_row = QHBoxLayout()
        server_row.setSpacing(10)
        server_row.addWidget(self.host_edit, 1)
        server_row.addWidget(label("Port"))
        server_row.addWidget(self.port_edit)
        password_row = QHBoxLayout()
        password_row.addWidget(self.password_edit, 1)
        password_row.addWidget(self.forget_button)
        form = form_layout(12)
        add_row(form, "Server", field(server_row))
        add_row(form, "Security", field(self.security_combo, "", self.clear_text_warning))
        add_row(form, "User name", self.user_edit)
        self.password_field = field(password_row, "", self.password_state)
        add_row(form, "Password", self.password_field)
        self.password_title = form.labelForField(self.password_field)
        self.security_combo.setFixedWidth(160)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(24, 20, 24, 24)
        self.body.setSpacing(12)
        self.body.addWidget(label(words.SERVER_TITLES[self.protocol], "sectionTitle"))
        self.body.addWidget(label(words.SERVER_INTROS[self.protocol], "subtle", wrap=True))
        self.body.addLayout(form)
        self.body.addWidget(self.error_label)
        self.body.addLayout(buttons)

    def add_footer(self, widget: QWidget) -> None:
        """Something that belongs with this server, under Save (the SMTP test email)."""
        line = named(QFrame(), "cardDivider")
        line.setFrameShape(QFrame.Shape.HLine)
        self.body.addWidget(line)
        self.body.addWidget(widget)

    # --- showing what is saved ---------------------------------------------------------------

    def show_snapshot(self, snap: MailSnapshot) -> None:
        server = snap.server(self.protocol)
        if not (self.dirty or self.saver.holds(self.error_label)):
            self.host_edit.setText(server.host)
            self._select_security(server.security)
            self.port_edit.setText(str(server.port))
            self._custom_port = server.port != self._default_port()
            self.user_edit.setText(server.user)
        if self.protocol == "imap":  # logs in as the from address unless told otherwise
            self._login_fallback = snap.settings.from_address
            if self._login_fallback:
                placeholder = f"Same as the from address ({self._login_fallback})"
                self.user_edit.setPlaceholderText(placeholder)
        self._show_password_state(snap)
        self._show_security_warning()

    def _show_password_state(self, snap: MailSnapshot) -> None:
        signed_in = snap.account.auth == "oauth" and bool(snap.account.account)
        self.password_edit.setVisible(not signed_in)
        title = self.password_title
        if isinstance(title, QLabel):
            title.setText("Login" if signed_in else "Password")
        if signed_in:  # a signed-in account logs in with its token: no password here
            account = snap.account.account or ""
            self.password_state.setText(words.LOGIN_SIGNED_IN.format(account=account))
            self.password_state.setObjectName("successText")
            repolish(self.password_state)
            self.forget_button.hide()
            return
        text, style = password_status(snap, self.protocol)
        self.password_state.setText(text)
        self.password_state.setObjectName(style)
        repolish(self.password_state)
        saved = snap.has_password[self.protocol]
        self.forget_button.setVisible(saved and not snap.env_password[self.protocol])
        self.password_edit.setPlaceholderText(words.PASSWORD_REPLACE if saved else "Password")

    def _select_security(self, security: Security) -> None:
        self.security_combo.setCurrentIndex(self.security_combo.findData(security.value))

    def security(self) -> Security:
        return Security(self.security_combo.currentData())

    def _default_port(self) -> int:
        return DEFAULT_PORTS[self.protocol][self.security()]

    # --- editing ---------------------------------------------------------------------------

    def _touched(self, _text: str = "") -> None:
        self.dirty = True
        self._edits += 1

    def _port_typed(self, text: str) -> None:
        self._touched()
        # An emptied port follows the security again; a typed one stays as typed.
        self._custom_port = bool(text) and int(text) != self._default_port()

    def _security_chosen(self, _index: int) -> None:
        self._touched()
        if not self._custom_port:
            self.port_edit.setText(str(self._default_port()))
        self._show_security_warning()

    def _show_security_warning(self) -> None:
        self.clear_text_warning.setVisible(self.security() is Security.NONE)

    # --- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        host, user = self.host_edit.text(), self.user_edit.text().strip()
        port = int(self.port_edit.text()) if self.port_edit.text() else None
        password = self.password_edit.text()
        if password and not (user or self._login_fallback):
            self.saver.refuse(self.error_label, InputError(words.USER_NEEDED))
            return
        mail, protocol, security = self._ws.mail, self.protocol, self.security().value
        setter = mail.set_smtp if protocol == "smtp" else mail.set_imap

        def work() -> bool:
            setter(host, port, security, user or None)
            if password:
                mail.save_password(protocol, password)
            return bool(password)

        edits = self._edits
        self.save_button.setEnabled(False)
        self.saver.save(
            work, self.error_label, lambda stored: self._saved(stored, edits), self._settled
        )

    def _saved(self, stored_password: bool, edits: int) -> None:
        self.dirty = self._edits != edits  # typed into meanwhile: keep that too
        if stored_password:
            self.password_edit.setText("")  # setText, not clear(): no undo history either
        self._settled()
        self.saved.emit()

    def _settled(self, _error: object = None) -> None:
        self.save_button.setEnabled(True)

    def forget_password(self) -> None:
        mail, protocol = self._ws.mail, self.protocol
        self.saver.save(lambda: mail.forget_password(protocol), self.error_label, self._forgot)

    def _forgot(self, _found: object) -> None:
        self.saved.emit()
