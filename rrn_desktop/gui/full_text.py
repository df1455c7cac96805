"""Table and list cells cut short ("Workforce dev…") show their whole text when the mouse rests
on them, as they do in the detail pane beside."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)


class FullTextOnHover(QStyledItemDelegate):
    def helpEvent(
        self,
        event: QHelpEvent,
        view: QAbstractItemView,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        text = index.data(Qt.ItemDataRole.DisplayRole)
        own_tip = index.data(Qt.ItemDataRole.ToolTipRole)
        if (
            event.type() == QHelpEvent.Type.ToolTip
            and not own_tip
            and isinstance(text, str)
            and self._one_line_width(option, index) > view.visualRect(index).width()
        ):
            QToolTip.showText(event.globalPos(), text, view)
            return True
        return super().helpEvent(event, view, option, index)

    def _one_line_width(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> int:
        """The width the cell needs for its text on one line (its icon and margins included)."""
        whole = QStyleOptionViewItem(option)
        self.initStyleOption(whole, index)
        whole.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
        style = whole.widget.style() if whole.widget is not None else QApplication.style()
        return style.sizeFromContents(
            QStyle.ContentsType.CT_ItemViewItem, whole, QSize(), whole.widget
        ).width()


def show_full_text_on_hover(view: QAbstractItemView) -> None:
    view.setItemDelegate(FullTextOnHover(view))
