#include "app/gui/about_dialog.h"

#include "core/io/version.h"

#include <QDialogButtonBox>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace gt::app {

QString AboutDialog::aboutHtml() {
    const QString build = QString::fromStdString(io::buildDescription()).toHtmlEscaped();
    return QStringLiteral(
               "<h2>GreenTrainer Workbench %1</h2>"
               "<p>%2</p>"
               "<p>Energy-aware fine-tuning of language models by adaptive backpropagation: "
               "for every weight tensor the workbench estimates its backward cost and its "
               "importance, then trains the set of tensors that keeps a step within "
               "<i>rho</i> &times; the cost of full fine-tuning at the least loss of accuracy "
               "(Huang et al., <i>Towards Green AI in Fine-tuning Large Language Models via "
               "Adaptive Backpropagation</i>, ICLR 2024).</p>"
               "<h3>Licence</h3>"
               "<p>Copyright &copy; the GreenTrainer Workbench authors. This program is free "
               "software: you can redistribute it and/or modify it under the terms of the GNU "
               "General Public License as published by the Free Software Foundation, either "
               "version 3 of the License, or (at your option) any later version "
               "(GPL-3.0-or-later). It comes with ABSOLUTELY NO WARRANTY.</p>"
               "<h3>Third-party components</h3><ul>"
               "<li><b>QCustomPlot</b> 2.1 &mdash; Emanuel Eichhammer, GPL-3.0-or-later</li>"
               "<li><b>LibTorch</b> (PyTorch C++) &mdash; BSD-3-Clause</li>"
               "<li><b>Qt</b> %3 &mdash; The Qt Company, LGPL-3.0</li>"
               "<li><b>SQLite</b> &mdash; public domain</li>"
               "<li><b>nlohmann/json</b> &mdash; Niels Lohmann, MIT</li>"
               "<li><b>OpenBLAS</b> &mdash; BSD-3-Clause</li>"
               "</ul>")
        .arg(QString::fromStdString(io::versionString()), build, QString(qVersion()));
}

AboutDialog::AboutDialog(QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("About GreenTrainer Workbench"));
    auto* text = new QTextBrowser(this);
    text->setOpenExternalLinks(true);
    text->setHtml(aboutHtml());
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(buttons);
    resize(560, 520);
}

} // namespace gt::app
