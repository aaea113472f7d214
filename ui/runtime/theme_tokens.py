"""The colour tokens of the style sheet template (resources/style.qss), one table per scheme.

Both tables have the same names; tests/ui/runtime/test_theme.py checks that, that the sheet
uses every name, and that each text colour reaches WCAG AA (4.5:1) on the backgrounds it is
drawn on. Names say the role, not the colour: `text_muted`, not `grey`.
"""

from __future__ import annotations

from typing import Final

LIGHT: Final[dict[str, str]] = {
    # Surfaces, from the window down to the hover and pressed states.
    "window": "#f6f7f9",
    "base": "#ffffff",
    "base_alt": "#f8f9fb",
    "sunken": "#f3f4f6",
    "pressed": "#e7e9ed",
    "nav": "#eceef2",
    "nav_hover": "#e2e5ea",
    "list_column": "#fbfbfc",
    "selection": "#dfe7fb",
    "tooltip_bg": "#1f2329",
    # Lines and scroll bars: drawn, never read, so no text contrast applies.
    "border": "#e3e6ea",
    "border_strong": "#d0d5dd",
    "border_nav": "#dfe2e7",
    "gridline": "#eef0f3",
    "scroll": "#c7ccd4",
    "scroll_hover": "#a9b0ba",
    # Check box and radio outlines: 3:1 on the base, as WCAG asks of a control's boundary.
    "control_border": "#7a8391",
    # The one accent: focus rings, the primary button, progress.
    "accent": "#2f5bd3",
    "accent_hover": "#2a51bd",
    "accent_disabled": "#a9bcef",
    # Text.
    "text": "#1f2329",
    "text_strong": "#14171c",
    "text_secondary": "#4a5261",
    "text_muted": "#667085",
    "text_nav": "#343a44",
    "text_label": "#344054",
    "text_disabled": "#a0a5ad",
    "text_accent": "#1d3f9c",
    "on_accent": "#ffffff",
    "on_accent_disabled": "#f6f7f9",
    "tooltip_text": "#ffffff",
    # Messages: text, background, border.
    "danger": "#b42318",
    "danger_bg": "#fef3f2",
    "danger_border": "#fecdca",
    "success": "#05603a",
    "success_text": "#187a43",
    "success_bg": "#ecfdf3",
    "success_border": "#abefc6",
    "warning": "#93370d",
    "warning_bg": "#fffaeb",
    "warning_border": "#fedf89",
    "info_bg": "#eff4ff",
    "info_border": "#c7d7fe",
}

DARK: Final[dict[str, str]] = {
    "window": "#17191d",
    "base": "#1f2227",
    "base_alt": "#23262c",
    "sunken": "#282c33",
    "pressed": "#30353d",
    "nav": "#131519",
    "nav_hover": "#252930",
    "list_column": "#1b1e22",
    "selection": "#263a66",
    "tooltip_bg": "#2d3139",
    "border": "#30343b",
    "border_strong": "#454b56",
    "border_nav": "#262a30",
    "gridline": "#2a2e35",
    "scroll": "#454b55",
    "scroll_hover": "#5c636f",
    "control_border": "#808999",
    # Lighter than the light scheme's accent, so a focus ring shows on dark grey; white text
    # on it still reaches 4.5:1.
    "accent": "#3d68dc",
    "accent_hover": "#3560d2",
    "accent_disabled": "#2b3553",
    "text": "#e4e7ec",
    "text_strong": "#f3f4f6",
    "text_secondary": "#b3bac5",
    "text_muted": "#9aa3b2",
    "text_nav": "#c9ced6",
    "text_label": "#c4cad4",
    "text_disabled": "#6b7280",
    "text_accent": "#9cb8ff",
    "on_accent": "#ffffff",
    "on_accent_disabled": "#8a93a6",
    "tooltip_text": "#f3f4f6",
    "danger": "#ff9b91",
    "danger_bg": "#3a1c1a",
    "danger_border": "#6e2b26",
    "success": "#7fe0a7",
    "success_text": "#5ccf8c",
    "success_bg": "#13301f",
    "success_border": "#24573a",
    "warning": "#fcc47c",
    "warning_bg": "#33270f",
    "warning_border": "#6b4f14",
    "info_bg": "#1c2740",
    "info_border": "#314a7d",
}

# Text colours that code sets on item views (Clockwork states, counts, sync-log outcomes, an
# unsaved step), where the sheet cannot reach. Each reaches 4.5:1 on the base, the alternate
# rows and the selection of its scheme. Roles: muted (not synced, counts, empty cells),
# info (queued, paused), ok (synced), warning (exists, possible duplicate, retry), error,
# accent (unsaved).
LIGHT_ITEMS: Final[dict[str, str]] = {
    "muted": "#5b6474",
    "info": "#2452b8",
    "ok": "#146c3a",
    "warning": "#8a4f00",
    "error": "#b42318",
    "accent": "#1d3f9c",
}

DARK_ITEMS: Final[dict[str, str]] = {
    "muted": "#a3abb8",
    "info": "#93b2ff",
    "ok": "#6fd69b",
    "warning": "#f0b35a",
    "error": "#ff9b91",
    "accent": "#9cb8ff",
}
