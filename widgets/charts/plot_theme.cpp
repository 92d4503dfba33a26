#include "widgets/charts/plot_theme.h"

#include <qcustomplot.h>

#include <QEvent>

namespace gt::widgets {
namespace {

/// Re-applies the palette to the plot it watches.
class PaletteWatcher : public QObject {
public:
    explicit PaletteWatcher(QCustomPlot* plot)
        : QObject(plot) {}

protected:
    bool eventFilter(QObject* watched, QEvent* event) override {
        if (event->type() == QEvent::PaletteChange) {
            auto* plot = static_cast<QCustomPlot*>(watched);
            applyPalette(plot);
            plot->replot(QCustomPlot::rpQueuedReplot);
        }
        return false;
    }
};

void styleAxis(QCPAxis* axis, const QColor& text, const QColor& grid, const QColor& subGrid) {
    const QPen line(text, 1);
    axis->setBasePen(line);
    axis->setTickPen(line);
    axis->setSubTickPen(line);
    axis->setLabelColor(text);
    axis->setTickLabelColor(text);
    axis->grid()->setPen(QPen(grid, 0, Qt::DotLine));
    axis->grid()->setSubGridPen(QPen(subGrid, 0, Qt::DotLine));
    axis->grid()->setZeroLinePen(QPen(grid, 0, Qt::SolidLine));
}

} // namespace

void applyPalette(QCustomPlot* plot) {
    const QPalette& pal = plot->palette();
    const QColor base = pal.color(QPalette::Base), text = pal.color(QPalette::Text);
    const bool dark = base.lightness() < 128;
    // grid lines a little away from the background, in the background's direction
    const QColor grid = dark ? base.lighter(190) : base.darker(125);
    const QColor subGrid = dark ? base.lighter(140) : base.darker(108);
    plot->setBackground(base);
    for (int i = 0; i < plot->axisRectCount(); ++i) {
        QCPAxisRect* rect = plot->axisRect(i);
        rect->setBackground(base);
        for (QCPAxis* axis : rect->axes())
            styleAxis(axis, text, grid, subGrid);
    }
    plot->legend->setBrush(QBrush(base));
    plot->legend->setBorderPen(QPen(grid));
    plot->legend->setTextColor(text);
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
        if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i)))
            title->setTextColor(text);
        else if (auto* scale = qobject_cast<QCPColorScale*>(plot->plotLayout()->elementAt(i)))
            styleAxis(scale->axis(), text, grid, subGrid);
}

void followPalette(QCustomPlot* plot) {
    applyPalette(plot);
    plot->installEventFilter(new PaletteWatcher(plot));
}

QCPColorGradient viridisGradient() {
    QCPColorGradient g;
    g.clearColorStops();
    g.setColorStopAt(0.0, QColor(0x44, 0x01, 0x54));
    g.setColorStopAt(0.25, QColor(0x3b, 0x52, 0x8b));
    g.setColorStopAt(0.5, QColor(0x21, 0x91, 0x8c));
    g.setColorStopAt(0.75, QColor(0x5e, 0xc9, 0x62));
    g.setColorStopAt(1.0, QColor(0xfd, 0xe7, 0x25));
    g.setNanHandling(QCPColorGradient::nhTransparent);
    g.setLevelCount(256);
    return g;
}

} // namespace gt::widgets
