#include "widgets/panels/model_data_page.h"

#include "widgets/panels/dataset_panel.h"

#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

#include <filesystem>

namespace gt::widgets {
namespace {

QString tokenizerDescription(const std::filesystem::path& modelPath) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::is_directory(modelPath) ? modelPath : modelPath.parent_path();
    if (fs::exists(dir / "tokenizer.json"))
        return QObject::tr("tokenizer.json (byte-level BPE or SentencePiece)");
    if (fs::exists(dir / "vocab.json") && fs::exists(dir / "merges.txt"))
        return QObject::tr("vocab.json + merges.txt (byte-level BPE)");
    if (fs::exists(dir / "tokenizer.model")) return QObject::tr("tokenizer.model (SentencePiece)");
    return QObject::tr("none found");
}

QString weightsDescription(const std::filesystem::path& modelPath) {
    namespace fs = std::filesystem;
    const fs::path dir = fs::is_directory(modelPath) ? modelPath : modelPath.parent_path();
    if (fs::exists(dir / "model.safetensors.index.json")) return QObject::tr("sharded safetensors");
    if (fs::exists(dir / "model.safetensors")) {
        return QObject::tr("model.safetensors (%1 MB)")
            .arg(static_cast<double>(fs::file_size(dir / "model.safetensors")) / 1e6, 0, 'f', 1);
    }
    return QObject::tr("none: costs and plans only");
}

} // namespace

ModelDataPage::ModelDataPage(QWidget* parent)
    : WorkbenchPage(tr("Model & Data"),
                    tr("Open a Hugging Face model directory (or the built-in starter model) and "
                       "a dataset; check the architecture, preview records and choose splits."),
                    parent)
    , m_form(new QFormLayout)
    , m_dataset(new DatasetPanel(this)) {
    setObjectName("ModelDataPage");
    setEmptyText(tr("No model loaded.\nOpen a Hugging Face model directory (config.json, "
                    "model.safetensors, tokenizer) with File › Open Model (Ctrl+O), or drop it "
                    "on the window. A bare config.json is enough to explore costs."));
    auto* group = new QGroupBox(tr("Architecture"), this);
    group->setObjectName("ArchitectureGroup");
    group->setLayout(m_form);
    m_form->setLabelAlignment(Qt::AlignRight);
    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(group);
    auto* data = new QGroupBox(tr("Dataset"), this);
    data->setObjectName("DatasetGroup");
    auto* dl = new QVBoxLayout(data);
    dl->addWidget(m_dataset);
    layout->addWidget(data, 1);
    setContent(content);
}

void ModelDataPage::setRow(const QString& label, const QString& value) {
    for (int r = 0; r < m_form->rowCount(); ++r) {
        auto* l = qobject_cast<QLabel*>(m_form->itemAt(r, QFormLayout::LabelRole)->widget());
        if (l && l->text() == label) {
            qobject_cast<QLabel*>(m_form->itemAt(r, QFormLayout::FieldRole)->widget())
                ->setText(value);
            return;
        }
    }
    auto* v = new QLabel(value, this);
    v->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->setWordWrap(true);
    m_form->addRow(new QLabel(label, this), v);
}

QString ModelDataPage::summaryValue(const QString& label) const {
    for (int r = 0; r < m_form->rowCount(); ++r) {
        auto* l = qobject_cast<QLabel*>(m_form->itemAt(r, QFormLayout::LabelRole)->widget());
        if (l && l->text() == label)
            return qobject_cast<QLabel*>(m_form->itemAt(r, QFormLayout::FieldRole)->widget())
                ->text();
    }
    return {};
}

void ModelDataPage::setExplorer(std::shared_ptr<api::CostExplorer> explorer) {
    showContent(explorer != nullptr);
    if (!explorer) return;
    {
        namespace fs = std::filesystem;
        const fs::path& p = explorer->path();
        m_dataset->setTokenizerDir(
            QString::fromStdString((fs::is_directory(p) ? p : p.parent_path()).string()));
    }
    // The first model opened also shows the chosen dataset (the built-in task by default),
    // measured in its tokens, so the page is never blank.
    if (!m_datasetShown && !m_dataset->isLoading()) {
        m_datasetShown = true;
        m_dataset->load();
    }
    const auto& c = explorer->config();
    const auto& cat = explorer->catalogue();
    const QLocale loc;
    setRow(tr("Model"), QString::fromStdString(explorer->displayName()));
    setRow(tr("Path"), QString::fromStdString(explorer->path().string()));
    setRow(tr("Type"),
           QString::fromStdString(io::architectureName(c.architecture) + " (" + c.modelType + ")"));
    setRow(tr("Blocks"), QString::number(c.numLayers));
    setRow(tr("Width"), tr("%1 (FFN %2)").arg(c.hiddenSize).arg(c.ffnDim));
    setRow(tr("Heads"),
           c.numKeyValueHeads != c.numHeads
               ? tr("%1 query, %2 key/value (GQA)").arg(c.numHeads).arg(c.numKeyValueHeads)
               : QString::number(c.numHeads));
    setRow(tr("Vocabulary"), loc.toString(static_cast<qlonglong>(c.vocabSize)));
    setRow(tr("Parameters"), tr("%1 (%2 M)")
                                 .arg(loc.toString(static_cast<qlonglong>(cat.parameterCount())))
                                 .arg(static_cast<double>(cat.parameterCount()) / 1e6, 0, 'f', 1));
    setRow(tr("Tensors"), QString::number(cat.size()));
    setRow(tr("Embeddings"),
           c.tieWordEmbeddings ? tr("tied with the LM head") : tr("separate LM head"));
    setRow(tr("Weights"), weightsDescription(explorer->path()));
    setRow(tr("Tokenizer"), tokenizerDescription(explorer->path()));
}

} // namespace gt::widgets
