// Draws a plan over the heatmap: an outline around every cell whose tensors are all trained,
// a dashed outline where only some are, a line under the deepest row that backprop reaches,
// and the user's pins (a corner flag for pinned in, a cross for pinned out). Paints in one pass
// from plain vectors, so it keeps up with a dragged slider.
#pragma once

#include <qcustomplot.h>

#include <vector>

namespace gt::widgets {

class SelectionOverlay : public QCPLayerable {
    Q_OBJECT
public:
    SelectionOverlay(QCustomPlot* plot, QCPAxis* keyAxis, QCPAxis* valueAxis);

    /// Per cell (row * columns + column): 0 none, 1 some, 2 all of its tensors trained.
    void setCells(int rows, int columns, std::vector<uint8_t> state, int deepestRow);
    /// Cells drawn with a highlight (e.g. rows picked in the table).
    void setHighlighted(std::vector<int> cells);
    /// Per cell: 0 no pin, 1 a tensor pinned in (a corner flag), 2 pinned out (a cross),
    /// 3 both kinds.
    void setPins(std::vector<uint8_t> cells);

protected:
    void applyDefaultAntialiasingHint(QCPPainter* painter) const override;
    void draw(QCPPainter* painter) override;

private:
    QRectF cellRect(int row, int column) const;
    void drawPins(QCPPainter* painter) const;

    QCPAxis* m_key;
    QCPAxis* m_value;
    int m_rows = 0, m_columns = 0, m_deepestRow = -1;
    std::vector<uint8_t> m_state;
    std::vector<int> m_highlighted;
    std::vector<uint8_t> m_pins;
};

} // namespace gt::widgets
