"""An activity note's HTML, and the marker that lets a retry find a note it already posted.

Clockwork has no idempotency keys, so after a note's answer is lost the next try lists the
person's notes and looks for the activity's marker. That marker must be the app's own, never
text a contact or a recruiter typed: a name such as "Ada [escapement:activity:7]" once made
a retry miss its note (it read the forged marker first) and post the note again, every time.

So the marker lives in one fixed place, the note's last line, and nothing else can reach that
place: every piece of user text is HTML-escaped, kept on one line (its own line breaks become
<br>) and has its brackets written as character references, so it cannot spell a marker at all.
A note is recognised only when its last line is exactly a marker paragraph.
"""

from __future__ import annotations

import html
import re

from app.sync.records import ActivityNote

_ACTIVITY_TITLES = {
    "sent": "Email sent",
    "opened": "Email opened",
    "clicked": "Link clicked",
    "replied": "Reply received",
    "bounced": "Email bounced",
}
# Clockwork may trim or re-wrap trailing whitespace; nothing else is allowed after the marker.
_LAST_LINE = re.compile(r"<p>\[escapement:activity:([1-9][0-9]{0,18})\]</p>\s*\Z")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]")


def note_marker(activity_id: int) -> str:
    return f"[escapement:activity:{activity_id}]"


def user_text(text: str) -> str:
    """`text` as inert HTML on one line: escaped, line breaks as <br>, no bare brackets."""
    escaped = html.escape(text).replace("[", "&#91;").replace("]", "&#93;")
    return _LINE_BREAKS.sub("<br>", escaped)


def note_html(note: ActivityNote) -> str:
    step = f", step {note.step_index + 1}" if note.step_index is not None else ""
    lines = [
        f"<p><b>{_ACTIVITY_TITLES[note.kind.value]}</b> — "
        f"sequence {user_text(note.sequence)}{step}</p>",
        f"<p>{note.occurred_at:%Y-%m-%d %H:%M} UTC</p>",
    ]
    if note.subject:
        lines.append(f"<p>Subject: {user_text(note.subject)}</p>")
    if note.body:
        lines.append(f"<blockquote>{user_text(note.body)}</blockquote>")
    lines.append(f"<p>{note_marker(note.id)}</p>")
    return "\n".join(lines)


def activity_of(content: str) -> int | None:
    """The activity id of a note this app posted, from its last line; None for any other."""
    found = _LAST_LINE.search(content)
    if found is None:
        return None
    start = found.start()
    # The marker paragraph must begin a line or follow a closing tag (notes posted before
    # markers had a line of their own), never follow text.
    if start > 0 and content[start - 1] not in "\n>":
        return None
    return int(found.group(1))
