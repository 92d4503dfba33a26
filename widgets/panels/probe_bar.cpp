#include "widgets/panels/probe_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>

namespace gt::widgets {

ProbeBar::ProbeBar(QWidget* parent)
    : QWidget(parent)
    , m_button(new QPushButton(tr("Probe importance"), this))
    , m_batches(new QSpinBox(this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this)) {
    setObjectName("ProbeBar");
    m_button->setObjectName("ProbeButton");
    m_button->setToolTip(tr("Measure each tensor's importance as a GreenTrainer run does at its "
                            "start: one real AdamW step on a few batches of the Train page's "
                            "dataset (its batch size, length and learning rate); the weights are "
                            "restored. Ctrl+I"));
    m_button->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_I));
    m_batches->setObjectName("ProbeBatches");
    m_batches->setRange(1, 256);
    m_batches->setValue(2);
    m_batches->setSuffix(tr(" batches"));
    m_batches->setToolTip(tr("Training batches the probe averages over (2 passes each)"));
    m_progress->setObjectName("ProbeProgress");
    m_progress->setMaximumWidth(180);
    m_progress->setFormat(tr("pass %v/%m"));
    m_progress->hide();
    m_status->setObjectName("ProbeStatus");
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_button);
    row->addWidget(m_batches);
    row->addWidget(m_progress);
    row->addWidget(m_status, 1);
    connect(m_button, &QPushButton::clicked, this, [this] { m_running ? stop() : (void)start(); });
}

void ProbeBar::setJobSource(std::function<api::TrainJob()> source) {
    m_source = std::move(source);
}

void ProbeBar::setBatches(int batches) {
    m_batches->setValue(batches);
}

QString ProbeBar::statusText() const {
    return m_status->text();
}

bool ProbeBar::start() {
    if (m_running) return false;
    api::TrainJob job;
    try {
        if (!m_source) throw std::runtime_error("no training job to probe with");
        job = m_source();
        if (job.modelDir.empty())
            throw std::runtime_error("the probe needs the model's weights; a config.json alone "
                                     "has none (open a model directory)");
    } catch (const std::exception& e) {
        m_status->setText(tr("Cannot probe: %1").arg(QString::fromStdString(e.what())));
        Q_EMIT failed(m_status->text());
        return false;
    }
    const int batches = m_batches->value();
    setRunning(true);
    m_status->setText(tr("Probing on %1 batches of %2…").arg(batches).arg(job.batchSize));
    Q_EMIT probeRequested(job, batches);
    return true;
}

void ProbeBar::stop() {
    if (m_running) Q_EMIT stopRequested();
}

void ProbeBar::showPass(int done, int total) {
    m_progress->setRange(0, total);
    m_progress->setValue(done);
}

void ProbeBar::setRunning(bool running) {
    m_running = running;
    m_button->setText(running ? tr("Stop probe") : tr("Probe importance"));
    m_batches->setEnabled(!running);
    m_progress->setVisible(running);
    m_progress->setRange(0, 0); // busy until the first pass reports
}

void ProbeBar::showFailed(const QString& error) {
    setRunning(false);
    m_status->setText(tr("Probe failed: %1").arg(error));
    Q_EMIT failed(m_status->text());
}

void ProbeBar::showProbed(const api::ImportanceOutcome& outcome) {
    setRunning(false);
    if (outcome.stopped) {
        m_status->setText(tr("Probe stopped; the importance shown is unchanged."));
    } else {
        m_status->setText(tr("Importance probed on %1 batches (%2 target tokens) in %3 s.")
                              .arg(outcome.batches)
                              .arg(outcome.tokens)
                              .arg(outcome.seconds, 0, 'f', 1));
        Q_EMIT probed(outcome);
    }
}

} // namespace gt::widgets
