// "Why this tensor": for the one tensor selected on the Tensors page, why the plan trains it
// or not — importance and its rank, dW and the dY it takes to reach it, what it adds to the
// plan and its importance per GFLOP, the nearest rho that flips it and what pinning it the
// other way would displace (core/green/tensor_explanation.h, computed once the slider rests).
#pragma once

#include "core/green/tensor_explanation.h"

#include <QGroupBox>

class QLabel;

namespace gt::widgets {

class WhyTensorView : public QGroupBox {
    Q_OBJECT
public:
    explicit WhyTensorView(QWidget* parent = nullptr);

    void showExplanation(const green::TensorExplanation& e, const model::TensorCatalogue& catalogue,
                         const green::Plan& plan);
    /// No explanation: `note` says what to do for one.
    void showNote(const QString& note);
    /// The text on show, lines joined by newlines (tests, screenshots).
    QString text() const;
    /// The tensor explained, or -1.
    int tensor() const { return m_tensor; }

private:
    QLabel* m_text;
    int m_tensor = -1;
};

} // namespace gt::widgets
