// The "Train" page: choose data, method and hyperparameters, start/stop/resume a run, and
// watch it live (charts, progress bar with ETA, log). A view: it emits requests and shows what
// the run reports; app::TrainingController runs the job off the GUI thread. Every run lands
// in the store the Runs page reads.
#pragma once

#include "core/api/training_job.h"
#include "widgets/panels/workbench_page.h"

#include <QElapsedTimer>

#include <map>

class QComboBox;
class QDoubleSpinBox;
class QStackedWidget;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QScrollArea;
class QSpinBox;

namespace gt::widgets {

class PreflightView;
class TrainingCharts;

class TrainPage : public WorkbenchPage {
    Q_OBJECT
public:
    explicit TrainPage(QWidget* parent = nullptr);
    ~TrainPage() override;

    /// The model to fine-tune (a directory with weights and tokenizer).
    void setModelDir(const QString& dir);
    /// Where runs are stored.
    void setStorePath(const QString& file);
    /// Dataset: "debian" (built-in), "scitldr"/"dialogsum" with a directory, or "file".
    void setDataset(const QString& kind, const QString& path = {});

    /// Tensors pinned on the Tensors page, as name patterns: a GreenTrainer run trains the
    /// `include`d ones at every round and never the `exclude`d ones.
    void setPins(std::vector<std::string> include, std::vector<std::string> exclude);

    /// The job the form describes (throws std::invalid_argument on inconsistent input).
    api::TrainJob job() const;
    /// Shows a stored run to be resumed: its job in the form, cleared charts (the caller
    /// replays the stored points into charts()) and `checkpoint` as what Resume continues.
    void restoreRun(const api::TrainJob& job, qint64 runId, const QString& checkpoint);
    /// Requests a run of job(); false while one is going or when the form is inconsistent.
    bool startTraining();
    void stopTraining();
    /// Requests a resume from the last checkpoint (a stopped or restored run); false when
    /// there is none or a run is going.
    bool resumeTraining();
    /// Holds the running run after its current step, or lets it continue.
    void setPaused(bool paused);
    /// From a start or resume request until the run's end is shown.
    bool isTraining() const { return m_running; }
    bool isPaused() const { return m_paused; }

    // What the run reports (connected by the controller; GUI thread).
    void showProgress(const api::TrainProgress& p);
    void showPlanRound(const api::PlanRound& r);
    void showEvaluation(const api::EvalPoint& e);
    void showFinished(const api::TrainOutcome& o);
    void showFailed(const QString& message);

    TrainingCharts* charts() const { return m_charts; }
    PreflightView* preflightView() const { return m_preflight; }
    QComboBox* methodBox() const { return m_method; }
    QSpinBox* stepsBox() const { return m_steps; }
    QSpinBox* limitBox() const { return m_limit; }
    QSpinBox* evalExamplesBox() const { return m_evalExamples; }
    QSpinBox* batchBox() const { return m_batch; }
    QSpinBox* seqLenBox() const { return m_seqLen; }
    /// "400" (g/kWh), a country ("FRA") or a trace CSV; empty: no carbon figure.
    QLineEdit* gridEdit() const { return m_grid; }
    QComboBox* scheduleBox() const { return m_schedule; }
    QDoubleSpinBox* traceSpeedBox() const { return m_traceSpeed; }
    QSpinBox* intervalStepsBox() const { return m_intervalSteps; }
    QDoubleSpinBox* checkpointMinutesBox() const { return m_checkpointMinutes; }
    QPlainTextEdit* log() const { return m_log; }
    QProgressBar* progressBar() const { return m_progress; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

Q_SIGNALS:
    void startRequested(const gt::api::TrainJob& job);
    void resumeRequested(const QString& checkpointDir, const QString& dbPath);
    void stopRequested();
    void pauseRequested(bool paused);
    /// A run ended (finished, stopped or failed) and is in the store.
    void runEnded(qint64 runId);

private:
    QWidget* buildForm();
    QWidget* buildRunControls();
    QWidget* buildFootprintGroup(QWidget* parent);
    void readFootprint(api::TrainJob& job) const;
    void updateEnabled();
    void showPins();
    void appendLog(const QString& line);
    void showJob(const api::TrainJob& job);

    TrainingCharts* m_charts;
    PreflightView* m_preflight;
    std::shared_ptr<const api::PreflightCard> m_card; ///< the one shown
    QLabel *m_modelLabel, *m_status;
    QComboBox *m_dataset, *m_method;
    QLineEdit* m_dataPath;
    QDoubleSpinBox *m_rho, *m_lr, *m_checkpointMinutes, *m_traceSpeed, *m_rhoLow, *m_rhoHigh;
    QDoubleSpinBox *m_powerWatts, *m_energyBudget, *m_carbonBudget, *m_deadline;
    QLineEdit* m_grid;
    QComboBox* m_schedule;
    QSpinBox* m_intervalSteps;
    QStackedWidget* m_methodSettings = nullptr;
    std::map<QString, int> m_settingsPage; ///< method key -> its page of m_methodSettings
    QSpinBox *m_prefixTokens, *m_lisaLayers, *m_lisaInterval, *m_badamInterval;
    QComboBox* m_badamOrder;
    QDoubleSpinBox* m_freezeStart;
    QSpinBox *m_k, *m_rank, *m_batch, *m_seqLen, *m_steps, *m_limit, *m_evalExamples, *m_evalEvery,
        *m_threads;
    QPushButton *m_start, *m_pause, *m_stop, *m_resume;
    QProgressBar* m_progress;
    QPlainTextEdit* m_log;
    QScrollArea* m_formScroll = nullptr;
    std::vector<std::string> m_include, m_exclude;
    QLabel* m_pinLabel;
    QString m_modelDir, m_storePath, m_lastCheckpoint;
    qint64 m_runId = 0;
    bool m_running = false, m_paused = false;
};

} // namespace gt::widgets
