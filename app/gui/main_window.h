// The workbench window: a page list on the left (Model & Data, Tensors, Train, Runs), the
// pages in a stack, menus and a status bar. It composes panels; the logic lives in them and
// in controllers, so this class stays small.
#pragma once

#include <QMainWindow>
#include <QStyle>

class QListWidget;
class QStackedWidget;

namespace gt::widgets {
class WorkbenchPage;
}

namespace gt::app {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    int pageCount() const;
    gt::widgets::WorkbenchPage* page(int index) const;
    int currentPage() const;
    void showPage(int index);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void addPage(gt::widgets::WorkbenchPage* page, const QString& iconName,
                 QStyle::StandardPixmap fallback);
    void buildMenus();
    void restoreSettings();
    void saveSettings() const;

    QListWidget* m_nav;
    QStackedWidget* m_stack;
};

} // namespace gt::app
