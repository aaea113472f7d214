"""The sign-in card's words, kept apart from its widgets."""

from __future__ import annotations

LABELS = {"microsoft": "Microsoft", "google": "Google"}

TITLE = "Mailbox"
INTRO = (
    "Sign in with your firm's Microsoft 365 or Google Workspace mailbox: Escapement then sends "
    "and reads replies as you, and never sees your password. For any other mail server, fill "
    "in the SMTP and IMAP settings below with a password."
)
MICROSOFT = "Sign in with Microsoft"
GOOGLE = "Sign in with Google"
PASSWORD = "Other mail server (password)"
SIGN_OUT = "Sign out"
SIGN_IN_AGAIN = "Sign in again"
CANCEL = "Cancel"
USE_CODE = "Use a code instead"
WAITING = "Waiting for the browser… Finish signing in to {provider} there, then come back."
WAITING_CODE = "Asking Microsoft for a code…"
WAITING_ENTRY = "Waiting for the code to be entered…"
CODE = (
    "On any device with a browser, go to <a href='{url}'>{url}</a> and enter the code "
    "<b style='font-size:14pt'>{code}</b>. This window carries on by itself once you are done."
)
SIGNED_IN = "✓ Signed in to {provider} as {account}"
SIGNED_IN_HINT = (
    "Sending and reading replies use this account. The sign-in is kept in the system keyring; "
    "Sign out removes it."
)
NEEDS_SIGNIN = (
    "<b>{provider} no longer accepts the sign-in for {account}.</b> Sending and reading replies "
    "wait, and nothing is lost: everything due goes out once you sign in again."
)
REGISTRATION = "App registration"
REGISTRATION_HINT = (
    "Your firm's administrator registers Escapement once with Microsoft or Google and gives "
    "you these values. <a href='{docs}'>Step by step: docs/mail.md</a>"
)
CLIENT_ID = "Client ID"
TENANT = "Tenant"
TENANT_HINT = (
    "Your organisation’s directory (tenant) ID or domain; “common” lets any work account in."
)
CLIENT_SECRET = "Client secret"
SECRET_SAVED = "Saved in the system keyring"
SECRET_HINT = "Google issues one to desktop apps; it is kept in the system keyring."
PRESET = "Set by your administrator"
