#include "widgets/charts/tensor_heatmap.h"

#include "widgets/charts/selection_overlay.h"

#include "widgets/charts/plot_theme.h"

#include <qcustomplot.h>

#include <QToolTip>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace gt::widgets {

TensorHeatmap::TensorHeatmap(QWidget* parent)
    : QWidget(parent)
    , m_plot(new QCustomPlot(this)) {
    setObjectName("TensorHeatmap");
    m_plot->setObjectName("TensorHeatmapPlot");
    m_plot->setMinimumSize(320, 260);
    m_plot->setNoAntialiasingOnDrag(true);
    m_map = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_map->setInterpolate(false);
    m_map->setTightBoundary(false);
    m_scale = new QCPColorScale(m_plot);
    m_plot->plotLayout()->addElement(0, 1, m_scale);
    m_scale->setType(QCPAxis::atRight);
    m_scale->setBarWidth(14);
    m_map->setColorScale(m_scale); // the map adopts the scale's gradient: set it after
    m_map->setGradient(viridisGradient());
    followPalette(m_plot);
    auto* margins = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    m_scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    m_plot->xAxis->setTickLabelRotation(-40);
    m_plot->xAxis->grid()->setVisible(false);
    m_plot->yAxis->grid()->setVisible(false);
    m_plot->yAxis->setLabel(tr("block (input at the bottom)"));
    m_overlay = new SelectionOverlay(m_plot, m_plot->xAxis, m_plot->yAxis);
    connect(m_plot, &QCustomPlot::mouseMove, this, &TensorHeatmap::onMouseMove);
    connect(m_plot, &QCustomPlot::mousePress, this, &TensorHeatmap::onMousePress);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
}

void TensorHeatmap::setGrid(const TensorGrid& grid) {
    m_grid = grid;
    const int rows = grid.rows(), cols = grid.columns();
    m_map->data()->setSize(cols, rows);
    m_map->data()->setRange(QCPRange(0, cols - 1), QCPRange(0, rows - 1));
    auto xt = QSharedPointer<QCPAxisTickerText>::create();
    for (int c = 0; c < cols; ++c)
        xt->addTick(c, grid.columnLabel(c));
    m_plot->xAxis->setTicker(xt);
    auto yt = QSharedPointer<QCPAxisTickerText>::create();
    const int every = rows > 40 ? 4 : rows > 20 ? 2 : 1; // keep labels legible
    for (int r = 0; r < rows; ++r)
        if (r == 0 || r == rows - 1 || (r - 1) % every == 0) yt->addTick(r, grid.rowLabel(r));
    m_plot->yAxis->setTicker(yt);
    m_plot->xAxis->setRange(-0.5, cols - 0.5);
    m_plot->yAxis->setRange(-0.5, rows - 0.5);
    m_cellState.assign(static_cast<size_t>(rows) * cols, 0);
    m_cellPins.assign(static_cast<size_t>(rows) * cols, 0);
    m_overlay->setPins(m_cellPins);
    m_overlay->setCells(rows, cols, m_cellState, -1);
    m_overlay->setHighlighted({});
}

QString TensorHeatmap::valueLabel() const {
    return m_scale->axis()->label();
}

void TensorHeatmap::setValues(const std::vector<double>& perTensor, const QString& label,
                              bool logScale) {
    const int rows = m_grid.rows(), cols = m_grid.columns();
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const auto& ts = m_grid.tensorsIn(r, c);
            double v = std::numeric_limits<double>::quiet_NaN();
            if (!ts.empty()) {
                v = 0;
                for (int t : ts)
                    v += perTensor[t];
                if (logScale && v <= 0) v = std::numeric_limits<double>::quiet_NaN();
            }
            m_map->data()->setCell(c, r, v);
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
    }
    m_scale->setDataScaleType(logScale ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (logScale) {
        m_scale->axis()->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
        m_scale->axis()->setNumberFormat("eb");
        m_scale->axis()->setNumberPrecision(0);
    } else {
        m_scale->axis()->setTicker(QSharedPointer<QCPAxisTicker>::create());
        m_scale->axis()->setNumberFormat("gb");
        m_scale->axis()->setNumberPrecision(3);
    }
    if (std::isfinite(lo)) m_map->setDataRange(QCPRange(lo, hi > lo ? hi : lo * 1.0001 + 1e-12));
    m_scale->axis()->setLabel(label);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TensorHeatmap::setSelection(const std::vector<uint8_t>& selected, int deepestTensor) {
    const int rows = m_grid.rows(), cols = m_grid.columns();
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const auto& ts = m_grid.tensorsIn(r, c);
            int n = 0;
            for (int t : ts)
                n += selected[t] ? 1 : 0;
            m_cellState[static_cast<size_t>(r) * cols + c] =
                n == 0 ? 0 : (n == static_cast<int>(ts.size()) ? 2 : 1);
        }
    }
    m_overlay->setCells(rows, cols, m_cellState,
                        deepestTensor >= 0 ? m_grid.rowOf(deepestTensor) : -1);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TensorHeatmap::setHighlightedTensors(const std::vector<int>& tensors) {
    std::vector<int> cells;
    for (int t : tensors)
        cells.push_back(m_grid.cellOf(t));
    m_overlay->setHighlighted(cells);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void TensorHeatmap::setPins(const green::Pins& pins) {
    const int rows = m_grid.rows(), cols = m_grid.columns();
    m_cellPins.assign(static_cast<size_t>(rows) * cols, 0);
    for (int r = 0; r < rows && pins.any(); ++r)
        for (int c = 0; c < cols; ++c)
            for (int t : m_grid.tensorsIn(r, c)) {
                const green::Pin p = pins.state[static_cast<size_t>(t)];
                m_cellPins[static_cast<size_t>(r) * cols + c] |= p == green::Pin::In    ? 1
                                                                 : p == green::Pin::Out ? 2
                                                                                        : 0;
            }
    m_overlay->setPins(m_cellPins);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

int TensorHeatmap::cellPins(int row, int column) const {
    const size_t i = static_cast<size_t>(row) * m_grid.columns() + column;
    return i < m_cellPins.size() ? m_cellPins[i] : 0;
}

void TensorHeatmap::setTooltipProvider(std::function<QString(const std::vector<int>&)> provider) {
    m_tooltip = std::move(provider);
}

double TensorHeatmap::cellValue(int row, int column) const {
    return m_map->data()->cell(column, row);
}

int TensorHeatmap::cellSelection(int row, int column) const {
    return m_cellState[static_cast<size_t>(row) * m_grid.columns() + column];
}

void TensorHeatmap::replotNow() {
    m_plot->replot(QCustomPlot::rpImmediateRefresh);
}

bool TensorHeatmap::cellAt(const QPoint& pos, int& row, int& column) const {
    if (m_grid.columns() == 0 || !m_plot->axisRect()->rect().contains(pos)) return false;
    column = static_cast<int>(std::lround(m_plot->xAxis->pixelToCoord(pos.x())));
    row = static_cast<int>(std::lround(m_plot->yAxis->pixelToCoord(pos.y())));
    return row >= 0 && row < m_grid.rows() && column >= 0 && column < m_grid.columns() &&
           !m_grid.tensorsIn(row, column).empty();
}

void TensorHeatmap::onMouseMove(QMouseEvent* event) {
    int row = 0, column = 0;
    if (!m_tooltip || !cellAt(event->pos(), row, column)) {
        QToolTip::hideText();
        return;
    }
    QToolTip::showText(event->globalPosition().toPoint(), m_tooltip(m_grid.tensorsIn(row, column)),
                       m_plot);
}

void TensorHeatmap::onMousePress(QMouseEvent* event) {
    int row = 0, column = 0;
    if (!cellAt(event->pos(), row, column)) return;
    const auto& ts = m_grid.tensorsIn(row, column);
    const QList<int> tensors(ts.begin(), ts.end());
    if (event->button() == Qt::RightButton)
        Q_EMIT cellMenuRequested(tensors, event->globalPosition().toPoint());
    else
        Q_EMIT cellClicked(tensors);
}

} // namespace gt::widgets
