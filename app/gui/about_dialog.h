// Help > About: version, build, the engine's libraries and every licence that applies.
#pragma once

#include <QDialog>

namespace gt::app {

class AboutDialog : public QDialog {
    Q_OBJECT
public:
    explicit AboutDialog(QWidget* parent = nullptr);
    /// The HTML shown; tests check that every licence is named.
    static QString aboutHtml();
};

} // namespace gt::app
