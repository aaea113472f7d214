"""With no command the window starts from the global options alone, without importing the
command modules (the sandbox server among them); everything else goes to the full parser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import COMMANDS
from app.cli.options import build_parser, gui_arguments

ROOT = Path(__file__).resolve().parents[2]
GLOBAL = ["--data-dir", "d", "--database-url", "sqlite://", "--as", "a@example.com"]


@pytest.mark.parametrize(
    "argv", [[], GLOBAL, [*GLOBAL, "--sandbox", "--clockwork-url", "http://127.0.0.1:1"]]
)
def test_no_command_gives_what_the_full_parser_gives(argv: list[str]) -> None:
    args = gui_arguments(argv)
    assert args is not None
    assert vars(args) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv", [["status"], ["--data-dir", "d", "status"], ["-h"], ["--data-dir"], ["--bogus"]]
)
def test_a_command_help_or_a_mistake_is_left_to_the_full_parser(argv: list[str]) -> None:
    assert gui_arguments(argv) is None


def test_the_window_side_does_not_import_the_commands() -> None:
    code = (
        "import sys, main; from app.cli.options import gui_arguments; gui_arguments([]);"
        "print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(done.stdout.split())
    assert not {f"app.cli.{name}" for name in COMMANDS} & loaded
    assert "app.sandbox.server" not in loaded
