"""The user guide inside the app: F1 opens it at the part about the screen in front of you.

The guide is docs/user-guide.md, shown as it is (Qt reads Markdown), so the guide in the
repository and the one in the app can never drift apart.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import (
    QImageReader,
    QResizeEvent,
    QTextBlock,
    QTextCursor,
    QTextFragment,
    QTextImageFormat,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.resources import user_guide
from rrn_desktop.gui.screen_fit import fit_to_screen
from rrn_desktop.gui.text_size import follow_text_size

# The guide's section headings, by the screen each one is about.
GETTING_STARTED = "Getting started"
BENCHMARKS = "Benchmarking training against the standards"
RESTRICTIONS = "Blanket restrictions: the checklist and the register"
PLAN = "The pledge and the restraint reduction plan"
INCIDENTS = "Incidents: support and learning"
REPORTS = "Printing and reports"
BACKUPS = "Backups, moving to another laptop, and the record of changes"
KEYBOARD = "Keyboard and text size"
TOPICS = [GETTING_STARTED, BENCHMARKS, RESTRICTIONS, PLAN, INCIDENTS, REPORTS, BACKUPS, KEYBOARD]


class HelpWindow(QDialog):
    """The guide, with its sections listed on the left; it stays open beside the app."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("RRN Self-Audit guide")
        self.setModal(False)
        fit_to_screen(self, QSize(960, 720))
        self.sections = QListWidget(self)
        self.sections.setAccessibleName("Sections of the guide")
        self.sections.setWordWrap(True)
        follow_text_size(
            self.sections,
            lambda: self.sections.setFixedWidth(
                26 * self.sections.fontMetrics().averageCharWidth()
            ),
        )
        for topic in TOPICS:
            QListWidgetItem(topic, self.sections)
        self.text = _GuideText(self)
        self.text.setAccessibleName("The guide")
        self.text.setOpenExternalLinks(False)
        guide = user_guide()
        self.text.setSearchPaths([str(guide.parent)])
        self.text.setMarkdown(guide.read_text(encoding="utf-8"))
        self.sections.currentTextChanged.connect(self.show_topic)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        row = QHBoxLayout()
        row.addWidget(self.sections)
        row.addWidget(self.text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(buttons)

    def show_topic(self, topic: str) -> None:
        """Scroll so that TOPIC's heading is at the top, and mark it in the list."""
        block = _heading_block(self.text, topic)
        if block is None:
            return
        matches = self.sections.findItems(topic, Qt.MatchFlag.MatchExactly)
        if matches and self.sections.currentItem() is not matches[0]:
            self.sections.setCurrentItem(matches[0])
        cursor = QTextCursor(block)
        self.text.setTextCursor(cursor)
        top = self.text.document().documentLayout().blockBoundingRect(block).top()
        self.text.verticalScrollBar().setValue(int(top))


class _GuideText(QTextBrowser):
    """The guide's text, its screenshots scaled down to the width of the view."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_pictures()

    def setMarkdown(self, markdown: str) -> None:
        super().setMarkdown(markdown)
        self._fit_pictures()

    def _fit_pictures(self) -> None:
        room = max(100, self.viewport().width() - 2 * int(self.document().documentMargin()) - 4)
        block = self.document().begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                picture = fragment.charFormat().toImageFormat()
                if picture.isValid():
                    self._fit(fragment, picture, room)
                fragments += 1
            block = block.next()

    def _fit(self, fragment: QTextFragment, picture: QTextImageFormat, room: int) -> None:
        natural = QImageReader(str(user_guide().parent / picture.name())).size()
        if natural.isEmpty():
            return
        width = min(natural.width(), room)
        if abs(picture.width() - width) < 1:
            return
        picture.setWidth(width)
        picture.setHeight(natural.height() * width / natural.width())
        cursor = QTextCursor(self.document())
        cursor.setPosition(fragment.position())
        cursor.setPosition(fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(picture)


def _heading_block(browser: QTextBrowser, topic: str) -> QTextBlock | None:
    block = browser.document().begin()
    while block.isValid():
        if block.blockFormat().headingLevel() > 0 and block.text() == topic:
            return block
        block = block.next()
    return None


def show_help(parent: QWidget, topic: str) -> HelpWindow:
    """Opens the guide at TOPIC, reusing the window if it is already open."""
    window = parent.findChild(HelpWindow)
    if window is None:
        window = HelpWindow(parent)
    window.show()
    window.raise_()
    window.activateWindow()
    window.show_topic(topic)
    return window
