// The Tensors page heatmap: blocks as rows, tensor roles as columns, one colour per cell for a
// per-tensor quantity (a cost or the importance), a colour scale with its unit, the current
// plan drawn over it, and a tooltip per cell. Owns its QCustomPlot; callers use this API only.
#pragma once

#include "core/green/pins.h"
#include "widgets/charts/tensor_grid.h"

#include <QList>
#include <QWidget>

#include <functional>
#include <vector>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QMouseEvent;

namespace gt::widgets {

class SelectionOverlay;

class TensorHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit TensorHeatmap(QWidget* parent = nullptr);

    void setGrid(const TensorGrid& grid);
    const TensorGrid& grid() const { return m_grid; }
    /// One value per tensor (catalogue order), summed per cell. `logScale` suits costs, which
    /// span six orders of magnitude between a bias and an FFN matrix.
    void setValues(const std::vector<double>& perTensor, const QString& label, bool logScale);
    /// The plan: trained tensors and the deepest tensor backprop reaches (-1: none).
    void setSelection(const std::vector<uint8_t>& selected, int deepestTensor);
    void setHighlightedTensors(const std::vector<int>& tensors);
    /// The user's pins (catalogue order; empty: none), marked on their cells.
    void setPins(const green::Pins& pins);
    /// Pins drawn in a cell: 0 none, 1 pinned in, 2 pinned out, 3 both.
    int cellPins(int row, int column) const;
    /// Tooltip text for the tensors of the hovered cell.
    void setTooltipProvider(std::function<QString(const std::vector<int>&)> provider);

    QCustomPlot* plot() const { return m_plot; }
    /// What the colours show, with its unit (the colour scale's label).
    QString valueLabel() const;
    /// Value shown in a cell (NaN for an empty cell).
    double cellValue(int row, int column) const;
    /// Selection state drawn in a cell: 0 none, 1 some, 2 all.
    int cellSelection(int row, int column) const;
    /// Repaints immediately (benchmarks, screenshots); normal updates are queued.
    void replotNow();

Q_SIGNALS:
    void cellClicked(QList<int> tensors);
    /// A right click on a cell, at `globalPos`, for a context menu.
    void cellMenuRequested(QList<int> tensors, QPoint globalPos);

private:
    void onMouseMove(QMouseEvent* event);
    void onMousePress(QMouseEvent* event);
    bool cellAt(const QPoint& pos, int& row, int& column) const;

    QCustomPlot* m_plot;
    QCPColorMap* m_map;
    QCPColorScale* m_scale;
    SelectionOverlay* m_overlay;
    TensorGrid m_grid;
    std::vector<uint8_t> m_cellState;
    std::vector<uint8_t> m_cellPins;
    std::function<QString(const std::vector<int>&)> m_tooltip;
};

} // namespace gt::widgets
