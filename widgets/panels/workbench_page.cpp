#include "widgets/panels/workbench_page.h"

#include "widgets/panels/page_header.h"

#include <QLabel>
#include <QVBoxLayout>

namespace gt::widgets {

WorkbenchPage::WorkbenchPage(const QString& title, const QString& subtitle, QWidget* parent)
    : QWidget(parent)
    , m_header(new PageHeader(title, subtitle, this))
    , m_body(new QVBoxLayout)
    , m_empty(new QLabel(this)) {
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setForegroundRole(QPalette::PlaceholderText);
    m_empty->setMargin(24);
    m_body->addWidget(m_empty, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->addWidget(m_header);
    layout->addLayout(m_body, 1);
}

QString WorkbenchPage::title() const {
    return m_header->title();
}

void WorkbenchPage::setEmptyText(const QString& text) {
    m_empty->setText(text);
    m_empty->setVisible(!text.isEmpty());
}

QString WorkbenchPage::emptyText() const {
    return m_empty->text();
}

void WorkbenchPage::setContent(QWidget* content) {
    m_content = content;
    m_body->addWidget(content, 1);
    content->hide();
}

void WorkbenchPage::showContent(bool show) {
    if (m_content) m_content->setVisible(show);
    m_empty->setVisible(!show);
}

bool WorkbenchPage::contentShown() const {
    return m_content && !m_content->isHidden();
}

} // namespace gt::widgets
