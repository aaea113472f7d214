"""The resync preview's time at the rate cap: minutes under two hours, hours beyond."""

from __future__ import annotations

import pytest

from app.sync.resync import ResyncPreview
from ui.resync.preview_dialog import duration_text, preview_rows


def preview(requests: int, seconds: float) -> ResyncPreview:
    return ResyncPreview(
        selected=10,
        to_send=10,
        will_create=10,
        will_link=0,
        will_flag_existing=0,
        by_project={},
        skipped={},
        estimated=False,
        estimated_requests=requests,
        estimated_seconds=seconds,
    )


@pytest.mark.parametrize(
    ("requests", "seconds", "text"),
    [
        (26, 0.3, "under a minute at your current cap\nup to 26 requests"),
        (300, 60.0, "about 1 min at your current cap\nup to 300 requests"),
        (400, 61.0, "about 2 min at your current cap\nup to 400 requests"),
        (8_000, 1_600.0, "about 27 min at your current cap\nup to 8,000 requests"),
        (80_000, 16_000.0, "about 4.4 h at your current cap\nup to 80,000 requests"),
    ],
)
def test_the_time_at_the_cap_reads_as_a_recruiter_would_say_it(
    requests: int, seconds: float, text: str
) -> None:
    assert duration_text(preview(requests, seconds)) == text


def test_no_requests_no_time_row() -> None:
    assert "Time in Clockwork" not in dict(preview_rows(preview(0, 0.0)))
    assert "Time in Clockwork" in dict(preview_rows(preview(8, 1.6)))
