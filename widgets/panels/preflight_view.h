// The pre-flight card on the Train page: what the run's plan was predicted to cost (time per
// step and in all, peak memory, energy, CO2) beside what the run measured over its first
// steps, each figure's basis in its tooltip, so that a wrong estimate is visible at once.
#pragma once

#include "core/api/preflight.h"

#include <QGroupBox>

class QLabel;

namespace gt::widgets {

class PreflightView : public QGroupBox {
    Q_OBJECT
public:
    explicit PreflightView(QWidget* parent = nullptr);

    void showCard(const api::PreflightCard& card);
    void clear();
    /// The row's text ("time", "memory", "energy", "co2"), for tests and screenshots.
    QString rowText(const QString& row) const;

private:
    QLabel* addRow(const QString& name, const QString& label);
    QLabel *m_time, *m_memory, *m_energy, *m_co2;
};

} // namespace gt::widgets
