// Measures this machine's 1024^3 GEMM rate (api::measureMatmulGflops) for the Tensors page's
// pre-flight card on a BackgroundJob: one thread count at a time, and never while a training
// run is going (a contended measurement would understate the rate, and the run's own card
// measures anyway); a request made then waits for the run's end.
#pragma once

#include <QObject>

#include <deque>

namespace gt::widgets {
class TensorsPage;
}

namespace gt::app {

class BackgroundJob;
class TrainingController;

class GemmRateController : public QObject {
    Q_OBJECT
public:
    /// `training` (may be null) is the run to stay out of the way of.
    explicit GemmRateController(TrainingController* training, QObject* parent = nullptr);
    ~GemmRateController() override; ///< waits for a measurement under way (about a second)

    /// Answers the page's gemmRateRequested with setGemmRate.
    void attach(widgets::TensorsPage* page);
    BackgroundJob* job() const { return m_job; }

private:
    void startNext();

    TrainingController* m_training;
    widgets::TensorsPage* m_page = nullptr;
    BackgroundJob* m_job;
    std::deque<int> m_pending; ///< thread counts asked for and not yet measured
    int m_measuring = 0;       ///< the one under way
};

} // namespace gt::app
