"""What every PyInstaller bundle of ours leaves out: shared by build.spec and the bare-window
bundle in benchmarks/bundle_compare.py, so the size comparison is like for like."""

from __future__ import annotations

# Qt modules the app never imports; PyInstaller would otherwise follow optional imports into them.
QT_EXCLUDES = [
    "PySide6.QtNetwork",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtSql",
    "PySide6.QtSvg",
    "PySide6.QtSvgWidgets",
    "PySide6.QtTest",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtWebEngineCore",
    "PySide6.QtMultimedia",
    "PySide6.Qt3DCore",
]

# Parts of libraries the app never calls: Pillow is there for reportlab, which only needs its
# core (PNG), and python-docx and openpyxl use only lxml.etree.
UNUSED_PARTS = [
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
    "PIL._imagingft",
    "PIL._imagingcms",
    "PIL.ImageCms",
    "PIL.ImageQt",
    "lxml.objectify",
    "lxml.html",
    "lxml.isoschematron",
    "readline",
]

# Developer tools that sit in the same environment but that the app never uses at run time.
DEVELOPER_EXCLUDES = [
    "tkinter",
    "hypothesis",
    "pytest",
    "_pytest",
    "pytestqt",
    "pypdf",
    "numpy",
    "IPython",
    "setuptools",
    "pkg_resources",
]

EXCLUDES = QT_EXCLUDES + UNUSED_PARTS + DEVELOPER_EXCLUDES

# Qt's own translations of its dialogs: the app is written in English only.
_UNUSED_DATA_FOLDERS = ("PySide6/Qt/translations/",)


def keep(entries: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """An Analysis TOC without the data files the app never reads."""
    return [
        entry
        for entry in entries
        if not entry[0].replace("\\", "/").startswith(_UNUSED_DATA_FOLDERS)
    ]
