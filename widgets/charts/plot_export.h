// A plot to a file the user named: PNG (at twice the pixel density), PDF or SVG, at least
// 800 x 500 so a small on-screen plot still makes a readable figure.
#pragma once

#include <QString>

class QCustomPlot;

namespace gt::widgets {

/// The format follows the suffix (png, pdf, svg; anything else writes PNG). False on failure.
bool exportPlot(QCustomPlot* plot, const QString& file, const QString& title);

} // namespace gt::widgets
