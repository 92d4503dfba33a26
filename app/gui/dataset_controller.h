// Loads and measures the datasets the Model & Data page asks for (api::previewDataset) on a
// BackgroundJob, and sends the preview or the reader's error back to the panel.
#pragma once

#include <QObject>

namespace gt::widgets {
class DatasetPanel;
}

namespace gt::app {

class BackgroundJob;

class DatasetController : public QObject {
    Q_OBJECT
public:
    explicit DatasetController(QObject* parent = nullptr);
    ~DatasetController() override; ///< waits for a load under way (it cannot be stopped)

    /// Connects the panel's requests to this controller and the results to the panel.
    void attach(widgets::DatasetPanel* panel);

private:
    BackgroundJob* m_job;
};

} // namespace gt::app
