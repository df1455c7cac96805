"""One benchmark, walked section by section: the item list, the item editor and the scores."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from rrn_desktop.base.vocabulary import AnswerKey
from rrn_desktop.content.pack_models import ContentPack, Item
from rrn_desktop.core import benchmarks
from rrn_desktop.core.benchmarks import BenchmarkInfo
from rrn_desktop.core.dates import brief_date
from rrn_desktop.core.palette import answer_colour, rag_colour
from rrn_desktop.core.scoring import band_text, format_percent, rated_count, section_scores
from rrn_desktop.gui import dialogs
from rrn_desktop.gui.full_text import show_full_text_on_hover
from rrn_desktop.gui.history_dialog import show_record_history
from rrn_desktop.gui.item_editor import ItemEditor
from rrn_desktop.gui.operations import attempt
from rrn_desktop.gui.reflow import ReflowSplitter, VerticalScrollArea
from rrn_desktop.gui.text_size import follow_row_height, follow_text_size
from rrn_desktop.gui.widgets import buddy_label, colour_chip, heading, wrapped
from rrn_desktop.storage.database import Database

CODE_ROLE = Qt.ItemDataRole.UserRole + 1


def key_hint(pack: ContentPack) -> str:
    """ "Tip: in the list, press 1 Met, 2 Partly met, … or 0 Not yet rated; …"."""
    keys = [f"{option.shortcut} {option.label}" for option in pack.rating_scale]
    listed = ", ".join(keys[:-1]) + f" or {keys[-1]}" if len(keys) > 1 else keys[0]
    return (
        f"Tip: in the list, press {listed}; the next item is selected for you. Ctrl+Z undoes "
        "a rating."
    )


class ItemTree(QTreeView):
    """The list of items; digit keys rate the current item and move to the next one."""

    rating_key = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.rating_key.emit(text)
            return
        super().keyPressEvent(event)


class SetRating(QUndoCommand):
    """A rating already saved, kept so Ctrl+Z can put the old one back."""

    def __init__(self, page: BenchmarkPage, code: str, old: AnswerKey, new: AnswerKey) -> None:
        super().__init__(f"rating of {code}")
        self._page, self._code, self._old, self._new = page, code, old, new
        self._saved_already = True

    def redo(self) -> None:
        # Qt calls redo() on push; the change was saved before, where its errors can be shown.
        if self._saved_already:
            self._saved_already = False
            return
        self._page.apply_rating_or_explain(self._code, self._new)

    def undo(self) -> None:
        self._page.apply_rating_or_explain(self._code, self._old)


class BenchmarkPage(QWidget):
    changed = Signal()  # something in the benchmark was saved

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._benchmark: BenchmarkInfo | None = None
        self._previous: BenchmarkInfo | None = None
        self.undo_stack = QUndoStack(self)

        self.title = heading("", self)
        self.status = wrapped("", self)
        self.status.setAccessibleName("Benchmark status")
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Items rated")
        self.progress.setFormat("%v of %m items rated")

        self.model = QStandardItemModel(self)
        self.model.setHorizontalHeaderLabels(["Item", "Rating"])
        self.tree = ItemTree(self)
        show_full_text_on_hover(self.tree)
        self.tree.setModel(self.model)
        self.tree.setAccessibleName("Items to rate")
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.rating_key.connect(self._rate_by_key)
        self.hint = wrapped("", self)  # the keys of the benchmark's own scale: see load()

        self.editor = ItemEditor(db, self)
        self.editor.rating_chosen.connect(self._rating_chosen)
        self.editor.saved.connect(self._saved)
        scroll = VerticalScrollArea(self.editor, self)

        self.scores = QTableWidget(0, 3, self)
        self.scores.setAccessibleName("Section scores")
        self.scores.setHorizontalHeaderLabels(["Section", "Rated", "Score and progress cue"])
        self.scores.verticalHeader().hide()
        follow_row_height(self.scores)
        self.scores.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Read-only, but reachable with Tab so the scores can be read cell by cell.
        self.scores.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.scores.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.scores.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.scores.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.ResizeToContents
        )
        self.rag_note = wrapped("", self)
        follow_text_size(self.scores, self._fit_scores)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(buddy_label("&Items:", self.tree, left))
        left_layout.addWidget(self.tree)
        left_layout.addWidget(self.hint)
        splitter = ReflowSplitter("benchmark-splitter", left, scroll, parent=self)

        header = QHBoxLayout()
        header.addWidget(self.title, stretch=1)
        self.history_button = QPushButton("Histor&y…", self)
        self.history_button.setToolTip("Every change to this benchmark: who, when and what")
        self.history_button.clicked.connect(self._show_history)
        header.addWidget(self.history_button, alignment=Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(splitter, stretch=1)
        layout.addWidget(self.scores)
        layout.addWidget(self.rag_note)

    # --- loading ------------------------------------------------------------------------------

    @property
    def benchmark(self) -> BenchmarkInfo | None:
        return self._benchmark

    def _pack(self) -> ContentPack:
        assert self._benchmark is not None
        return self._benchmark.pack()

    def load(self, benchmark_id: int) -> None:
        self.editor.flush()
        self.undo_stack.clear()
        self._benchmark = benchmarks.get_benchmark(self._db, benchmark_id)
        self._previous = benchmarks.previous_benchmark(self._db, self._benchmark)
        self.hint.setText(key_hint(self._pack()))
        self._build_tree()
        self._refresh_summary()
        first_item = self.model.index(0, 0, self.model.index(0, 0))
        self.tree.setCurrentIndex(first_item)
        self.tree.setFocus()

    def _show_history(self) -> None:
        if self._benchmark is not None:
            self.editor.flush()
            name = f"the benchmark of {brief_date(self._benchmark.held_on)}"
            show_record_history(self, self._db, "benchmark", self._benchmark.id, name)

    def reload(self) -> None:
        """Fetch the benchmark again after a change made elsewhere (sign-off, reopening)."""
        if self._benchmark is None:
            return
        current = self.current_code()
        self.undo_stack.clear()
        self._benchmark = benchmarks.get_benchmark(self._db, self._benchmark.id)
        self._refresh_rows()
        self._refresh_summary()
        if current is not None:
            self._show_item(current)

    def _build_tree(self) -> None:
        pack = self._pack()
        self.model.removeRows(0, self.model.rowCount())
        for section in pack.sections:
            section_row = QStandardItem(section.heading)
            section_row.setToolTip(section.summary)
            section_row.setSelectable(False)
            font = section_row.font()
            font.setBold(True)
            section_row.setFont(font)
            for item in section.items:
                label = QStandardItem(f"{item.code}  {item.text}")
                label.setData(item.code, CODE_ROLE)
                label.setToolTip(item.text)
                section_row.appendRow([label, QStandardItem()])
            self.model.appendRow([section_row, QStandardItem()])
        self.tree.expandAll()
        self._refresh_rows()

    def _item_indexes(self) -> list[QModelIndex]:
        indexes: list[QModelIndex] = []
        for section_row in range(self.model.rowCount()):
            parent = self.model.index(section_row, 0)
            indexes.extend(
                self.model.index(row, 0, parent) for row in range(self.model.rowCount(parent))
            )
        return indexes

    def _refresh_rows(self) -> None:
        assert self._benchmark is not None
        pack = self._pack()
        for index in self._item_indexes():
            code = index.data(CODE_ROLE)
            rating = self._benchmark.response(code).rating
            cell = self.model.itemFromIndex(index.siblingAtColumn(1))
            cell.setText(pack.option(rating).label)
            cell.setIcon(colour_chip(answer_colour(pack, rating)))

    def _refresh_summary(self) -> None:
        assert self._benchmark is not None
        benchmark, pack = self._benchmark, self._pack()
        self.title.setText(f"{benchmark.service.name}: benchmark of {benchmark.title}")
        previous = (
            f"Compared with the benchmark of {brief_date(self._previous.held_on)}."
            if self._previous
            else "This is the first benchmark of this service: it is your baseline."
        )
        if benchmark.signed_off:
            state = (
                f"Signed off by {benchmark.signed_off_by} ({benchmark.signed_off_role}) on "
                f"{brief_date(benchmark.signed_off_on)}: locked. Use Reopen to make changes."
            )
        else:
            state = f"{benchmark.status_label}: every change is saved as you make it."
        self.status.setText(f"{state} {previous}")
        ratings = benchmark.ratings()
        self.progress.setMaximum(pack.item_count)
        self.progress.setValue(rated_count(pack, ratings))
        scores = section_scores(pack, ratings)
        self.scores.setRowCount(len(scores))
        for row, score in enumerate(scores):
            self.scores.setItem(row, 0, QTableWidgetItem(score.section.heading))
            self.scores.setItem(row, 1, QTableWidgetItem(f"{score.rated} of {score.total}"))
            cue = QTableWidgetItem(
                f"{format_percent(score.percent)} · {band_text(score.band, pack.rag)}"
            )
            cue.setIcon(colour_chip(rag_colour(score.band.colour if score.band else None)))
            self.scores.setItem(row, 2, cue)
        self._fit_scores()
        self.rag_note.setText(f"{pack.scoring_note} {pack.rag_note}")

    def _fit_scores(self) -> None:
        """Every section's score shows without scrolling, at any text size."""
        header = self.scores.horizontalHeader()
        self.scores.setFixedHeight(
            max(header.height(), header.sizeHint().height())
            + sum(self.scores.rowHeight(row) for row in range(self.scores.rowCount()))
            + 2 * self.scores.frameWidth()
        )

    # --- the current item -----------------------------------------------------------------------

    def current_code(self) -> str | None:
        return self.tree.currentIndex().siblingAtColumn(0).data(CODE_ROLE)

    def _item(self, code: str) -> Item:
        return next(item for _section, item in self._pack().items() if item.code == code)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        code = current.siblingAtColumn(0).data(CODE_ROLE)
        if code is not None:
            self._show_item(code)

    def _show_item(self, code: str) -> None:
        assert self._benchmark is not None
        previous = None
        if self._previous is not None:
            previous = (f"{brief_date(self._previous.held_on)}", self._previous.response(code))
        self.editor.show_item(self._pack(), self._benchmark, self._item(code), previous)

    def select_code(self, code: str) -> None:
        for index in self._item_indexes():
            if index.data(CODE_ROLE) == code:
                self.tree.setCurrentIndex(index)
                return

    def _select_next(self) -> None:
        indexes = self._item_indexes()
        codes = [index.data(CODE_ROLE) for index in indexes]
        current = self.current_code()
        if current in codes and codes.index(current) + 1 < len(codes):
            self.tree.setCurrentIndex(indexes[codes.index(current) + 1])

    # --- rating -------------------------------------------------------------------------------

    def _rate_by_key(self, key: str) -> None:
        code = self.current_code()
        if code is None or self._benchmark is None:
            return
        option = next((o for o in self._pack().rating_scale if o.shortcut == key), None)
        if option is None:
            return
        if self._rating_chosen(code, option.key):
            self._select_next()

    def _rating_chosen(self, code: str, rating: AnswerKey) -> bool:
        assert self._benchmark is not None
        old = self._benchmark.response(code).rating
        if old == rating:
            return True
        if self._benchmark.signed_off:
            dialogs.show_error(
                self, "Signed off", "This benchmark is signed off. Reopen it to change ratings."
            )
            self.editor.refresh_rating(old)
            return False
        if not self.apply_rating_or_explain(code, rating):
            self.editor.refresh_rating(old)
            return False
        self.undo_stack.push(SetRating(self, code, old, rating))
        return True

    def apply_rating_or_explain(self, code: str, rating: AnswerKey) -> bool:
        return attempt(self, "Rating not saved", lambda: self.apply_rating(code, rating)).ok

    def apply_rating(self, code: str, rating: AnswerKey) -> None:
        """Save a rating and show it everywhere; the undo stack calls this both ways."""
        assert self._benchmark is not None
        benchmarks.set_rating(self._db, self._benchmark.id, code, rating)
        self._saved(code)
        if self.current_code() == code:
            self.editor.refresh_rating(rating)

    def _saved(self, _code: str) -> None:
        assert self._benchmark is not None
        self._benchmark = benchmarks.get_benchmark(self._db, self._benchmark.id)
        self._refresh_rows()
        self._refresh_summary()
        self.changed.emit()

    def flush(self) -> None:
        self.editor.flush()
