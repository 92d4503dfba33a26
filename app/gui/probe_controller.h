// Runs the Tensors page's importance probe (api::runImportanceProbe) on a BackgroundJob: the
// probe bar emits requests, this runs them and sends back passes, the outcome or the error.
#pragma once

#include <QObject>

namespace gt::widgets {
class ProbeBar;
}

namespace gt::app {

class BackgroundJob;

class ProbeController : public QObject {
    Q_OBJECT
public:
    explicit ProbeController(QObject* parent = nullptr);
    ~ProbeController() override; ///< stops a running probe and waits for it

    /// Connects the bar's requests to this controller and the probe's reports to the bar.
    void attach(widgets::ProbeBar* bar);
    /// The probe's thread-side job: its progress(done, total) signal reports every pass.
    BackgroundJob* job() const { return m_job; }

private:
    BackgroundJob* m_job;
};

} // namespace gt::app
