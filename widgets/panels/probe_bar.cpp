#include "widgets/panels/probe_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>

namespace gt::widgets {

ProbeBar::ProbeBar(QWidget* parent)
    : QWidget(parent)
    , m_button(new QPushButton(tr("Probe importance"), this))
    , m_batches(new QSpinBox(this))
    , m_progress(new QProgressBar(this))
    , m_status(new QLabel(this)) {
    static const bool registered = [] {
        qRegisterMetaType<api::ImportanceOutcome>();
        return true;
    }();
    (void)registered;
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
    connect(m_button, &QPushButton::clicked, this, [this] { m_busy ? stop() : (void)start(); });
    connect(this, &ProbeBar::passDone, this, [this](int done, int total) {
        m_progress->setRange(0, total);
        m_progress->setValue(done);
    });
    connect(this, &ProbeBar::workerEnded, this, &ProbeBar::onEnded);
}

ProbeBar::~ProbeBar() {
    stop();
    wait(-1);
    delete m_thread;
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
    if (m_busy) return false;
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
    if (m_thread) {
        m_thread->wait();
        delete m_thread;
    }
    const int batches = m_batches->value();
    m_stop = false;
    setRunning(true);
    m_status->setText(tr("Probing on %1 batches of %2…").arg(batches).arg(job.batchSize));
    m_thread = QThread::create([this, job, batches] {
        api::ImportanceOutcome out;
        QString error;
        try {
            out = api::runImportanceProbe(
                job, batches, [this](int d, int t) { Q_EMIT passDone(d, t); }, &m_stop);
        } catch (const std::exception& e) {
            error = QString::fromStdString(e.what());
        }
        m_busy = false; // before the signal, so its receivers may start the next probe
        Q_EMIT workerEnded(out, error);
    });
    m_thread->setObjectName("ImportanceProbe");
    m_thread->start(QThread::LowPriority);
    return true;
}

void ProbeBar::stop() {
    m_stop = true;
}

bool ProbeBar::wait(int msecs) {
    if (!m_thread) return true;
    return msecs < 0 ? m_thread->wait() : m_thread->wait(QDeadlineTimer(msecs));
}

void ProbeBar::setRunning(bool running) {
    m_busy = running;
    m_button->setText(running ? tr("Stop probe") : tr("Probe importance"));
    m_batches->setEnabled(!running);
    m_progress->setVisible(running);
    m_progress->setRange(0, 0); // busy until the first pass reports
}

void ProbeBar::onEnded(const api::ImportanceOutcome& outcome, const QString& error) {
    setRunning(false);
    if (!error.isEmpty()) {
        m_status->setText(tr("Probe failed: %1").arg(error));
        Q_EMIT failed(m_status->text());
    } else if (outcome.stopped) {
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
