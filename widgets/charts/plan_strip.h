// What each selection round of a run trained: rounds across, tensors (catalogue order, the
// input side at the bottom) up, green where a tensor trained. The Train page draws it live;
// the Runs page draws a stored run's history, and in importance mode how each tensor's
// importance drifted from round to round (log scale, relative to the round's most important
// tensor; dots mark the trained ones). A tooltip names the round, its step, share and the
// tensor's importance.
#pragma once

#include <QWidget>

#include <cstdint>
#include <vector>

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPGraph;
class QMouseEvent;

namespace gt::widgets {

class PlanStrip : public QWidget {
    Q_OBJECT
public:
    struct Round {
        int64_t step = 0;
        double share = -1; ///< planned MACs per step / full fine-tuning (-1: unknown)
        std::vector<uint8_t> selected;
        std::vector<double> importance; ///< the probe's, same order (may be empty)
    };
    enum class Mode { Selection, Importance };

    explicit PlanStrip(QWidget* parent = nullptr);

    void setRounds(std::vector<Round> rounds);
    /// Colours by trained / frozen (default) or by relative importance.
    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    /// The colour map's value at (round, tensor), as drawn (tests).
    double cellValue(int round, int tensor) const;
    void addRound(Round round);
    void clear();
    /// Names for the tensor axis' tooltip (catalogue order); optional.
    void setTensorNames(std::vector<QString> names);
    const std::vector<Round>& rounds() const { return m_rounds; }
    QCustomPlot* plot() const { return m_plot; }
    /// Redraws the colour map if rounds changed, then queues a replot.
    void replot();

private:
    void onMouseMove(QMouseEvent* event);

    QCustomPlot* m_plot;
    QCPColorMap* m_map;
    QCPGraph* m_trainedDots; ///< importance mode: the trained cells
    QCPColorScale* m_scale;  ///< importance mode: what the colours mean
    std::vector<Round> m_rounds;
    std::vector<QString> m_names;
    bool m_dirty = false;
    Mode m_mode = Mode::Selection;
};

} // namespace gt::widgets
