// The title strip every workbench page opens with: a title and a one-line explanation.
#pragma once

#include <QWidget>

class QLabel;

namespace gt::widgets {

class PageHeader : public QWidget {
    Q_OBJECT
public:
    PageHeader(const QString& title, const QString& subtitle, QWidget* parent = nullptr);
    QString title() const;

private:
    QLabel* m_title;
    QLabel* m_subtitle;
};

} // namespace gt::widgets
