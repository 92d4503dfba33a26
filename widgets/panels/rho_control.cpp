#include "widgets/panels/rho_control.h"

#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>

#include <cmath>

namespace gt::widgets {

RhoControl::RhoControl(QWidget* parent)
    : QWidget(parent)
    , m_slider(new QSlider(Qt::Horizontal, this))
    , m_spin(new QDoubleSpinBox(this)) {
    m_slider->setObjectName("RhoSlider");
    m_slider->setRange(300, kSteps);
    m_slider->setPageStep(50);
    m_slider->setTickPosition(QSlider::TicksBelow);
    m_slider->setTickInterval(100);
    m_slider->setToolTip(tr("rho: the share of a full fine-tuning step's FLOPs a GreenTrainer "
                            "step may cost (drag, or use the arrow keys)"));
    m_spin->setObjectName("RhoSpin");
    m_spin->setRange(0.30, 1.0);
    m_spin->setDecimals(3);
    m_spin->setSingleStep(0.01);
    auto* label = new QLabel(tr("&rho"), this);
    label->setBuddy(m_slider);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(label);
    layout->addWidget(m_slider, 1);
    layout->addWidget(m_spin);
    connect(m_slider, &QSlider::valueChanged, this, [this](int v) {
        const QSignalBlocker block(m_spin);
        m_spin->setValue(v / double(kSteps));
        Q_EMIT valueChanged(value());
    });
    connect(m_spin, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        const QSignalBlocker block(m_slider);
        m_slider->setValue(static_cast<int>(std::lround(v * kSteps)));
        Q_EMIT valueChanged(value());
    });
    setValue(0.5);
}

double RhoControl::value() const {
    return m_spin->value();
}

void RhoControl::setValue(double rho) {
    m_spin->setValue(rho);
}

} // namespace gt::widgets
