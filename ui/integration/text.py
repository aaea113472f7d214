"""The Integration pane's words, kept apart from its widgets.

Field names and setting names follow the Clockwork integration guide recruiters already know.
"""

from __future__ import annotations

EXPLANATION = (
    "Escapement syncs your contacts into Clockwork whenever they're added to a sequence, or "
    "only once they reply. It looks each person up by email first, so someone already in "
    "Clockwork is linked rather than created twice, adds them to a Clockwork project and "
    "logs their email activity as notes."
)

DOMAIN_PLACEHOLDER = "acme  (from acme.clockworkrecruiting.com)"

KEY_HELP = (
    "<b>Where to find your keys</b>"
    "<ol style='margin-left: 14px; -qt-list-indent: 0;'>"
    "<li>Log into Clockwork and open your <b>Profile</b>.</li>"
    "<li>Scroll down to <b>API Keys</b> and click <b>Create</b>.</li>"
    "<li>Clockwork shows the <b>API Key</b> and the <b>Secret Key</b> only this once: "
    "click <b>Download</b> or copy them somewhere safe.</li>"
    "<li>The <b>Firm Service Key</b> comes from your Clockwork administrator "
    "(Firm Settings).</li>"
    "</ol>"
    "Never share these keys. Escapement keeps them in your system's keyring, never in its "
    "database or logs."
)

SESSION_ONLY_HINT = (
    "Escapement can keep the keys in memory until you quit instead; you would enter them "
    "again next time."
)

NOT_CONNECTED_REASON = "Connect to Clockwork above to change how your contacts sync."

DEDUP_HINT = (
    'When on, a contact whose email already exists in Clockwork is marked "Exists in '
    'Clockwork" instead of being synced, so you can decide.'
)

PROJECT_HINT = (
    "Every contact syncs to this project unless its sequence picks another. We recommend "
    "leaving it blank if you sync to a project per sequence. Projects with a Pitch or On Hold "
    "status can be synced."
)

ACTIVITY_HINT = "Posts each contact's email activity (sent, opened, replied) as Clockwork notes."

RATE_HINT = "Requests per second Escapement sends to Clockwork; lower it if Clockwork slows down."

BCC_HINT = (
    "To track email activity as a note on specific Clockwork projects, paste your firm's "
    "Pendulum email (Clockwork › Firm Settings). It is added as BCC to every sequence email."
)

COMPAT_HINT = (
    "Reads each part of Clockwork's API that Escapement uses, writing nothing, and compares "
    "the answers with the shapes Escapement expects. It runs after every connect."
)

COMPAT_NOT_CONNECTED = "Connect to Clockwork above to check compatibility."

COMPATIBLE = "Compatible: every part Escapement reads answered in the shape it expects."

NOT_COMPATIBLE = (
    "Not compatible: {parts} answered differently (below). Syncing pauses at the first "
    "answer in an unknown shape, so no wrong record is made."
)

REPLY_STATUS_HINT = (
    "When a contact replies, their candidacy in the sequence's project moves to this status, "
    "unless someone in Clockwork changed it since Escapement last read it."
)

STOP_STATUSES_HINT = (
    "A contact whose candidate status becomes one of these stops their sequence, as on a "
    "reply. Statuses are read from Clockwork every 15 minutes while Escapement is open."
)

OPT_OUT_HINT = (
    "When a contact opts out, Escapement also marks the Clockwork person Do Not Contact and "
    "adds a note saying when and how."
)

KEYS_LINK = "<a href='keys'>Enter new keys…</a>"

KEYS_NOT_DELETED = "Disconnected; the keyring could not be used, so saved keys were not deleted."

STATUSES_NOT_READ = "The firm's statuses are read from Clockwork when you open the list."

STATUSES_READ = "{statuses} read from Clockwork."
