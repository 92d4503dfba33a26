#include "widgets/panels/dataset_panel.h"

#include "widgets/charts/length_histogram.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace gt::widgets {

DatasetPanel::DatasetPanel(QWidget* parent)
    : QWidget(parent)
    , m_kind(new QComboBox(this))
    , m_path(new QLineEdit(this))
    , m_sourceField(new QLineEdit("source", this))
    , m_targetField(new QLineEdit("target", this))
    , m_load(new QPushButton(tr("&Load Dataset"), this))
    , m_status(new QLabel(this))
    , m_splits(new QTableWidget(this))
    , m_records(new QTableWidget(this))
    , m_hist(new LengthHistogram(this)) {
    setObjectName("DatasetPanel");
    m_kind->setObjectName("DatasetPreset");
    m_kind->addItem(tr("Debian descriptions (built-in)"), "debian");
    m_kind->addItem(tr("SciTLDR folder"), "scitldr");
    m_kind->addItem(tr("DialogSum folder"), "dialogsum");
    m_kind->addItem(tr("JSONL / JSON / CSV / TSV file"), "file");
    m_path->setPlaceholderText(tr("built-in"));
    m_path->setEnabled(false);
    auto* browse = new QToolButton(this);
    browse->setText(tr("…"));
    browse->setToolTip(tr("Choose the dataset folder or file"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const bool file = m_kind->currentData().toString() == "file";
        const QString p =
            file ? QFileDialog::getOpenFileName(this, tr("Dataset file"), {},
                                                tr("Datasets (*.jsonl *.json *.csv *.tsv *.gz)"))
                 : QFileDialog::getExistingDirectory(this, tr("Dataset folder"));
        if (!p.isEmpty()) m_path->setText(p);
    });
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] {
        const QString k = m_kind->currentData().toString();
        m_path->setEnabled(k != "debian");
        m_path->setPlaceholderText(k == "debian" ? tr("built-in") : tr("path"));
        m_sourceField->setEnabled(k == "file");
        m_targetField->setEnabled(k == "file");
    });
    m_sourceField->setEnabled(false);
    m_targetField->setEnabled(false);
    m_sourceField->setToolTip(tr("Field (or CSV column) holding the text to summarise"));
    m_targetField->setToolTip(tr("Field holding the summary (a list: first trains, all score)"));
    m_load->setObjectName("LoadDataset");
    connect(m_load, &QPushButton::clicked, this, &DatasetPanel::load);

    auto* form = new QFormLayout;
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    auto* fields = new QHBoxLayout;
    fields->addWidget(new QLabel(tr("source"), this));
    fields->addWidget(m_sourceField);
    fields->addWidget(new QLabel(tr("summary"), this));
    fields->addWidget(m_targetField);
    form->addRow(tr("Dataset"), m_kind);
    form->addRow(tr("Path"), pathRow);
    form->addRow(tr("Fields"), fields);
    auto* loadRow = new QHBoxLayout;
    loadRow->addWidget(m_load);
    loadRow->addWidget(m_status, 1);
    form->addRow(loadRow);

    m_splits->setObjectName("DatasetSplits");
    m_splits->setColumnCount(7);
    m_splits->setHorizontalHeaderLabels({tr("split"), tr("records"), tr("source mean"), tr("p50"),
                                         tr("p95"), tr("max"), tr("summary mean")});
    m_splits->verticalHeader()->hide();
    m_splits->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_splits->verticalHeader()->setDefaultSectionSize(24);
    m_splits->setMaximumHeight(4 * 24 + 30); // header + three splits, no scrolling
    m_records->setObjectName("DatasetRecords");
    m_records->setColumnCount(2);
    m_records->setHorizontalHeaderLabels({tr("source"), tr("summary")});
    m_records->verticalHeader()->setDefaultSectionSize(22);
    m_records->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_records->setWordWrap(false);
    m_records->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_records->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Interactive);
    m_records->setColumnWidth(1, 260);

    auto* lower = new QHBoxLayout;
    lower->addWidget(m_records, 3);
    lower->addWidget(m_hist, 2);
    auto* col = new QVBoxLayout(this);
    col->setContentsMargins(0, 0, 0, 0);
    col->addLayout(form);
    col->addWidget(m_splits);
    col->addLayout(lower, 1);
}

void DatasetPanel::setTokenizerDir(const QString& dir) {
    m_tokenizerDir = dir;
}

void DatasetPanel::setDataset(const QString& kind, const QString& path) {
    const int i = m_kind->findData(kind);
    if (i >= 0) m_kind->setCurrentIndex(i);
    m_path->setText(path);
}

api::DatasetSpec DatasetPanel::spec() const {
    api::DatasetSpec s;
    s.kind = m_kind->currentData().toString().toStdString();
    s.path = m_path->text().trimmed().toStdString();
    s.sourceField = m_sourceField->text().trimmed().toStdString();
    s.targetField = m_targetField->text().trimmed().toStdString();
    return s;
}

void DatasetPanel::load() {
    if (m_loading) return;
    const auto s = spec();
    if (s.kind != "debian" && s.path.empty()) {
        m_status->setText(
            tr("Choose the dataset's %1 first.").arg(s.kind == "file" ? tr("file") : tr("folder")));
        Q_EMIT failed(m_status->text());
        return;
    }
    m_loading = true;
    m_load->setEnabled(false);
    m_status->setText(tr("loading and measuring…"));
    m_requested = s;
    Q_EMIT loadRequested(s, m_tokenizerDir);
}

void DatasetPanel::showPreview(const api::DatasetPreview& preview) {
    m_loading = false;
    m_load->setEnabled(true);
    show(preview);
    Q_EMIT loaded();
    Q_EMIT datasetChosen(QString::fromStdString(m_requested.kind),
                         QString::fromStdString(m_requested.path));
}

void DatasetPanel::showFailed(const QString& error) {
    m_loading = false;
    m_load->setEnabled(true);
    m_status->setText(tr("<span style='color:#c0392b'>%1</span>").arg(error.toHtmlEscaped()));
    Q_EMIT failed(error);
}

void DatasetPanel::show(const api::DatasetPreview& p) {
    const QString unit = QString::fromStdString(p.unit);
    size_t total = 0;
    m_splits->setRowCount(static_cast<int>(p.splits.size()));
    for (size_t r = 0; r < p.splits.size(); ++r) {
        const auto& s = p.splits[r];
        total += s.records;
        const QStringList cells = {
            QString::fromStdString(s.name),         QString::number(s.records),
            QString::number(s.source.mean, 'f', 1), QString::number(s.source.p50),
            QString::number(s.source.p95),          QString::number(s.source.max),
            QString::number(s.target.mean, 'f', 1)};
        for (int c = 0; c < cells.size(); ++c) {
            auto* item = new QTableWidgetItem(cells[c]);
            if (c > 0) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_splits->setItem(static_cast<int>(r), c, item);
        }
    }
    m_splits->resizeColumnsToContents();
    m_status->setText(tr("%1 records; lengths in %2").arg(total).arg(unit));
    m_records->setRowCount(static_cast<int>(p.firstRecords.size()));
    for (size_t r = 0; r < p.firstRecords.size(); ++r) {
        const auto& e = p.firstRecords[r];
        auto* src = new QTableWidgetItem(QString::fromStdString(e.source).simplified());
        src->setToolTip(QString::fromStdString(e.source).left(2000));
        m_records->setItem(static_cast<int>(r), 0, src);
        m_records->setItem(static_cast<int>(r), 1,
                           new QTableWidgetItem(QString::fromStdString(e.targets.front())));
    }
    // the training split's source lengths
    m_hist->setLengths(p.splits.empty() ? std::vector<int64_t>{} : p.splits.front().sourceLengths,
                       tr("source length (%1), train split").arg(unit));
}

QCustomPlot* DatasetPanel::histogram() const {
    return m_hist->plot();
}

} // namespace gt::widgets
