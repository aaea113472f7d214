"""Opt-out costs: detecting opt-outs in replies, and choosing what to send when many people
are suppressed and the per-domain cap is on.

    python bench/optout.py [--contacts N] [--suppressed S]

Prints: replies classified per second (a mix of plain answers, quoted threads, signatures
and opt-outs in several languages), and the time of one pass's choice of due emails
(`pacing.pick_due`, with the suppression clause in the query) over N due contacts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.mail import pacing  # noqa: E402
from app.optout.detect import detect  # noqa: E402
from app.store.models import utcnow  # noqa: E402
from app.users import email_settings_for  # noqa: E402
from bench.data import SEQUENCE, fill_store  # noqa: E402

REPLIES = [
    ("Re: a CFO role", "Happy to talk on Thursday.\n\nBest,\nJo\n\nOn Mon, Rita wrote:\n> Hi Jo"),
    (
        "Re: a CFO role",
        "Bitte entfernen Sie mich aus Ihrem Verteiler.\n\nAm Mo. schrieb Rita:\n> x",
    ),
    ("unsubscribe", ""),
    ("AW: Ihre Nachricht", "Danke, kein Interesse.\n--\nJo Bloggs | CFO | Musterfirma GmbH"),
    ("Re: hello", "Thanks, but please take me off your list.\nRegards\nJo"),
    ("Re: hello", "Volontiers, appelez-moi.\n\nLe lun. 7 janv., Rita a écrit :\n> désabonner"),
]


def detection_rate(rounds: int) -> float:
    start = time.perf_counter()
    for _ in range(rounds):
        for subject, text in REPLIES:
            detect(subject, text)
    return rounds * len(REPLIES) / (time.perf_counter() - start)


def pick_due_ms(folder: Path, contacts: int, suppressed: int) -> float:
    ws = fill_store(folder, contacts)
    emails = [r.email for r in ws.contacts_page(ws_filter(), 0, suppressed)]
    ws.suppression.add(emails, note="bench")
    ws.mail.set_domain_cap("10")
    seq = ws.sequence_by_name(SEQUENCE).id
    ws.mail.add_step(seq, subject="Hi {first_name}", body="Hello")
    later = utcnow() + timedelta(days=1)
    with ws.store.write() as session:
        from app.mail import schedule

        schedule.schedule_new(session, ws.user_id)
    times = []
    for _ in range(5):
        with ws.store.read() as session:
            row = email_settings_for(session, ws.user_id)
            start = time.perf_counter()
            chosen, _held = pacing.pick_due(session, row, later, 200)
            times.append((time.perf_counter() - start) * 1000)
    assert chosen, "nothing due"
    ws.close()
    return statistics.median(times)


def ws_filter():  # type: ignore[no-untyped-def]
    from app.domain import ContactFilter

    return ContactFilter()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--suppressed", type=int, default=1_000)
    args = parser.parse_args()
    print(f"opt-out detection: {detection_rate(300):,.0f} replies/s")
    with tempfile.TemporaryDirectory() as folder:
        ms = pick_due_ms(Path(folder), args.contacts, args.suppressed)
    print(
        f"pick_due over {args.contacts:,} due contacts, {args.suppressed:,} suppressed, "
        f"domain cap 10: {ms:.1f} ms (median of 5)"
    )


if __name__ == "__main__":
    main()
