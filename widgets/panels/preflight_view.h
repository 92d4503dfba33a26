// The pre-flight card: what a plan is predicted to cost (time per step and in all, peak
// memory, energy, CO2), each figure's basis in its tooltip. On the Tensors page it follows the
// slider before anything runs; on the Train page it shows the run's prediction beside what
// the run measured over its first steps, so that a wrong estimate is visible at once.
#pragma once

#include "core/api/preflight.h"

#include <QGroupBox>

#include <optional>

class QLabel;

namespace gt::widgets {

class PreflightView : public QGroupBox {
    Q_OBJECT
public:
    explicit PreflightView(QWidget* parent = nullptr);

    void showCard(const api::PreflightCard& card);
    void clear();
    /// A line under the figures: what they assume, or why there are none (empty: hidden).
    void setNote(const QString& text);
    /// The card shown (none after clear()).
    const std::optional<api::PreflightCard>& card() const { return m_card; }
    /// The row's text ("time", "memory", "energy", "co2", "note"), for tests and screenshots.
    QString rowText(const QString& row) const;

private:
    QLabel* addRow(const QString& name, const QString& label);
    QLabel *m_time, *m_memory, *m_energy, *m_co2, *m_note;
    std::optional<api::PreflightCard> m_card;
};

} // namespace gt::widgets
