"""The app registration a sign-in uses: the client ID (and tenant) for Microsoft, the client ID
and client secret for Google, as the firm's administrator registered Escapement.

Nothing here is saved on its own: the values go with the next sign-in, which keeps them (the
secret in the keyring). Values the firm presets through the environment show read-only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QFormLayout, QLineEdit, QVBoxLayout, QWidget

from app.api import Registration
from ui.email import signin_text as words
from ui.runtime.inline_saver import add_row, form_layout, show_saved
from ui.widgets.basic import field, label

DOCS = Path(__file__).resolve().parents[2] / "docs" / "mail.md"


class RegistrationForm(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client_ids = {name: _edit("") for name in words.LABELS}
        self.tenant_edit = _edit("organizations")
        self.secret_edit = _edit(words.CLIENT_SECRET)
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.preset_labels = {name: label(words.PRESET, "subtle") for name in words.LABELS}
        for preset in self.preset_labels.values():
            preset.hide()
        docs = QUrl.fromLocalFile(str(DOCS)).toString()
        hint = label(words.REGISTRATION_HINT.format(docs=docs), "hint", wrap=True)
        hint.setOpenExternalLinks(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(hint)
        ms, google = form_layout(10), form_layout(10)
        self._rows(ms, "microsoft", (words.TENANT, field(self.tenant_edit, words.TENANT_HINT)))
        secret = field(self.secret_edit, words.SECRET_HINT)
        self._rows(google, "google", (words.CLIENT_SECRET, secret))
        layout.addWidget(label("Microsoft", "fieldTitle"))
        layout.addLayout(ms)
        layout.addWidget(label("Google", "fieldTitle"))
        layout.addLayout(google)

    def _rows(self, form: QFormLayout, name: str, extra: tuple[str, QWidget]) -> None:
        add_row(form, words.CLIENT_ID, field(self.client_ids[name], "", self.preset_labels[name]))
        add_row(form, *extra)

    def show_registrations(self, found: dict[str, Registration]) -> None:
        for name, reg in found.items():
            edit = self.client_ids[name]
            show_saved(edit, reg.client_id, False)
            edit.setReadOnly(reg.preset)
            self.preset_labels[name].setVisible(reg.preset)
            if name == "microsoft":
                show_saved(self.tenant_edit, reg.tenant, False)
                self.tenant_edit.setReadOnly(reg.preset)
            else:
                saved = words.SECRET_SAVED if reg.has_client_secret else words.CLIENT_SECRET
                preset = reg.preset and reg.has_client_secret
                self.secret_edit.setPlaceholderText(words.PRESET if preset else saved)
                self.secret_edit.setReadOnly(preset)

    def arguments(self, provider: str) -> dict[str, str | None]:
        """The keyword arguments of `ws.mail.sign_in` for this provider: None keeps what the
        core knows (an empty secret field means the saved secret)."""
        client_id = self.client_ids[provider].text().strip() or None
        if provider == "microsoft":
            return {"client_id": client_id, "tenant": self.tenant_edit.text().strip() or None}
        return {"client_id": client_id, "client_secret": self.secret_edit.text().strip() or None}

    def forget_secret_text(self) -> None:
        """After a sign-in the secret is in the keyring: no copy stays in a widget."""
        self.secret_edit.setText("")


def _edit(placeholder: str) -> QLineEdit:
    edit = QLineEdit(placeholderText=placeholder)
    edit.setMinimumWidth(340)
    return edit
