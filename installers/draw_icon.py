"""Draws the app's icon: resources/icons/rrn-desktop.png and a multi-size rrn-desktop.ico.

Run once after changing the design: uv run python installers/draw_icon.py
The icon is three bars stepping down (less restraint over time) on a teal tile, drawn with Qt
so it needs no image editor. The .ico holds PNG images, which Windows Vista and later read.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)
TILE = QColor("#1d5c73")
BAR = QColor("#ffffff")
BAR_HEIGHTS = (0.62, 0.42, 0.22)


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(TILE)
    radius = size * 0.18
    painter.drawRoundedRect(QRectF(0, 0, size, size), radius, radius)
    painter.setBrush(BAR)
    margin, gap = size * 0.18, size * 0.07
    width = (size - 2 * margin - 2 * gap) / 3
    floor = size - margin
    for index, height in enumerate(BAR_HEIGHTS):
        left = margin + index * (width + gap)
        bar_radius = max(1.0, size * 0.03)
        painter.drawRoundedRect(
            QRectF(left, floor - height * size, width, height * size), bar_radius, bar_radius
        )
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, payload = b"", b""
    for size, data in images.items():
        # In an ICO entry a width or height of 0 means 256.
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        payload += data
        offset += len(data)
    return header + entries + payload


def main() -> None:
    _app = QGuiApplication([])
    ICONS.mkdir(parents=True, exist_ok=True)
    images = {size: png_bytes(draw(size)) for size in SIZES}
    (ICONS / "rrn-desktop.png").write_bytes(images[256])
    (ICONS / "rrn-desktop.ico").write_bytes(ico_bytes(images))
    print(f"Wrote {ICONS / 'rrn-desktop.png'} and {ICONS / 'rrn-desktop.ico'}")


if __name__ == "__main__":
    main()
