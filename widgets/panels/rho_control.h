// The rho slider with its spin box: the FLOPs objective as a share of a full fine-tuning
// step (0.30 to 1.00). Both stay in sync; valueChanged fires on every move.
#pragma once

#include <QWidget>

class QDoubleSpinBox;
class QSlider;

namespace gt::widgets {

class RhoControl : public QWidget {
    Q_OBJECT
public:
    explicit RhoControl(QWidget* parent = nullptr);
    double value() const;
    void setValue(double rho);
    QSlider* slider() const { return m_slider; }
    QDoubleSpinBox* spinBox() const { return m_spin; }

Q_SIGNALS:
    void valueChanged(double rho);

private:
    static constexpr int kSteps = 1000; // slider resolution: 0.001 in rho
    QSlider* m_slider;
    QDoubleSpinBox* m_spin;
};

} // namespace gt::widgets
