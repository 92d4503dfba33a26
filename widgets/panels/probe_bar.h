// The Tensors page's importance probe: a button, a batch count, a progress bar and a status
// line. The probe (api::runImportanceProbe) runs the job the Train page would start (its
// dataset, batch size, length, learning rate, seed), so the heatmap shows the importance a
// GreenTrainer run of that job would measure first. Stoppable at any pass. A view: it emits
// probeRequested / stopRequested; app::ProbeController runs the probe off the GUI thread.
#pragma once

#include "core/api/importance_job.h"

#include <QWidget>

#include <functional>

class QLabel;
class QProgressBar;
class QPushButton;
class QSpinBox;

Q_DECLARE_METATYPE(gt::api::ImportanceOutcome)

namespace gt::widgets {

class ProbeBar : public QWidget {
    Q_OBJECT
public:
    explicit ProbeBar(QWidget* parent = nullptr);

    /// Where the probe's job comes from; it may throw std::exception (shown as the status).
    void setJobSource(std::function<api::TrainJob()> source);
    /// Requests a probe; false (with the reason in the status line) when it cannot.
    bool start();
    void stop();
    /// From a request until its end is shown.
    bool isRunning() const { return m_running; }
    void setBatches(int batches);

    // What the probe reports (connected by the controller; GUI thread).
    void showPass(int done, int total);
    void showProbed(const api::ImportanceOutcome& outcome);
    void showFailed(const QString& error);
    QPushButton* button() const { return m_button; }
    QString statusText() const;

Q_SIGNALS:
    void probeRequested(const gt::api::TrainJob& job, int batches);
    void stopRequested();
    void probed(const gt::api::ImportanceOutcome& outcome);
    void failed(const QString& message);

private:
    void setRunning(bool running);

    std::function<api::TrainJob()> m_source;
    QPushButton* m_button;
    QSpinBox* m_batches;
    QProgressBar* m_progress;
    QLabel* m_status;
    bool m_running = false;
};

} // namespace gt::widgets
