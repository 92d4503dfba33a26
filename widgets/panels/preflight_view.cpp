#include "widgets/panels/preflight_view.h"

#include <QFormLayout>
#include <QLabel>

namespace gt::widgets {
namespace {

QString seconds(double s) {
    if (s >= 3600) return QObject::tr("%1 h %2 min").arg(int(s / 3600)).arg(int(s / 60) % 60);
    if (s >= 60) return QObject::tr("%1 min %2 s").arg(int(s / 60)).arg(int(s) % 60);
    return QObject::tr("%1 s").arg(s, 0, 'f', s < 10 ? 2 : 1);
}

QString mib(double bytes) {
    return QObject::tr("%1 MiB").arg(bytes / (1024.0 * 1024.0), 0, 'f', 0);
}

/// "predicted · measured" with the measured part in bold, or only the prediction.
QString pair(const QString& predicted, const QString& measured) {
    if (measured.isEmpty()) return predicted;
    return QObject::tr("%1 · <b>measured %2</b>").arg(predicted, measured);
}

} // namespace

PreflightView::PreflightView(QWidget* parent)
    : QGroupBox(tr("Pre-flight"), parent) {
    setObjectName("PreflightView");
    auto* form = new QFormLayout(this);
    form->setContentsMargins(8, 4, 8, 4);
    form->setVerticalSpacing(2);
    m_time = addRow("time", tr("Time"));
    m_memory = addRow("memory", tr("Peak memory"));
    m_energy = addRow("energy", tr("Energy"));
    m_co2 = addRow("co2", tr("CO2"));
    m_note = new QLabel(this);
    m_note->setObjectName("Preflight_note");
    m_note->setWordWrap(true);
    m_note->setEnabled(false); // the palette's muted text: an aside, not a figure
    form->addRow(m_note);
    setNote({});
    clear();
}

void PreflightView::setNote(const QString& text) {
    m_note->setText(text);
    m_note->setVisible(!text.isEmpty());
}

QLabel* PreflightView::addRow(const QString& name, const QString& label) {
    auto* value = new QLabel(this);
    value->setObjectName("Preflight_" + name);
    value->setTextFormat(Qt::RichText);
    value->setWordWrap(true);
    static_cast<QFormLayout*>(layout())->addRow(label, value);
    return value;
}

void PreflightView::clear() {
    m_card.reset();
    for (QLabel* l : {m_time, m_memory, m_energy, m_co2}) {
        l->setText(QStringLiteral("–"));
        l->setToolTip({});
    }
}

void PreflightView::showCard(const api::PreflightCard& c) {
    m_card = c;
    const auto* m = c.measured ? &*c.measured : nullptr;
    m_time->setText(pair(
        tr("%1 per step, %2 in all").arg(seconds(c.secondsPerStep), seconds(c.totalSeconds)),
        m ? tr("%1 per step, %2 in all").arg(seconds(m->secondsPerStep), seconds(m->totalSeconds))
          : QString()));
    m_time->setToolTip(QString::fromStdString(c.timeBasis));
    m_memory->setText(
        pair(mib(static_cast<double>(c.peakBytes)),
             m ? tr("%1 so far").arg(mib(static_cast<double>(m->peakBytes))) : QString()));
    m_memory->setToolTip(QString::fromStdString(c.memoryBasis));
    const QString method = QString::fromStdString(c.energyMethod);
    m_energy->setText(pair(
        c.joules ? tr("%1 kJ <i>%2</i>").arg(*c.joules / 1000, 0, 'f', 2).arg(method) : tr("none"),
        m && m->joules ? tr("%1 kJ <i>%2</i>")
                             .arg(*m->joules / 1000, 0, 'f', 2)
                             .arg(QString::fromStdString(m->energyMethod))
                       : QString()));
    m_energy->setToolTip(QString::fromStdString(c.energyBasis));
    m_co2->setText(
        c.co2Grams
            ? pair(
                  tr("%1 g at %2 g/kWh").arg(*c.co2Grams, 0, 'g', 3).arg(*c.gridGPerKwh, 0, 'f', 0),
                  m && m->co2Grams ? tr("%1 g").arg(*m->co2Grams, 0, 'g', 3) : QString())
            : tr("no grid intensity"));
    m_co2->setToolTip(QString::fromStdString(c.gridSource));
}

QString PreflightView::rowText(const QString& row) const {
    const auto* l = findChild<QLabel*>("Preflight_" + row);
    return l ? l->text() : QString();
}

} // namespace gt::widgets
