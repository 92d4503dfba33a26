// Parallel coordinates of stored runs (the Runs page): one vertical axis per varied setting and
// per outcome (core/store/parallel_axes.h), one line per run through its values, coloured by an
// outcome (viridis). Dragging along an axis brushes a range; the lines outside every brushed
// range fade and brushChanged() tells the page which runs pass, so the table can show only
// them. A click on an axis without a drag clears its brush. Painted with QPainter, so that the
// same drawing goes to the screen and to PNG, PDF or SVG.
#pragma once

#include "core/store/parallel_axes.h"

#include <QString>
#include <QWidget>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace gt::widgets {

class ParallelCoordinatesChart : public QWidget {
    Q_OBJECT
public:
    using Range = std::pair<double, double>; ///< low, high in the axis' units

    explicit ParallelCoordinatesChart(QWidget* parent = nullptr);

    /// Axes with one value per run of `runIds`; clears the brushes.
    void setData(std::vector<store::ParallelAxis> axes, std::vector<int64_t> runIds,
                 std::vector<QString> runNames);
    const std::vector<store::ParallelAxis>& axes() const { return m_axes; }
    const std::vector<int64_t>& runIds() const { return m_ids; }
    /// The axis whose values colour the lines (-1: one colour).
    void setColourAxis(int axis);
    int colourAxis() const { return m_colour; }

    void setBrush(int axis, std::optional<Range> range);
    std::optional<Range> brush(int axis) const;
    bool anyBrush() const;
    /// The runs inside every brushed range (all of them without a brush), in setData order.
    std::vector<int64_t> passingRuns() const;

    /// Where `value` sits on `axis`, in widget pixels (tests drive real mouse drags with it).
    QPoint axisPoint(int axis, double value) const;
    /// Draws the chart into `rect` of `painter` (the screen or an exported file).
    void paint(QPainter& painter, const QRect& rect) const;
    /// PNG, PDF or SVG by suffix, at least 900 x 500. False on failure.
    bool exportTo(const QString& file) const;

    QSize sizeHint() const override { return {720, 300}; }
    QSize minimumSizeHint() const override { return {240, 180}; }

Q_SIGNALS:
    void brushChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;

private:
    struct Span {
        double lo = 0, hi = 1;
    };
    QRect plotArea(const QRect& rect) const;
    double axisX(int axis, const QRect& area) const;
    double valueY(int axis, double value, const QRect& area) const;
    double yValue(int axis, double y, const QRect& area) const;
    int axisAt(const QPoint& pos) const;
    bool passes(size_t run) const;
    void paintLines(QPainter& p, const QRect& area) const;
    void paintAxes(QPainter& p, const QRect& area) const;
    void paintBrush(QPainter& p, int axis, const QRect& area) const;
    void paintAxisName(QPainter& p, int axis, const QRect& area, int spacing) const;
    void paintTicks(QPainter& p, int axis, const QRect& area, int spacing) const;
    /// The smallest and largest value on the axis (lo > hi when it has none).
    std::pair<double, double> valueRange(int axis) const;
    void paintLegend(QPainter& p, const QRect& rect) const;
    static QString tick(double value);

    std::vector<store::ParallelAxis> m_axes;
    std::vector<Span> m_spans; ///< per axis: the values' range, padded
    std::vector<int64_t> m_ids;
    std::vector<QString> m_names;
    std::vector<std::optional<Range>> m_brushes;
    int m_colour = -1;
    int m_dragAxis = -1;
    double m_dragFrom = 0; ///< y in pixels where the drag began
};

} // namespace gt::widgets
