// The workbench window: a page list on the left (Model & Data, Tensors, Train, Runs), the
// pages in a stack, menus and a status bar. It composes panels; the logic lives in them and
// in controllers, so this class stays small.
#pragma once

#include <QMainWindow>
#include <QStyle>

#include <memory>

namespace gt::api {
class CostExplorer;
}

class QListWidget;
class QMenu;
class QStackedWidget;

namespace gt::widgets {
class WorkbenchPage;
}

namespace gt::app {

class DatasetController;
class ModelController;
class GemmRateController;
class ProbeController;
class TrainingController;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    int pageCount() const;
    gt::widgets::WorkbenchPage* page(int index) const;
    int currentPage() const;
    void showPage(int index);
    /// Opens a model directory or config.json; errors go to a message box and the status bar.
    bool openModel(const QString& path);
    /// Opens the shipped starter model; false when it is not installed.
    bool openStarterModel();
    ModelController* modelController() const { return m_models; }
    TrainingController* trainingController() const { return m_training; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    static QIcon playIcon();
    void addPage(gt::widgets::WorkbenchPage* page, const QString& iconName,
                 QStyle::StandardPixmap fallback);
    void buildMenus();
    void rebuildRecentMenu();
    void onModelOpened(std::shared_ptr<gt::api::CostExplorer> explorer);
    void onModelFailed(const QString& message);
    void restoreSettings();
    void saveSettings() const;

    QListWidget* m_nav;
    QStackedWidget* m_stack;
    ModelController* m_models;
    // The pages' background work (views emit requests; these run them off the GUI thread).
    TrainingController* m_training;
    ProbeController* m_probe;
    GemmRateController* m_gemm;
    DatasetController* m_datasets;
    QMenu* m_recent = nullptr;
};

} // namespace gt::app
