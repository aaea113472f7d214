"""Walks Qt's accessibility tree (what a screen reader sees) and lists the interactive
elements that have no name."""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QWidget

Role = QAccessible.Role

# What a user acts on: each must say what it is.
INTERACTIVE = {
    Role.Button,
    Role.PushButton,
    Role.CheckBox,
    Role.RadioButton,
    Role.ComboBox,
    Role.EditableText,
    Role.SpinBox,
    Role.Slider,
    Role.Table,
    Role.List,
    Role.Tree,
    Role.PageTab,
    Role.ProgressBar,
}


def unnamed(top: QWidget) -> list[str]:
    """Each visible interactive element under `top` with an empty accessible name, described
    by its role and its path of object names, so a failure says where to look."""
    root = QAccessible.queryAccessibleInterface(top)
    assert root is not None
    assert root.isValid()
    found: list[str] = []
    _walk(root, [], found, depth=0)
    return found


def _walk(node: QAccessibleInterface, path: list[str], found: list[str], depth: int) -> None:
    if depth > 60 or not node.isValid():
        return
    state = node.state()
    if state.invisible or state.offscreen:
        return
    role = node.role()
    widget = node.object()
    where = [*path, _describe(widget, role)]
    if role in INTERACTIVE and not node.text(QAccessible.Text.Name).strip():
        found.append(" > ".join(where))
    # Items of a view are the view's own; they are named by their text.
    if role in (Role.Table, Role.List, Role.Tree):
        return
    for i in range(node.childCount()):
        child = node.child(i)
        if child is not None:
            _walk(child, where, found, depth + 1)


def _describe(obj: object, role: Role) -> str:
    name = getattr(obj, "objectName", lambda: "")() if obj is not None else ""
    kind = type(obj).__name__ if obj is not None else "?"
    return f"{kind}[{role.name}]{'#' + name if name else ''}"
