#include "widgets/charts/plot_export.h"

#include <QFileInfo>
#include <QSvgGenerator>

#include <qcustomplot.h>

#include <algorithm>

namespace gt::widgets {

bool exportPlot(QCustomPlot* plot, const QString& file, const QString& title) {
    const QString ext = QFileInfo(file).suffix().toLower();
    const int w = std::max(plot->width(), 800), h = std::max(plot->height(), 500);
    if (ext == "pdf") return plot->savePdf(file, w, h);
    if (ext == "svg") {
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setSize(QSize(w, h));
        svg.setViewBox(QRect(0, 0, w, h));
        svg.setTitle(title);
        QCPPainter painter;
        if (!painter.begin(&svg)) return false;
        plot->toPainter(&painter, w, h);
        painter.end();
        return QFileInfo::exists(file);
    }
    return plot->savePng(file, w, h, 2.0);
}

} // namespace gt::widgets
