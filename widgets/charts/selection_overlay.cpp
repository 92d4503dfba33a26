#include "widgets/charts/selection_overlay.h"

#include <algorithm>

namespace gt::widgets {

SelectionOverlay::SelectionOverlay(QCustomPlot* plot, QCPAxis* keyAxis, QCPAxis* valueAxis)
    : QCPLayerable(plot)
    , m_key(keyAxis)
    , m_value(valueAxis) {
    if (!plot->layer("overlay"))
        plot->addLayer("overlay", plot->layer("main"), QCustomPlot::limAbove);
    setLayer("overlay");
}

void SelectionOverlay::setCells(int rows, int columns, std::vector<uint8_t> state, int deepestRow) {
    m_rows = rows;
    m_columns = columns;
    m_state = std::move(state);
    m_deepestRow = deepestRow;
}

void SelectionOverlay::setHighlighted(std::vector<int> cells) {
    m_highlighted = std::move(cells);
}

void SelectionOverlay::setPins(std::vector<uint8_t> cells) {
    m_pins = std::move(cells);
}

void SelectionOverlay::applyDefaultAntialiasingHint(QCPPainter* painter) const {
    applyAntialiasingHint(painter, false, QCP::aeOther);
}

QRectF SelectionOverlay::cellRect(int row, int column) const {
    const QPointF a(m_key->coordToPixel(column - 0.5), m_value->coordToPixel(row - 0.5));
    const QPointF b(m_key->coordToPixel(column + 0.5), m_value->coordToPixel(row + 0.5));
    return QRectF(a, b).normalized().adjusted(1.5, 1.5, -1.5, -1.5);
}

void SelectionOverlay::draw(QCPPainter* painter) {
    painter->setBrush(Qt::NoBrush);
    const QPen shadow(QColor(0, 0, 0, 170), 4);
    const QPen full(QColor(255, 255, 255), 2);
    QPen some(QColor(255, 255, 255), 2, Qt::DashLine);
    for (int r = 0; r < m_rows; ++r) {
        for (int c = 0; c < m_columns; ++c) {
            const uint8_t s = m_state[static_cast<size_t>(r) * m_columns + c];
            if (s == 0) continue;
            const QRectF rect = cellRect(r, c);
            painter->setPen(shadow);
            painter->drawRect(rect);
            painter->setPen(s == 2 ? full : some);
            painter->drawRect(rect);
        }
    }
    drawPins(painter);
    painter->setPen(QPen(QColor(255, 170, 0), 3));
    for (int cell : m_highlighted)
        if (m_columns > 0)
            painter->drawRect(cellRect(cell / m_columns, cell % m_columns).adjusted(-3, -3, 3, 3));
    if (m_deepestRow >= 0) {
        // Backprop stops here: nothing below this line pays any backward cost.
        const double y = m_value->coordToPixel(m_deepestRow - 0.5);
        painter->setPen(QPen(QColor(230, 40, 40), 3));
        painter->drawLine(QPointF(m_key->coordToPixel(-0.5), y),
                          QPointF(m_key->coordToPixel(m_columns - 0.5), y));
    }
}

void SelectionOverlay::drawPins(QCPPainter* painter) const {
    if (m_columns == 0) return;
    for (size_t cell = 0; cell < m_pins.size(); ++cell) {
        const uint8_t p = m_pins[cell];
        if (p == 0) continue;
        const QRectF r =
            cellRect(static_cast<int>(cell) / m_columns, static_cast<int>(cell) % m_columns);
        if (p & 2) { // never trained: crossed out, dark under light so it shows on any colour
            for (const auto& pen :
                 {QPen(QColor(0, 0, 0, 190), 4), QPen(QColor(255, 255, 255), 2)}) {
                painter->setPen(pen);
                painter->drawLine(r.topLeft(), r.bottomRight());
                painter->drawLine(r.topRight(), r.bottomLeft());
            }
        }
        if (p & 1) { // always trained: a flag in the top-left corner
            const double side = std::min({r.width(), r.height(), 14.0});
            const QPolygonF flag(
                {r.topLeft(), r.topLeft() + QPointF(side, 0), r.topLeft() + QPointF(0, side)});
            painter->setPen(QPen(QColor(0, 0, 0, 190), 1));
            painter->setBrush(QColor(0x1f, 0x77, 0xb4));
            painter->drawPolygon(flag);
            painter->setBrush(Qt::NoBrush);
        }
    }
}

} // namespace gt::widgets
