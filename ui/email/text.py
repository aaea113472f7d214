"""The Email pane's words, kept apart from its widgets."""

from __future__ import annotations

from app.api import MailRun
from ui.widgets.wording import count

FROM_PLACEHOLDER = "Jane Doe <jane@firm.com>"
FROM_HINT = (
    "The name and address your contacts see. For Clockwork's Pendulum to file these emails, "
    "use the address you log into Clockwork with."
)
BCC_PLACEHOLDER = "e.g. pendulum@yourfirm.example.com"
BCC_HINT = (
    "Your firm's Pendulum address (Clockwork › Firm Settings), BCC'd on every sequence email "
    'so Clockwork files it. Leave empty, or type "none", for no BCC.'
)

SERVER_TITLES = {"smtp": "Sending (SMTP)", "imap": "Replies (IMAP)"}
SERVER_INTROS = {
    "smtp": (
        "The server your sequence emails go out through: your firm's, or your provider's "
        "(for example smtp.office365.com or smtp.gmail.com)."
    ),
    "imap": (
        "Escapement reads your inbox, without changing it, to notice replies and bounces and "
        "stop the sequence for that person (for example outlook.office365.com)."
    ),
}
USER_PLACEHOLDERS = {
    "smtp": "Leave empty for a relay that needs no login",
    "imap": "Same as the from address",
}
SECURITY_CHOICES = (("SSL", "ssl"), ("STARTTLS", "starttls"), ("None", "none"))
CLEAR_TEXT_WARNING = (
    "Without SSL or STARTTLS your password and your emails cross the network in the clear. "
    "Use None only for a relay inside your office network."
)
PASSWORD_SAVED = "✓ Saved in the system keyring"
PASSWORD_MISSING = "No password saved"
PASSWORD_NOT_NEEDED = "No user name, so no password is used (a relay)."
PASSWORD_FROM_ENV = "Taken from {name} in the environment"
LOGIN_SIGNED_IN = "✓ Signed-in account ({account}): no password needed"
PASSWORD_REPLACE = "Type a new password to replace the saved one"
USER_NEEDED = "Enter the user name the password belongs to, then save again."

TEST_HINT = "Sends one short email through the saved SMTP settings, without the BCC."
TEST_SAVE_FIRST = "Save the SMTP settings first: the test uses what is saved."

ZONE_HINT = "Hours are in this time zone; the daily cap counts its calendar days."
END_HINT = "An end of 00:00 means midnight, the end of the day."
CAP_HINT = (
    "Providers limit how much one mailbox sends; staying well under keeps your address out of "
    "spam folders. Emails over the cap wait for the next day."
)
PACING_HINT = (
    "Sends one email at a time with a random pause between them, as a person would, instead "
    "of a burst. A check never waits for the pause: what is held goes in a later check."
)
DOMAIN_CAP_HINT = (
    "So one company's mail server does not get a burst from you; the rest wait for the next hour."
)
NO_DAYS = "Tick at least one day, or choose Any time."

PRIVACY_CHECKBOX = "Copy email bodies into Clockwork notes"
PRIVACY_HINT = (
    "The subject of every email Escapement sends always goes into its Clockwork note. The body "
    "goes too only when this is ticked; otherwise Escapement does not keep it."
)

NO_RUN_YET = "No mail check yet since Escapement started. It checks once a minute."
UNCERTAIN_EXPLANATION = (
    "Escapement stopped while handing these emails to the mail server and could not check a "
    "Sent folder to see whether they went. Look in your mail program's Sent folder: choose "
    "“It was sent” if the email is there, or “Send it again” if it is not."
)
FAILED_EXPLANATION = (
    "These emails could not be made or addressed for the contact. Each is tried again an hour "
    "after it failed; the other contacts' emails go meanwhile. Fix the contact or the step."
)
FAILED_EMPTY = "No failed emails."
UNCERTAIN_EMPTY = "No uncertain emails. Escapement asks here if it cannot tell whether one went."


def window_echo(canonical: str) -> str:
    if canonical == "always":
        return "Saved as “always”: emails go out at any time; the cap counts days in UTC."
    return f"Saved as “{canonical}”."


def run_summary(run: MailRun, at: str) -> str:
    """ "Last check 14:02: 12 sent, 1 reply, 0 bounces; 30 waiting for the sending window"."""
    if not run.mailbox and not run.errors:
        return f"Last check {at}: no mailbox is set up yet, so nothing was sent or read."
    if run.inbox:
        read = f", {count(run.replies, 'reply', 'replies')}, {count(run.bounces, 'bounce')}"
    else:
        read = "; replies and bounces not read (no IMAP server)"
    text = f"Last check {at}: {run.sent:,} sent{read}"
    waiting = run.deferred
    if waiting and run.outside_window:
        text += f"; {waiting:,} waiting for the sending window"
    elif waiting and run.cap_reached:
        text += f"; {waiting:,} waiting for tomorrow (daily cap reached)"
    elif waiting:
        text += f"; {waiting:,} to try again later"
    extra = []
    if run.confirmed:
        extra.append(f"{count(run.confirmed, 'interrupted send')} found in Sent")
    if run.requeued:
        extra.append(f"{count(run.requeued, 'interrupted send')} queued again")
    if run.do_not_contact:
        extra.append(f"{run.do_not_contact:,} skipped (do not contact)")
    if run.uncertain:
        extra.append(f"{run.uncertain:,} uncertain: see below")
    if run.opted_out:
        extra.append(f"{run.opted_out:,} opted out")
    if run.paced:
        extra.append(f"{run.paced:,} held by the pause between sends")
    if run.domain_capped:
        extra.append(f"{run.domain_capped:,} held by the per-domain cap")
    if run.failed:
        extra.append(f"{run.failed:,} failed: see Failed emails below")
    return text + (". " + "; ".join(extra) if extra else "") + "."
