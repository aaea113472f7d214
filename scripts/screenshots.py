"""Render the main window offscreen with demo data and save PNGs to docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py

Uses a throw-away data dir, so it never touches a real workspace.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

from app.domain import ContactInput  # noqa: E402
from app.workspace import Workspace  # noqa: E402
from ui.app import make_application  # noqa: E402
from ui.bridge import EventBridge  # noqa: E402
from ui.import_dialog import ImportDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.tasks import wait_for_all  # noqa: E402

OUT = ROOT / "docs" / "screenshots"

FIRST = (
    "Margaret", "Eleanor", "James", "Priya", "Daniel", "Sofia", "Richard", "Aisha", "Thomas",
    "Hannah", "Michael", "Elena", "Robert", "Mei", "Andrew", "Fatima", "William", "Claire",
    "Jonathan", "Ingrid", "David", "Olivia", "Charles", "Nadia", "Stephen", "Grace", "Patrick",
    "Yuki", "Laurent", "Beatriz",
)  # fmt: skip
LAST = (
    "Whitfield", "Okafor", "Lindqvist", "Raman", "Costa", "Harrington", "Nakamura", "Brennan",
    "Adeyemi", "Fischer", "Moreau", "Castellano", "Sullivan", "Chen", "Kowalski", "Haddad",
    "Thornton", "Ibarra", "Vance", "Ellison", "Delacroix", "Novak", "Prescott", "Mbeki",
    "Sandoval", "Ashworth", "Bergstrom", "Kapoor",
)  # fmt: skip
COMPANIES = (
    "Northwind Health", "Halcyon Capital", "Meridian Biosciences", "Bluestone Logistics",
    "Corvid Software", "Aldergrove Partners", "Sterling & Vale", "Pinecrest Energy",
    "Lumen Retail Group", "Orrery Payments", "Kestrel Aerospace", "Harbourview Insurance",
    "Atlas Maritime", "Quillon Foods",
)  # fmt: skip
SEQUENCES = {
    "CFO search · Northwind Health": ("Chief Financial Officer", "VP Finance", "Group CFO"),
    "VP Engineering · Series C fintech": (
        "VP Engineering",
        "Head of Platform Engineering",
        "Director of Engineering",
    ),
    "Independent directors · consumer boards": (
        "Non-Executive Director",
        "Chair of the Audit Committee",
        "Board Member",
    ),
}


def demo_contacts(rng: random.Random, titles: tuple[str, ...], n: int) -> list[ContactInput]:
    people = []
    for _ in range(n):
        first, last, company = rng.choice(FIRST), rng.choice(LAST), rng.choice(COMPANIES)
        domain = company.lower().replace("& ", "").replace(" ", "") + ".com"
        people.append(
            ContactInput(
                email=f"{first}.{last}@{domain}".lower(),
                first_name=first,
                last_name=last,
                title=rng.choice(titles),
                company=company,
                linkedin_url=f"https://www.linkedin.com/in/{first}-{last}".lower(),
            )
        )
    return people


def fill(ws: Workspace) -> None:
    rng = random.Random(7)
    for (name, titles), n in zip(SEQUENCES.items(), (140, 95, 65), strict=True):
        info = ws.create_sequence(name)
        ws.add_contacts(info.id, demo_contacts(rng, titles, n))


def demo_csv(folder: Path) -> Path:
    path = folder / "board-longlist.csv"
    path.write_text(
        "First Name,Last Name,Email,Company,Job Title,Notes\n"
        "Helena,Marsh,helena.marsh@halcyoncapital.com,Halcyon Capital,Managing Partner,warm\n"
        "Omar,Siddiqui,omar.siddiqui@atlasmaritime.com,Atlas Maritime,CFO,\n"
        "Ruth,Calloway,ruth.calloway@quillonfoods.com,Quillon Foods,Chair,met at SHRM\n"
        "Jonas,Weber,not-an-email,Kestrel Aerospace,COO,\n"
        "Ines,Duarte,ines.duarte@lumenretail.com,Lumen Retail Group,CEO,\n"
        "Ines,Duarte,INES.DUARTE@lumenretail.com,Lumen Retail Group,CEO,dup\n",
        encoding="utf-8",
    )
    return path


def settle(ms: int = 400) -> None:
    """Let queued queries land and the window repaint (a script, so a local loop is fine)."""
    for _ in range(3):
        wait_for_all()
        loop = QEventLoop()
        QTimer.singleShot(ms // 3, loop.quit)
        loop.exec()


def save(widget: QWidget, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT))


def main() -> int:
    app = make_application()
    with tempfile.TemporaryDirectory() as tmp, Workspace.open(f"sqlite:///{tmp}/e.db") as ws:
        fill(ws)
        bridge = EventBridge(ws.bus)
        window = MainWindow(ws, bridge)
        window.show()
        for pane in ("Integration", "Sequences", "Contacts"):
            window.show_pane(pane)
            settle()
            save(window, pane.lower())
        dialog = ImportDialog(ws, window.sequences_pane.current_sequence_id(), window)
        dialog.show()
        dialog.set_path(demo_csv(Path(tmp)))
        settle()
        save(dialog, "import")
        dialog.close()
        window.close()
        settle(60)
        bridge.detach()
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
