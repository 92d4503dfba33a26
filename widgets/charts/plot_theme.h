// Plots follow the window's palette: QCustomPlot paints white with black axes whatever the
// system theme, which leaves bright blocks in a dark desktop. followPalette() colours a plot's
// background, axes, grid, labels and legend from its palette now and whenever the palette
// changes (a system light/dark switch reaches widgets as a PaletteChange event).
#pragma once

class QCustomPlot;
class QCPColorGradient;

namespace gt::widgets {

void followPalette(QCustomPlot* plot);
/// Applies the plot's current palette once (followPalette calls it on every change).
void applyPalette(QCustomPlot* plot);
/// Viridis: perceptually uniform, readable in light and dark themes and by colour-blind users.
QCPColorGradient viridisGradient();

} // namespace gt::widgets
