"""Every app icon the builds need, made from the one source: resources/escapement.svg.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/make_icons.py [--check]

Writes packaging/icons/ (committed, so a build needs neither this script nor Pillow):
- hicolor/NxN/apps/ID.png for the Linux icon theme sizes, and hicolor/scalable/apps/ID.svg;
- escapement.ico (Windows: 16 to 256 px in one file);
- escapement.icns (macOS: 16 to 1024 px, the Retina sizes included).
Qt's SVG renderer draws each size from the vector source, so small sizes are drawn small
rather than scaled down from a big bitmap; Pillow packs the .ico and .icns containers.
With --check nothing is written: the exit code says whether the committed files are current.
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from pathlib import Path

from PIL import IcnsImagePlugin, Image, ImageChops
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "escapement.svg"
OUT = ROOT / "packaging" / "icons"
APP_ID = "app.escapement.Escapement"  # also in build.spec and packaging/linux/
HICOLOR_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(renderer: QSvgRenderer, size: int) -> bytes:
    """The source drawn at size × size pixels, as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes, Qt takes str
    return bytes(data.data())


def write_all(out: Path) -> None:
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {SOURCE} is not an SVG Qt can draw")
    pngs = {size: render(renderer, size) for size in {*HICOLOR_SIZES, *ICO_SIZES, *ICNS_SIZES}}
    for size in HICOLOR_SIZES:
        target = out / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pngs[size])
    scalable = out / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable)
    images = {size: Image.open(io.BytesIO(png)) for size, png in pngs.items()}
    # Pillow takes each entry from the image of that size in append_images, so every size
    # is the one Qt drew, not a downscale of the largest.
    images[256].save(
        out / "escapement.ico",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != 256],
    )
    images[1024].save(
        out / "escapement.icns", append_images=[images[s] for s in ICNS_SIZES if s != 1024]
    )


#: How far a channel of a pixel may differ between two drawings of the same source: Qt's
#: antialiasing rounds a few edge pixels one level apart on different CPUs.
TOLERANCE = 2


def same_tree(a: Path, b: Path) -> bool:
    """Whether the two folders hold the same icons: the same files, the same SVG, and the
    same pictures at every size, to within TOLERANCE (so not byte for byte)."""
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return files_a == files_b and all(_same_icon(a / f, b / f) for f in files_a)


def _same_icon(a: Path, b: Path) -> bool:
    if a.suffix == ".svg":
        return a.read_bytes() == b.read_bytes()
    pictures_a, pictures_b = _pictures(a), _pictures(b)
    return pictures_a.keys() == pictures_b.keys() and all(
        _close(pictures_a[size], pictures_b[size]) for size in pictures_a
    )


def _pictures(path: Path) -> dict[tuple[int, ...], Image.Image]:
    """Every picture in a .png, .ico or .icns file, by its size."""
    if path.suffix == ".icns":
        with path.open("rb") as file:
            icns = IcnsImagePlugin.IcnsFile(file)
            # Decoded now: the pictures read the file lazily, and it closes here.
            return {size: icns.getimage(size).copy() for size in icns.itersizes()}
    image = Image.open(path)
    if path.suffix == ".ico":
        return {size: image.ico.getimage(size) for size in image.ico.sizes()}  # type: ignore[attr-defined]
    return {image.size: image}


def _close(a: Image.Image, b: Image.Image) -> bool:
    a, b = a.convert("RGBA"), b.convert("RGBA")
    if a.size != b.size:
        return False
    return all(high <= TOLERANCE for _, high in ImageChops.difference(a, b).getextrema())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether they are current")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    if not args.check:
        write_all(OUT)
        print(f"icons written to {OUT.relative_to(ROOT)}")
        return 0
    with tempfile.TemporaryDirectory() as fresh:
        write_all(Path(fresh))
        if same_tree(Path(fresh), OUT):
            return 0
    print("packaging/icons/ is out of date: run scripts/make_icons.py", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
