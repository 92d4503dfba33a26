// Base of the four workbench pages (Model & Data, Tensors, Train, Runs): a header and a body.
// Pages start empty and gain their panels as the engine pieces land; an empty page says
// what it will show and what it needs first, so the window never looks broken.
#pragma once

#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace gt::widgets {

class PageHeader;

class WorkbenchPage : public QWidget {
    Q_OBJECT
public:
    WorkbenchPage(const QString& title, const QString& subtitle, QWidget* parent = nullptr);

    QString title() const;
    /// Text shown in the body while the page has no content.
    void setEmptyText(const QString& text);
    QString emptyText() const;
    /// Puts `content` in the body; showContent(true) swaps the empty text for it.
    void setContent(QWidget* content);
    void showContent(bool show);
    bool contentShown() const;

protected:
    QVBoxLayout* bodyLayout() const { return m_body; }

private:
    PageHeader* m_header;
    QVBoxLayout* m_body;
    QLabel* m_empty;
    QWidget* m_content = nullptr;
};

} // namespace gt::widgets
