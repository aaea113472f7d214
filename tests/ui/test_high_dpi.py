"""High DPI: the state dots and the SVG icons are drawn at the screen's pixel ratio, not
stretched from one small bitmap."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from app.domain import ContactSyncState
from ui.contacts.cells import _dot
from ui.main_window import PANES
from ui.runtime import assets


@pytest.mark.parametrize("ratio", [1.0, 1.5, 2.0])
def test_state_dots_have_a_bitmap_for_each_ratio(qapp: QApplication, ratio: float) -> None:
    icon = _dot(ContactSyncState.SYNCED)
    assert icon.actualSize(QSize(16, 16)) == QSize(10, 10)  # the same size on screen
    pixmap = icon.pixmap(QSize(10, 10), ratio)
    assert pixmap.size() == QSize(round(10 * ratio), round(10 * ratio))
    assert pixmap.devicePixelRatio() == ratio


@pytest.mark.parametrize("name", [*(p.lower() for p in PANES), "check"])
def test_icons_render_sharp_at_twice_the_density(qapp: QApplication, name: str) -> None:
    icon = assets.icon(name)
    assert not icon.isNull()
    pixmap = icon.pixmap(QSize(20, 20), 2.0)
    assert pixmap.size() == QSize(40, 40)  # drawn from the SVG at 40 px, not scaled up
    image = pixmap.toImage()
    assert any(image.pixelColor(x, y).alpha() for x in range(40) for y in range(40))
