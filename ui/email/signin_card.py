"""The mailbox card, above the SMTP and IMAP forms: sign in with Microsoft or Google, or use
another mail server with a password.

Three states, from `ws.mail.account()`: signed out (the three choices), signed in (the
account, and Sign out), and needs sign-in (a red banner: the provider refused the sign-in, and
mail waits). A sign-in runs as a cancellable asyncio task while the system browser does its
part; for Microsoft, "Use a code instead" switches to the device-code flow, whose code arrives
on a worker thread and is carried to the GUI thread by a queued signal.
"""

from __future__ import annotations

import contextlib
import webbrowser
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from app.api import DeviceCode, EscapementError, MailAccountView
from app.workspace import Workspace
from ui.email import signin_text as words
from ui.email.registration_form import RegistrationForm
from ui.email.state import MailSnapshot
from ui.runtime.async_action import AsyncAction
from ui.runtime.inline_saver import InlineSaver, error_label, show_error
from ui.widgets.basic import button, label, named


class SignInCard(QFrame):
    saved = Signal()  # signed in or out: the pane re-reads the settings
    passwordChosen = Signal()  # "Other mail server": the pane shows the SMTP form
    _codeArrived = Signal(object)  # a DeviceCode, from the flow's worker thread

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self._ws = workspace
        #: Opens the authorization URL; called on the flow's worker thread. Tests replace it.
        self.open_url: Callable[[str], object] = webbrowser.open
        self.account: MailAccountView | None = None
        self.provider = "microsoft"  # of the sign-in under way
        self.code: DeviceCode | None = None
        self.saver = InlineSaver(self)
        self.browser_action = AsyncAction(self)
        self.code_action = AsyncAction(self)
        for action in (self.browser_action, self.code_action):
            action.busyChanged.connect(lambda _busy: self._show_state())
        self._codeArrived.connect(self._show_code)
        self._make_widgets()
        self._build()
        self._show_state()

    def _make_widgets(self) -> None:
        self.intro = label(words.INTRO, "subtle", wrap=True)
        self.microsoft_button = button(words.MICROSOFT, on_click=lambda: self.sign_in("microsoft"))
        self.google_button = button(words.GOOGLE, on_click=lambda: self.sign_in("google"))
        self.password_button = button(words.PASSWORD, on_click=self.passwordChosen.emit)
        self.banner = named(QFrame(), "alertBanner")
        self.banner_label = label("", wrap=True)
        self.banner_label.setTextFormat(Qt.TextFormat.RichText)
        self.again_button = button(words.SIGN_IN_AGAIN, "primaryButton", on_click=self.again)
        self.signed_in_label = label("", "successText", wrap=True)
        self.signed_in_hint = label(words.SIGNED_IN_HINT, "hint", wrap=True)
        self.sign_out_button = button(words.SIGN_OUT, on_click=self.sign_out)
        self.waiting_label = label("", wrap=True)
        self.code_label = label("", "keyHelp", wrap=True)
        self.code_label.setTextFormat(Qt.TextFormat.RichText)
        self.code_label.setOpenExternalLinks(True)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.use_code_button = button(words.USE_CODE, on_click=self.use_code)
        self.cancel_button = button(words.CANCEL, on_click=self.cancel)
        self.error_label = error_label()
        self.registration = RegistrationForm()
        self.registration_toggle = QToolButton()
        self.registration_toggle.setText(words.REGISTRATION)
        self.registration_toggle.setCheckable(True)
        self.registration_toggle.setAutoRaise(True)
        self.registration_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.registration_toggle.toggled.connect(self._toggle_registration)
        self._toggle_registration(False)

    def _build(self) -> None:
        banner = QHBoxLayout(self.banner)
        banner.setContentsMargins(14, 10, 14, 10)
        banner.addWidget(self.banner_label, 1)
        banner.addWidget(self.again_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.choices = _row(self.microsoft_button, self.google_button, self.password_button)
        self.signed_in = _row(self.signed_in_label, self.sign_out_button, stretch_first=True)
        self.waiting = _row(
            self.waiting_label, self.use_code_button, self.cancel_button, stretch_first=True
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 24)
        layout.setSpacing(12)
        layout.addWidget(label(words.TITLE, "sectionTitle"))
        for widget in (self.banner, self.intro, self.choices, self.signed_in):
            layout.addWidget(widget)
        layout.addWidget(self.signed_in_hint)
        for widget in (self.waiting, self.code_label, self.error_label):
            layout.addWidget(widget)
        layout.addWidget(self.registration_toggle, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.registration)

    # --- showing ---------------------------------------------------------------------------

    def show_snapshot(self, snap: MailSnapshot) -> None:
        self.account = snap.account
        self.registration.show_registrations(snap.registrations)
        self._show_state()

    @property
    def state(self) -> str:
        """signed_out, signed_in, needs_signin, or waiting (a sign-in is under way)."""
        if self.browser_action.busy or self.code_action.busy:
            return "waiting"
        view = self.account
        if view is None or view.auth != "oauth" or not view.account:
            return "signed_out"
        return "needs_signin" if view.state == "needs_signin" else "signed_in"

    def _show_state(self) -> None:
        state, view = self.state, self.account
        self.banner.setVisible(state == "needs_signin")
        self.choices.setVisible(state == "signed_out")
        self.intro.setVisible(state == "signed_out")
        self.signed_in.setVisible(state == "signed_in")
        self.signed_in_hint.setVisible(state == "signed_in")
        self.waiting.setVisible(state == "waiting")
        self.code_label.setVisible(state == "waiting" and self.code is not None)
        if view is not None and view.provider is not None and view.account:
            names = {"provider": words.LABELS[view.provider], "account": escape(view.account)}
            self.banner_label.setText(words.NEEDS_SIGNIN.format(**names))
            self.signed_in_label.setText(words.SIGNED_IN.format(**names))
        coding = self.code_action.busy
        self.use_code_button.setVisible(self.provider == "microsoft" and not coding)
        text = words.WAITING.format(provider=words.LABELS[self.provider])
        if coding:
            text = words.WAITING_ENTRY if self.code is not None else words.WAITING_CODE
        self.waiting_label.setText(text)
        if state != "waiting":
            self.code = None

    def _toggle_registration(self, shown: bool) -> None:
        self.registration.setVisible(shown)
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self.registration_toggle.setArrowType(arrow)
        self.registration_toggle.setChecked(shown)

    def _show_code(self, code: DeviceCode) -> None:
        if not self.code_action.busy:
            return  # cancelled meanwhile
        self.code = code
        url, user_code = escape(code.verification_uri), escape(code.user_code)
        self.code_label.setText(words.CODE.format(url=url, code=user_code))
        self._show_state()

    # --- signing in and out ----------------------------------------------------------------

    def sign_in(self, provider: str) -> None:
        if self.browser_action.busy or self.code_action.busy:
            return
        self.provider = provider
        self.error_label.hide()
        mail, open_url = self._ws.mail, self.open_url
        kwargs: dict[str, Any] = self.registration.arguments(provider)
        self.browser_action.start(
            lambda: mail.sign_in(provider, show_url=open_url, **kwargs),
            self._signed_in,
            self._failed,
        )

    def again(self) -> None:
        view = self.account
        self.sign_in(view.provider if view is not None and view.provider else "microsoft")

    def use_code(self) -> None:
        """Microsoft only (Google refuses its mail scope in the device flow)."""
        self.browser_action.cancel()
        self.provider = "microsoft"
        self.error_label.hide()
        args = self.registration.arguments("microsoft")
        mail, show = self._ws.mail, self._code_from_worker
        self.code_action.start(
            lambda: mail.sign_in_with_device_code(
                "microsoft", client_id=args["client_id"], tenant=args["tenant"], show_code=show
            ),
            self._signed_in,
            self._failed,
        )

    def _code_from_worker(self, code: DeviceCode) -> None:
        with contextlib.suppress(RuntimeError):  # the card went while the flow ran
            self._codeArrived.emit(code)

    def cancel(self) -> None:
        self.browser_action.cancel()
        self.code_action.cancel()

    def _signed_in(self, view: MailAccountView) -> None:
        self.account = view
        self.registration.forget_secret_text()
        self._show_state()
        self.saved.emit()

    def _failed(self, exc: EscapementError) -> None:
        show_error(self.error_label, exc)
        if "client ID" in exc.message or "docs/mail.md" in exc.message:
            self._toggle_registration(True)

    def sign_out(self) -> None:
        self.sign_out_button.setEnabled(False)
        self.saver.save(self._ws.mail.sign_out, self.error_label, self._signed_out, self._settled)

    def _signed_out(self, view: MailAccountView) -> None:
        self._settled()
        self._signed_in(view)

    def _settled(self, _error: object = None) -> None:
        self.sign_out_button.setEnabled(True)


def _row(*widgets: QWidget, stretch_first: bool = False) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.setSpacing(10)
    for i, widget in enumerate(widgets):
        row.addWidget(widget, 1 if stretch_first and i == 0 else 0)
    if not stretch_first:
        row.addStretch(1)
    return box
