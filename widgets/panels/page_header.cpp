#include "widgets/panels/page_header.h"

#include <QLabel>
#include <QVBoxLayout>

namespace gt::widgets {

PageHeader::PageHeader(const QString& title, const QString& subtitle, QWidget* parent)
    : QWidget(parent)
    , m_title(new QLabel(title, this))
    , m_subtitle(new QLabel(subtitle, this)) {
    QFont f = m_title->font();
    f.setPointSizeF(f.pointSizeF() * 1.5);
    f.setBold(true);
    m_title->setFont(f);
    m_subtitle->setWordWrap(true);
    m_subtitle->setForegroundRole(QPalette::PlaceholderText);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 8);
    layout->addWidget(m_title);
    layout->addWidget(m_subtitle);
}

QString PageHeader::title() const {
    return m_title->text();
}

} // namespace gt::widgets
