// What a plan costs, in words a user can act on: planned FLOPs per step and their share of
// full fine-tuning, how many tensors train, where backprop stops, and how much room the rho
// leaves (rho_min, spare backward share) so that rho compares across models. Time, memory,
// energy and CO2 are the pre-flight card's (PreflightView), from a measured GEMM rate.
#pragma once

#include "core/green/plan.h"

#include <QWidget>

class QFormLayout;
class QLabel;

namespace gt::widgets {

class PlanSummary : public QWidget {
    Q_OBJECT
public:
    explicit PlanSummary(QWidget* parent = nullptr);

    void showPlan(const green::Plan& plan, int tensorCount, const QString& deepestName,
                  const QString& importanceSource);
    /// An infeasible rho: the message, and the headroom that explains it.
    void showError(const QString& message, const green::BudgetHeadroom& headroom);
    QString shareText() const;

private:
    QLabel* addRow(const QString& label, const QString& tooltip);

    void showHeadroom(const green::BudgetHeadroom& headroom);

    QLabel *m_flops, *m_share, *m_minRho, *m_spare, *m_tensors, *m_deepest, *m_selector,
        *m_importance;
    QLabel* m_error;
    QFormLayout* m_form;
};

} // namespace gt::widgets
