"""WCAG contrast of text against its background, read from a style sheet and a palette.

A style sheet rule names a text colour, a background, or both. Where one is missing, it is
looked up the way the widget would get it: the same selector without its state (`:hover`),
without its sub-control (`::item`), the ancestor of a descendant selector for a background
(`QFrame#card QLabel` sits on the card), the widget type without its object name, and at last
QWidget. A text colour with no background anywhere up that chain is checked against every page
surface it could sit on (the window, cards and bases).

Left out, as WCAG 1.4.3 allows: disabled states (inactive components) and decorations that
carry no text (scroll bars, dividers, progress chunks, arrows).

    python -m ui.runtime.contrast      # the lowest ratios per scheme
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

AA_TEXT = 4.5
DECORATION_PARTS = (
    "handle", "chunk", "add-line", "sub-line", "add-page", "sub-page", "drop-down", "down-arrow",
    "up-arrow", "up-button", "down-button", "separator", "pane", "indicator", "tear",
)  # fmt: skip
DECORATION_NAMES = ("#cardDivider", "#previewRule", "#busyBar")
DECORATION_TYPES = ("QSplitter", "QScrollBar")
_HEX = re.compile(r"#[0-9a-fA-F]{6}\b")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_STATE = re.compile(r"(?<!:)(:!?[a-z-]+|\[[^\]]*\])$")
_PART = re.compile(r"::[a-z-]+$")
_NAME = re.compile(r"#[A-Za-z_][\w-]*$")
BACKGROUNDS = ("background-color", "background")


@dataclass(frozen=True)
class Pair:
    where: str  # the selector or palette role the pair comes from
    text: str
    background: str

    @property
    def ratio(self) -> float:
        return ratio(self.text, self.background)

    def __str__(self) -> str:
        return f"{self.ratio:5.2f}  {self.text} on {self.background}  {self.where}"


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    c = QColor(colour)
    return 0.2126 * linear(c.redF()) + 0.7152 * linear(c.greenF()) + 0.0722 * linear(c.blueF())


def ratio(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def parse(sheet: str) -> dict[str, dict[str, str]]:
    """Selector → its properties; a selector in several rules gets them merged, later wins."""
    sheet = re.sub(r"/\*.*?\*/", "", sheet, flags=re.DOTALL)
    rules: dict[str, dict[str, str]] = {}
    for selectors, body in _RULE.findall(sheet):
        props = {}
        for declaration in body.split(";"):
            name, colon, value = declaration.partition(":")
            if colon:
                props[name.strip()] = value.strip()
        for selector in selectors.split(","):
            rules.setdefault(" ".join(selector.split()), {}).update(props)
    return rules


def _colour(value: str | None) -> str | None:
    found = _HEX.search(value or "")
    return found.group(0).lower() if found else None


def _parent(selector: str, for_background: bool) -> str | None:
    """Where a property missing from `selector` comes from, one step up."""
    if _STATE.search(selector):
        return _STATE.sub("", selector)
    if _PART.search(selector):
        return _PART.sub("", selector)
    if " " in selector:
        ancestor, _, last = selector.rpartition(" ")
        return ancestor if for_background else last
    if _NAME.search(selector):
        return _NAME.sub("", selector)
    return None if selector == "QWidget" or for_background else "QWidget"


def _lookup(
    rules: Mapping[str, Mapping[str, str]], selector: str, names: tuple[str, ...]
) -> str | None:
    background = "background" in names
    at: str | None = selector
    while at is not None:
        props = rules.get(at, {})
        for name in names:
            if (found := _colour(props.get(name))) is not None:
                return found
        at = _parent(at, background)
    return None


def _is_text_rule(selector: str) -> bool:
    if ":disabled" in selector or any(n in selector for n in DECORATION_NAMES):
        return False
    if any(selector.startswith(t) for t in DECORATION_TYPES):
        return False
    return not any(f"::{part}" in selector for part in DECORATION_PARTS)


def sheet_pairs(
    sheet: str, surfaces: Iterable[str], palette_defaults: Mapping[str, str]
) -> list[Pair]:
    """Every text colour against every background it is drawn on.

    `surfaces`: the page backgrounds text with no background of its own can sit on;
    `palette_defaults`: colours the sheet leaves to the palette (`selection-color`)."""
    rules = parse(sheet)
    pairs: list[Pair] = []
    for selector, props in rules.items():
        if not _is_text_rule(selector):
            continue
        own_bg = any(_colour(props.get(name)) for name in BACKGROUNDS)
        if "color" in props or own_bg:
            text = _lookup(rules, selector, ("color",)) or palette_defaults["color"]
            background = _lookup(rules, selector, BACKGROUNDS)
            pairs += [Pair(selector, text, bg) for bg in ([background] if background else surfaces)]
            if alternate := _colour(props.get("alternate-background-color")):
                pairs.append(Pair(f"{selector} (alternate rows)", text, alternate))
        if "selection-color" in props or "selection-background-color" in props:
            selected = _lookup(rules, selector, ("selection-color",))
            behind = _lookup(rules, selector, ("selection-background-color",))
            pairs.append(
                Pair(
                    f"{selector} (selection)",
                    selected or palette_defaults["selection-color"],
                    behind or palette_defaults["selection-background-color"],
                )
            )
    return pairs


PALETTE_PAIRS = (
    ("WindowText", "Window"),
    ("Text", "Base"),
    ("Text", "AlternateBase"),
    ("PlaceholderText", "Base"),
    ("ButtonText", "Button"),
    ("HighlightedText", "Highlight"),
    ("ToolTipText", "ToolTipBase"),
    ("Link", "Base"),
    ("Link", "Window"),
)


def palette_pairs(palette: QPalette) -> list[Pair]:
    """The palette's text roles on the backgrounds they are drawn on (active group)."""

    def name(role: str) -> str:
        return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole[role]).name()

    return [Pair(f"palette {fg}/{bg}", name(fg), name(bg)) for fg, bg in PALETTE_PAIRS]


def scheme_pairs(scheme: object) -> list[Pair]:
    """Sheet and palette pairs of one of ui.runtime.theme's schemes."""
    from ui.runtime import theme

    assert isinstance(scheme, theme.Scheme)
    t = theme.tokens(scheme)
    pal = theme.palette(scheme)
    defaults = {
        "color": t["text"],
        "selection-color": pal.color(QPalette.ColorRole.HighlightedText).name(),
        "selection-background-color": pal.color(QPalette.ColorRole.Highlight).name(),
    }
    surfaces = [t[name] for name in ("window", "base", "base_alt", "list_column")]
    items = [
        Pair(f"item text {role}", colour, t[behind])
        for role, colour in theme.item_colours(scheme).items()
        for behind in ("base", "base_alt", "selection")
    ]
    return sheet_pairs(theme.style_sheet(scheme), surfaces, defaults) + palette_pairs(pal) + items


def main() -> None:
    from ui.runtime import theme

    for scheme in theme.Scheme:
        pairs = sorted(scheme_pairs(scheme), key=lambda p: p.ratio)
        print(f"{scheme.value}: {len(pairs)} pairs, lowest first")
        for pair in pairs[:8]:
            print(f"  {pair}")


if __name__ == "__main__":
    main()
