#include "widgets/panels/plan_summary.h"

#include <QFormLayout>
#include <QLabel>

namespace gt::widgets {

PlanSummary::PlanSummary(QWidget* parent)
    : QWidget(parent)
    , m_form(new QFormLayout) {
    setObjectName("PlanSummary");
    m_flops = addRow(tr("Planned step"), tr("Forward pass + selected weight gradients + "
                                            "activation gradients down to the deepest tensor"));
    m_share =
        addRow(tr("Share of full FT"), tr("Planned FLOPs divided by a full fine-tuning step"));
    m_minRho = addRow(tr("Smallest rho"),
                      tr("rho_min: below it not even the cheapest useful tensor fits (the "
                         "forward pass and the LM head's input gradient are paid first)"));
    m_spare = addRow(tr("Spare backward budget"),
                     tr("Share of the backward pass left to choose from after the forward pass "
                        "and the unavoidable head gradient. Compare rho across models by this: "
                        "on OPT-2.7B, rho 0.5 leaves about 23%"));
    m_minRho->setObjectName("MinRhoValue");
    m_spare->setObjectName("SpareBudgetValue");
    m_tensors = addRow(tr("Tensors trained"), {});
    m_deepest = addRow(tr("Backprop stops at"), tr("The deepest trained tensor; nothing below "
                                                   "it pays any backward cost"));
    m_deepest->setWordWrap(true);
    // A form row does not grow for a label that wraps after the layout is made: room for the
    // two lines a long tensor name takes in this column.
    m_deepest->setMinimumHeight(2 * m_deepest->fontMetrics().lineSpacing());
    m_selector = addRow(tr("Selection"), {});
    m_importance = addRow(tr("Importance"), {});
    m_importance->setWordWrap(true);
    m_error = new QLabel(this);
    m_error->setObjectName("PlanError");
    m_error->setWordWrap(true);
    m_error->setStyleSheet("color: #d62728; font-weight: bold;");
    m_error->hide();
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_form);
    layout->addWidget(m_error);
}

QLabel* PlanSummary::addRow(const QString& label, const QString& tooltip) {
    auto* value = new QLabel(QStringLiteral("–"), this);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* name = new QLabel(label, this);
    name->setToolTip(tooltip);
    value->setToolTip(tooltip);
    m_form->addRow(name, value);
    return value;
}

QString PlanSummary::shareText() const {
    return m_share->text();
}

void PlanSummary::showPlan(const green::Plan& plan, int tensorCount, const QString& deepestName,
                           const QString& importanceSource) {
    m_error->hide();
    const double flops = 2.0 * plan.plannedMacs, full = 2.0 * plan.fullMacs;
    m_flops->setText(tr("%1 GFLOP of %2").arg(flops / 1e9, 0, 'f', 1).arg(full / 1e9, 0, 'f', 1));
    m_share->setText(
        tr("%1 (saves %2%)").arg(plan.share(), 0, 'f', 3).arg(100 * (1 - plan.share()), 0, 'f', 1));
    QString pins;
    if (plan.pinnedIn > 0 || plan.pinnedOut > 0)
        pins = tr(" (%1 pinned in, %2 out)").arg(plan.pinnedIn).arg(plan.pinnedOut);
    m_tensors->setText(tr("%1 of %2%3").arg(plan.selectedCount()).arg(tensorCount).arg(pins));
    m_deepest->setText(deepestName.isEmpty() ? tr("nothing trained") : deepestName);
    m_selector->setText(tr("%1, %2 ms")
                            .arg(QString::fromStdString(plan.selector))
                            .arg(plan.selectorMillis, 0, 'f', 2));
    m_importance->setText(importanceSource);
    showHeadroom(plan.headroom);
}

void PlanSummary::showHeadroom(const green::BudgetHeadroom& headroom) {
    m_minRho->setText(QString::number(headroom.minRho, 'f', 3));
    m_spare->setText(
        tr("%1% of the backward pass").arg(100 * headroom.spareBackwardShare, 0, 'f', 1));
}

void PlanSummary::showError(const QString& message, const green::BudgetHeadroom& headroom) {
    m_error->setText(message);
    m_error->show();
    for (QLabel* l : {m_flops, m_share, m_tensors, m_deepest, m_selector})
        l->setText(QStringLiteral("–"));
    showHeadroom(headroom);
}

} // namespace gt::widgets
