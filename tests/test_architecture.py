"""The house rules that keep the layers apart, checked on the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(folder: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / folder).rglob("*.py"):
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("folder", "forbidden"),
    [("app", {"PySide6", "qasync", "ui"}), ("ui", {"sqlalchemy", "httpx"})],
)
def test_layers_do_not_import_across_the_line(folder: str, forbidden: set[str]) -> None:
    modules = imported_modules(folder)
    assert modules, f"no Python files found under {folder}/"
    offenders = {path: names & forbidden for path, names in modules.items() if names & forbidden}
    assert offenders == {}


#: The only core modules the GUI may import: the façade and the module of public types.
UI_MAY_IMPORT = {"app.api", "app.workspace"}


def app_modules_imported(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "app")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "app":
                found.update(f"app.{a.name}" for a in node.names)
            elif node.module.startswith("app."):
                found.add(node.module)
    return found


def test_the_gui_enters_the_core_by_one_door() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(names - UI_MAY_IMPORT)
        for path in (ROOT / "ui").rglob("*.py")
        if (names := app_modules_imported(path)) - UI_MAY_IMPORT
    }
    assert offenders == {}


def test_the_gui_folder_holds_few_modules_at_its_root() -> None:
    """The launch module, the main window and the status bar; panes live in packages."""
    loose = sorted(p.name for p in (ROOT / "ui").glob("*.py") if p.name != "__init__.py")
    assert len(loose) <= 8, loose


def test_no_source_file_is_two_rooms() -> None:
    big = {
        str(p.relative_to(ROOT)): n
        for folder in ("app", "ui")
        for p in (ROOT / folder).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert big == {}
