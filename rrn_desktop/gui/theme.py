"""Colours on screen: the system's light or dark mode, or a high-contrast scheme.

The screens never hard-code a text colour against an assumed white background: a warning is
drawn in `warning_colour()`, which is worked out from the palette in use, so it stays readable
in dark mode and in high contrast (and always comes with words, never colour alone).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, SignalInstance
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

# Dark red on light backgrounds, light red on dark ones, yellow in high contrast: each at least
# 4.5:1 against its background (WCAG AA for normal text).
_WARNING_ON_LIGHT = QColor("#b00020")
_WARNING_ON_DARK = QColor("#ff8a80")
_WARNING_IN_HIGH_CONTRAST = QColor("#ffff00")
# A chart's bars: at least 3:1 against the background (WCAG's minimum for graphics).
_BAR_ON_LIGHT = QColor("#1f4e79")
_BAR_ON_DARK = QColor("#9cc3e6")
_BAR_IN_HIGH_CONTRAST = QColor("#ffffff")

_HIGH_CONTRAST = {
    QPalette.ColorRole.Window: "#000000",
    QPalette.ColorRole.WindowText: "#ffffff",
    QPalette.ColorRole.Base: "#000000",
    QPalette.ColorRole.AlternateBase: "#1a1a1a",
    QPalette.ColorRole.Text: "#ffffff",
    QPalette.ColorRole.Button: "#000000",
    QPalette.ColorRole.ButtonText: "#ffffff",
    QPalette.ColorRole.BrightText: "#ffff00",
    QPalette.ColorRole.Highlight: "#ffff00",
    QPalette.ColorRole.HighlightedText: "#000000",
    QPalette.ColorRole.ToolTipBase: "#000000",
    QPalette.ColorRole.ToolTipText: "#ffffff",
    QPalette.ColorRole.PlaceholderText: "#d0d0d0",
    QPalette.ColorRole.Link: "#00ffff",
    QPalette.ColorRole.LinkVisited: "#ff80ff",
    QPalette.ColorRole.Light: "#ffffff",
    QPalette.ColorRole.Midlight: "#c0c0c0",
    QPalette.ColorRole.Mid: "#808080",
    QPalette.ColorRole.Dark: "#ffffff",
    QPalette.ColorRole.Shadow: "#ffffff",
}
_DISABLED_TEXT = "#a0a0a0"
# Fusion edges text boxes in a shade darker than the window: nothing, on black. A white edge
# shows where each box is (the boxes inside spin boxes and combo boxes have their own).
_HIGH_CONTRAST_SHEET = """
QLineEdit, QPlainTextEdit, QTextEdit { border: 1px solid #ffffff; }
QAbstractSpinBox QLineEdit, QComboBox QLineEdit { border: none; }
"""


class _Notice(QObject):
    changed = Signal()


_notice: _Notice | None = None
_state: dict[str, object] = {"high_contrast": False, "style": None}


def colours_changed() -> SignalInstance:
    """Emitted after the scheme changes (high contrast switched, or the system's dark mode)."""
    global _notice
    if _notice is None:
        _notice = _Notice()
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(lambda _scheme: _notice.changed.emit())
    return _notice.changed


def high_contrast() -> bool:
    return bool(_state["high_contrast"])


def apply_high_contrast(on: bool) -> None:
    """White and yellow on black everywhere, with the Fusion style, which honours every colour;
    off gives back the system's own style and palette (light or dark, as the system is set)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication) or on == high_contrast():
        return
    if _state["style"] is None:
        _state["style"] = app.style().name()
    if on:
        app.setStyle(QStyleFactory.create("Fusion"))
        app.setPalette(high_contrast_palette())
        app.setStyleSheet(_HIGH_CONTRAST_SHEET)
    else:
        app.setStyleSheet("")
        app.setStyle(QStyleFactory.create(str(_state["style"])))
        app.setPalette(app.style().standardPalette())
    _state["high_contrast"] = on
    colours_changed().emit()


def high_contrast_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _HIGH_CONTRAST.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(_DISABLED_TEXT))
    return palette


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def _for_scheme(on_light: QColor, on_dark: QColor, in_high_contrast: QColor) -> QColor:
    if high_contrast():
        return QColor(in_high_contrast)
    return QColor(on_dark if is_dark() else on_light)


def warning_colour() -> QColor:
    """The colour for overdue and missing things, readable on the background in use."""
    return _for_scheme(_WARNING_ON_LIGHT, _WARNING_ON_DARK, _WARNING_IN_HIGH_CONTRAST)


def bar_colour() -> QColor:
    """The colour of a chart's bars when they are all one series."""
    return _for_scheme(_BAR_ON_LIGHT, _BAR_ON_DARK, _BAR_IN_HIGH_CONTRAST)


def warning_style(bold: bool = False) -> str:
    """A style sheet for a label that warns."""
    weight = " font-weight: bold;" if bold else ""
    return f"color: {warning_colour().name()};{weight}"


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG's contrast ratio between two colours, from 1 (same) to 21 (black on white)."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(colour.redF())
            + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF())
        )

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
