// The Tensors page's importance probe: a button, a batch count, a progress bar and a status
// line. The probe (api::runImportanceProbe) runs on its own thread with the job the Train page
// would start (its dataset, batch size, length, learning rate, seed), so the heatmap shows
// the importance a GreenTrainer run of that job would measure first. Stoppable at any pass.
#pragma once

#include "core/api/importance_job.h"

#include <QWidget>

#include <atomic>
#include <functional>

class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QThread;

Q_DECLARE_METATYPE(gt::api::ImportanceOutcome)

namespace gt::widgets {

class ProbeBar : public QWidget {
    Q_OBJECT
public:
    explicit ProbeBar(QWidget* parent = nullptr);
    ~ProbeBar() override; ///< stops a running probe and waits for it

    /// Where the probe's job comes from; it may throw std::exception (shown as the status).
    void setJobSource(std::function<api::TrainJob()> source);
    /// Starts the probe; false (with the reason in the status line) when it cannot.
    bool start();
    void stop();
    bool isRunning() const { return m_busy; }
    bool wait(int msecs);
    void setBatches(int batches);
    QPushButton* button() const { return m_button; }
    QString statusText() const;

Q_SIGNALS:
    void probed(const gt::api::ImportanceOutcome& outcome);
    void failed(const QString& message);
    /// From the worker thread; the bar shows them (queued).
    void passDone(int done, int total);
    void workerEnded(const gt::api::ImportanceOutcome& outcome, const QString& error);

private:
    void onEnded(const api::ImportanceOutcome& outcome, const QString& error);
    void setRunning(bool running);

    std::function<api::TrainJob()> m_source;
    QPushButton* m_button;
    QSpinBox* m_batches;
    QProgressBar* m_progress;
    QLabel* m_status;
    QThread* m_thread = nullptr;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_busy{false};
};

} // namespace gt::widgets
