#include "widgets/charts/parallel_coordinates.h"

#include "widgets/charts/plot_theme.h"

#include <QFileInfo>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QPdfWriter>
#include <QSvgGenerator>

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

namespace gt::widgets {
namespace {

constexpr int kLeft = 40, kRight = 56, kTop = 52, kBottom = 40;
constexpr int kGrab = 12; ///< pixels either side of an axis that start a brush

} // namespace

ParallelCoordinatesChart::ParallelCoordinatesChart(QWidget* parent)
    : QWidget(parent) {
    setObjectName("ParallelCoordinates");
    setToolTip(tr("Drag along an axis to keep only the runs in that range (the table follows); "
                  "click an axis to clear its range"));
}

void ParallelCoordinatesChart::setData(std::vector<store::ParallelAxis> axes,
                                       std::vector<int64_t> runIds, std::vector<QString> runNames) {
    m_axes = std::move(axes);
    m_ids = std::move(runIds);
    m_names = std::move(runNames);
    m_spans.clear();
    for (const auto& a : m_axes) {
        Span s{INFINITY, -INFINITY};
        if (a.categorical) {
            s = {-0.5, static_cast<double>(a.categories.size()) - 0.5};
        } else {
            for (const auto& v : a.values)
                if (v) s.lo = std::min(s.lo, *v), s.hi = std::max(s.hi, *v);
            if (!(s.lo <= s.hi)) s = {0, 1};
            const double pad =
                s.hi > s.lo ? 0.05 * (s.hi - s.lo) : std::max(0.5, 0.05 * std::abs(s.lo));
            s.lo -= pad, s.hi += pad;
        }
        m_spans.push_back(s);
    }
    const bool hadBrush = anyBrush();
    m_brushes.assign(m_axes.size(), std::nullopt);
    if (m_colour >= static_cast<int>(m_axes.size())) m_colour = -1;
    update();
    if (hadBrush) Q_EMIT brushChanged();
}

void ParallelCoordinatesChart::setColourAxis(int axis) {
    m_colour = axis >= 0 && axis < static_cast<int>(m_axes.size()) ? axis : -1;
    update();
}

void ParallelCoordinatesChart::setBrush(int axis, std::optional<Range> range) {
    if (axis < 0 || axis >= static_cast<int>(m_brushes.size())) return;
    if (range && range->first > range->second) std::swap(range->first, range->second);
    m_brushes[axis] = range;
    update();
    Q_EMIT brushChanged();
}

std::optional<ParallelCoordinatesChart::Range> ParallelCoordinatesChart::brush(int axis) const {
    return axis >= 0 && axis < static_cast<int>(m_brushes.size()) ? m_brushes[axis] : std::nullopt;
}

bool ParallelCoordinatesChart::anyBrush() const {
    return std::any_of(m_brushes.begin(), m_brushes.end(), [](auto& b) { return b.has_value(); });
}

bool ParallelCoordinatesChart::passes(size_t run) const {
    for (size_t a = 0; a < m_axes.size(); ++a) {
        if (!m_brushes[a]) continue;
        const auto& v = m_axes[a].values[run];
        if (!v || *v < m_brushes[a]->first || *v > m_brushes[a]->second) return false;
    }
    return true;
}

std::vector<int64_t> ParallelCoordinatesChart::passingRuns() const {
    std::vector<int64_t> out;
    for (size_t r = 0; r < m_ids.size(); ++r)
        if (passes(r)) out.push_back(m_ids[r]);
    return out;
}

QRect ParallelCoordinatesChart::plotArea(const QRect& rect) const {
    return rect.adjusted(kLeft, kTop, -kRight, -kBottom);
}

double ParallelCoordinatesChart::axisX(int axis, const QRect& area) const {
    const int n = static_cast<int>(m_axes.size());
    return n < 2 ? area.center().x() : area.left() + area.width() * double(axis) / (n - 1);
}

double ParallelCoordinatesChart::valueY(int axis, double value, const QRect& area) const {
    const Span& s = m_spans[axis];
    return area.bottom() - (value - s.lo) / (s.hi - s.lo) * area.height();
}

double ParallelCoordinatesChart::yValue(int axis, double y, const QRect& area) const {
    const Span& s = m_spans[axis];
    return s.lo + (area.bottom() - y) / area.height() * (s.hi - s.lo);
}

QPoint ParallelCoordinatesChart::axisPoint(int axis, double value) const {
    const QRect area = plotArea(rect());
    return QPoint(int(std::lround(axisX(axis, area))), int(std::lround(valueY(axis, value, area))));
}

QString ParallelCoordinatesChart::tick(double value) {
    return QString::number(value, 'g', 4);
}

void ParallelCoordinatesChart::paintLines(QPainter& p, const QRect& area) const {
    QCPColorGradient gradient = viridisGradient();
    QCPRange colourRange(0, 1);
    if (m_colour >= 0) {
        const Span& s = m_spans[m_colour];
        colourRange = QCPRange(s.lo, s.hi);
    }
    // faded lines first, so that the runs passing the brushes are drawn on top
    for (const bool drawPassing : {false, true})
        for (size_t r = 0; r < m_ids.size(); ++r) {
            if (passes(r) != drawPassing) continue;
            QColor c = palette().color(QPalette::Text);
            if (m_colour >= 0 && m_axes[m_colour].values[r])
                c = QColor::fromRgb(gradient.color(*m_axes[m_colour].values[r], colourRange));
            if (!drawPassing) c = palette().color(QPalette::Mid), c.setAlpha(90);
            p.setPen(QPen(c, drawPassing ? 1.8 : 1.0));
            QPainterPath path;
            bool open = false; // a missing value breaks the line
            for (size_t a = 0; a < m_axes.size(); ++a) {
                const auto& v = m_axes[a].values[r];
                if (!v) {
                    open = false;
                    continue;
                }
                const QPointF pt(axisX(int(a), area), valueY(int(a), *v, area));
                if (open)
                    path.lineTo(pt);
                else
                    path.moveTo(pt);
                open = true;
                p.drawEllipse(pt, 1.8, 1.8);
            }
            p.drawPath(path);
        }
}

void ParallelCoordinatesChart::paintAxes(QPainter& p, const QRect& area) const {
    const int n = static_cast<int>(m_axes.size());
    const int spacing = n < 2 ? area.width() : int(area.width() / (n - 1));
    for (int a = 0; a < n; ++a) {
        const double x = axisX(a, area);
        if (m_brushes[a]) paintBrush(p, a, area);
        p.setPen(QPen(palette().color(QPalette::Text), 1.2));
        p.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()));
        paintAxisName(p, a, area, spacing);
        paintTicks(p, a, area, spacing);
    }
}

void ParallelCoordinatesChart::paintBrush(QPainter& p, int a, const QRect& area) const {
    const double top = std::max(valueY(a, m_brushes[a]->second, area), double(area.top()));
    const double bottom = std::min(valueY(a, m_brushes[a]->first, area), double(area.bottom()));
    QColor fill = palette().color(QPalette::Highlight);
    fill.setAlpha(70);
    p.fillRect(QRectF(axisX(a, area) - 7, top, 14, bottom - top), fill);
}

/// The axis name above it, outcomes in bold. Names alternate between two rows, so that each
/// has the width of two axis gaps.
void ParallelCoordinatesChart::paintAxisName(QPainter& p, int a, const QRect& area,
                                             int spacing) const {
    const QFont plain = p.font();
    QFont f = plain;
    f.setBold(m_axes[a].outcome);
    p.setFont(f);
    const QFontMetrics fm(f);
    const QString label = fm.elidedText(QString::fromStdString(m_axes[a].label), Qt::ElideRight,
                                        std::max(2 * spacing - 8, 40));
    const int w = fm.horizontalAdvance(label);
    const double left = std::clamp(axisX(a, area) - w / 2.0, double(area.left() - kLeft + 2),
                                   double(area.right() + kRight - 2 - w));
    p.drawText(QPointF(left, area.top() - (a % 2 == 0 ? 24 : 8)), label);
    p.setFont(plain);
}

/// Categories where they sit, or a numeric axis' extremes (its drawn span is padded).
void ParallelCoordinatesChart::paintTicks(QPainter& p, int a, const QRect& area,
                                          int spacing) const {
    const auto& axis = m_axes[a];
    const QFontMetrics fm(p.font());
    const double x = axisX(a, area) + 4, lift = fm.ascent() / 2.0;
    if (axis.categorical) {
        for (size_t c = 0; c < axis.categories.size(); ++c)
            p.drawText(QPointF(x, valueY(a, double(c), area) + lift),
                       fm.elidedText(QString::fromStdString(axis.categories[c]), Qt::ElideRight,
                                     std::max(spacing - 8, 40)));
        return;
    }
    const auto [lo, hi] = valueRange(a);
    if (!(lo <= hi)) return;
    p.drawText(QPointF(x, valueY(a, hi, area) + lift), tick(hi));
    if (hi > lo) p.drawText(QPointF(x, valueY(a, lo, area) + lift), tick(lo));
}

std::pair<double, double> ParallelCoordinatesChart::valueRange(int a) const {
    double lo = INFINITY, hi = -INFINITY;
    for (const auto& v : m_axes[a].values)
        if (v) lo = std::min(lo, *v), hi = std::max(hi, *v);
    return {lo, hi};
}

void ParallelCoordinatesChart::paintLegend(QPainter& p, const QRect& rect) const {
    const QFontMetrics fm(p.font());
    const int passing = static_cast<int>(passingRuns().size());
    QString left = tr("%n run(s)", nullptr, int(m_ids.size()));
    if (anyBrush()) left += tr(", %1 in the brushed ranges").arg(passing);
    p.setPen(palette().color(QPalette::Text));
    p.drawText(QPointF(rect.left() + 8, rect.bottom() - 10), left);
    if (m_colour < 0) return;
    const auto [lo, hi] = valueRange(m_colour);
    if (!(lo <= hi)) return;
    const QString name = tr("colour: %1").arg(QString::fromStdString(m_axes[m_colour].label));
    const QString low = tick(lo), high = tick(hi);
    const int barW = 120, barH = 10, base = rect.bottom() - 10;
    const int x = rect.right() - barW - fm.horizontalAdvance(high) - 12;
    QLinearGradient g(x, 0, x + barW, 0);
    QCPColorGradient v = viridisGradient(); // color() is not const
    const Span& s = m_spans[m_colour];      // the lines' colours span the padded range
    for (int k = 0; k <= 8; ++k) {
        const double at = lo + (hi - lo) * k / 8.0;
        g.setColorAt(k / 8.0, QColor::fromRgb(v.color(at, QCPRange(s.lo, s.hi))));
    }
    p.fillRect(QRect(x, base - barH, barW, barH), g);
    p.drawText(QPointF(x + barW + 4, base), high);
    const int lowX = x - fm.horizontalAdvance(low) - 4;
    p.drawText(QPointF(lowX, base), low);
    p.drawText(QPointF(lowX - fm.horizontalAdvance(name) - 8, base), name);
}

void ParallelCoordinatesChart::paint(QPainter& p, const QRect& rect) const {
    p.fillRect(rect, palette().color(QPalette::Base));
    if (m_axes.empty() || m_ids.empty()) {
        p.setPen(palette().color(QPalette::PlaceholderText));
        p.drawText(rect, Qt::AlignCenter, tr("No runs with settings or outcomes to compare."));
        return;
    }
    p.setRenderHint(QPainter::Antialiasing, true);
    const QRect area = plotArea(rect);
    paintLines(p, area);
    paintAxes(p, area);
    paintLegend(p, rect);
}

void ParallelCoordinatesChart::paintEvent(QPaintEvent*) {
    QPainter p(this);
    paint(p, rect());
}

int ParallelCoordinatesChart::axisAt(const QPoint& pos) const {
    const QRect area = plotArea(rect());
    if (pos.y() < area.top() - kGrab || pos.y() > area.bottom() + kGrab) return -1;
    for (int a = 0; a < static_cast<int>(m_axes.size()); ++a)
        if (std::abs(pos.x() - axisX(a, area)) <= kGrab) return a;
    return -1;
}

void ParallelCoordinatesChart::mousePressEvent(QMouseEvent* event) {
    m_dragAxis = event->button() == Qt::LeftButton ? axisAt(event->position().toPoint()) : -1;
    m_dragFrom = event->position().y();
    if (m_dragAxis < 0) QWidget::mousePressEvent(event);
}

void ParallelCoordinatesChart::mouseMoveEvent(QMouseEvent* event) {
    if (m_dragAxis < 0) return QWidget::mouseMoveEvent(event);
    const QRect area = plotArea(rect());
    const double y = std::clamp(event->position().y(), double(area.top()), double(area.bottom()));
    const double from = std::clamp(m_dragFrom, double(area.top()), double(area.bottom()));
    if (std::abs(y - from) < 3) return;
    setBrush(m_dragAxis, Range{yValue(m_dragAxis, y, area), yValue(m_dragAxis, from, area)});
}

void ParallelCoordinatesChart::mouseReleaseEvent(QMouseEvent* event) {
    if (m_dragAxis < 0) return QWidget::mouseReleaseEvent(event);
    if (std::abs(event->position().y() - m_dragFrom) < 3) setBrush(m_dragAxis, std::nullopt);
    m_dragAxis = -1;
}

bool ParallelCoordinatesChart::exportTo(const QString& file) const {
    const QString ext = QFileInfo(file).suffix().toLower();
    const QSize size(std::max(width(), 900), std::max(height(), 500));
    const QRect r(QPoint(0, 0), size);
    if (ext == "svg") {
        QSvgGenerator svg;
        svg.setFileName(file);
        svg.setSize(size);
        svg.setViewBox(r);
        svg.setTitle(tr("GreenTrainer Workbench: parallel coordinates"));
        QPainter p;
        if (!p.begin(&svg)) return false;
        paint(p, r);
        p.end();
        return QFileInfo::exists(file);
    }
    if (ext == "pdf") {
        QPdfWriter pdf(file);
        pdf.setPageSize(QPageSize(QSizeF(size) * 0.75, QPageSize::Point));
        pdf.setPageMargins({});
        pdf.setResolution(96);
        QPainter p;
        if (!p.begin(&pdf)) return false;
        paint(p, r);
        p.end();
        return QFileInfo::exists(file);
    }
    QImage image(size * 2, QImage::Format_ARGB32);
    image.setDevicePixelRatio(2.0);
    QPainter p(&image);
    paint(p, r);
    p.end();
    return image.save(file, "PNG");
}

} // namespace gt::widgets
