#include "widgets/panels/why_tensor_view.h"

#include <QLabel>
#include <QTextDocument>
#include <QVBoxLayout>

namespace gt::widgets {

WhyTensorView::WhyTensorView(QWidget* parent)
    : QGroupBox(tr("Why this tensor"), parent)
    , m_text(new QLabel(this)) {
    setObjectName("WhyTensorView");
    m_text->setObjectName("WhyText");
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Long tensor names must wrap inside the column instead of widening it.
    m_text->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_text->setMinimumWidth(160);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_text);
    showNote({});
}

void WhyTensorView::showExplanation(const green::TensorExplanation& e,
                                    const model::TensorCatalogue& catalogue,
                                    const green::Plan& plan) {
    m_tensor = e.tensor;
    const auto lines = green::explanationLines(e, catalogue, plan, green::CostUnit::Flops);
    QString html;
    for (size_t i = 0; i < lines.size(); ++i) {
        QString line = QString::fromStdString(lines[i]).toHtmlEscaped();
        // tensor names break after their dots, so that a narrow column wraps them
        line.replace('.', QStringLiteral(".&#8203;"));
        if (i == 0) {
            const QString colour = e.selected ? QStringLiteral("#2e9e4f") : QString();
            html += colour.isEmpty() ? "<b>" + line + "</b>"
                                     : "<b style='color:" + colour + "'>" + line + "</b>";
        } else {
            html += "<br>" + line;
        }
    }
    m_text->setText(html);
}

void WhyTensorView::showNote(const QString& note) {
    m_tensor = -1;
    m_text->setText((note.isEmpty()
                         ? tr("Select one tensor (a heatmap cell or a table row) to see why the "
                              "plan trains it or not, and what would change that.")
                         : note)
                        .toHtmlEscaped());
}

QString WhyTensorView::text() const {
    QTextDocument doc;
    doc.setHtml(m_text->text());
    return doc.toPlainText().remove(QChar(0x200b));
}

} // namespace gt::widgets
