#include "widgets/panels/runs_page.h"

#include "core/api/run_checkpoint.h"

#include "core/store/experiment_store.h"
#include "widgets/models/run_filter_proxy.h"
#include "widgets/models/run_table_model.h"
#include "widgets/panels/run_compare_panel.h"

#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextStream>
#include <QVBoxLayout>

namespace gt::widgets {

RunsPage::RunsPage(QWidget* parent)
    : WorkbenchPage(tr("Runs"),
                    tr("Every stored run: overlay curves, diff configurations, and compare ROUGE "
                       "against FLOPs, time and energy."),
                    parent)
    , m_model(new RunTableModel(this))
    , m_proxy(new RunFilterProxy(this))
    , m_table(new QTableView(this))
    , m_compare(new RunComparePanel(this))
    , m_filter(new QLineEdit(this)) {
    setObjectName("RunsPage");
    setEmptyText(tr("No runs stored yet.\nRuns appear here as soon as a training run starts "
                    "(gt train, or the Train page)."));
    m_proxy->setSourceModel(m_model);
    m_table->setObjectName("RunTable");
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(RunTableModel::Id, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setAlternatingRowColors(true);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_table, &QWidget::customContextMenuRequested, this, &RunsPage::showContextMenu);
    connect(m_model, &RunTableModel::renameRequested, this,
            [this](qint64 id, const QString& name) { renameRun(id, name); });
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_compare);
    auto* content = new QWidget(this);
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(buildButtons());
    layout->addWidget(split, 1);
    setContent(content);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &RunsPage::onSelectionChanged);
    // brushing the parallel chart narrows the table to the runs inside the ranges
    connect(m_compare, &RunComparePanel::brushChanged, this,
            [this] { m_proxy->setAllowedRuns(m_compare->brushedRuns()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { m_compare->showHistory(m_store.get(), focusedRun(selectedRuns())); });
}

RunsPage::~RunsPage() = default;

QWidget* RunsPage::buildButtons() {
    auto* box = new QWidget(this);
    auto* row = new QHBoxLayout(box);
    row->setContentsMargins(0, 0, 0, 0);
    auto button = [&](const QString& text, const QString& tip, auto slot) {
        auto* b = new QPushButton(text, box);
        b->setToolTip(tip);
        connect(b, &QPushButton::clicked, this, slot);
        row->addWidget(b);
        return b;
    };
    button(tr("&Refresh"), tr("Re-read the run store (F5)"), &RunsPage::refresh)
        ->setShortcut(QKeySequence::Refresh);
    m_resume = button(tr("Res&ume"),
                      tr("Continue the selected stopped or interrupted run from its newest "
                         "checkpoint, on the Train page"),
                      &RunsPage::resumeSelected);
    m_resume->setObjectName("ResumeRun");
    m_resume->setEnabled(false);
    button(tr("&Tag…"), tr("Add a tag to the selected runs (Ctrl+T)"), &RunsPage::askTag)
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    button(tr("&Delete…"), tr("Delete the selected runs from the store (Del)"),
           &RunsPage::askDelete)
        ->setShortcut(QKeySequence::Delete);
    button(tr("Export &Chart…"), tr("Save the chart on show as PNG, PDF or SVG"), [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Export Chart"), "chart.png",
                                                       tr("Images (*.png *.pdf *.svg)"));
        if (!f.isEmpty()) exportChart(f);
    });
    button(tr("Export T&able…"), tr("Save the runs table as CSV"), [this] {
        const QString f =
            QFileDialog::getSaveFileName(this, tr("Export Table"), "runs.csv", tr("CSV (*.csv)"));
        if (!f.isEmpty()) exportTable(f);
    });
    m_filter->setObjectName("RunFilter");
    m_filter->setPlaceholderText(tr("Filter: name, method, status, tag…"));
    m_filter->setClearButtonEnabled(true);
    m_filter->setToolTip(tr("Show only runs with this text in any column (Ctrl+F)"));
    auto* find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    connect(find, &QAction::triggered, m_filter, [this] { m_filter->setFocus(); });
    addAction(find);
    connect(m_filter, &QLineEdit::textChanged, this, &RunsPage::setFilterText);
    row->addStretch(1);
    row->addWidget(m_filter, 1);
    return box;
}

std::vector<int64_t> RunsPage::selectedRuns() const {
    std::vector<int64_t> ids;
    for (const QModelIndex& idx : m_table->selectionModel()->selectedRows())
        ids.push_back(m_model->runId(m_proxy->mapToSource(idx).row()));
    std::sort(ids.begin(), ids.end());
    return ids;
}

int RunsPage::visibleRunCount() const {
    return m_proxy->rowCount();
}

void RunsPage::setFilterText(const QString& text) {
    if (m_filter->text() != text) m_filter->setText(text); // comes back here once
    m_proxy->setFilterFixedString(text);
}

bool RunsPage::modifyStore(const std::function<void(store::ExperimentStore&)>& change) {
    m_lastError.clear();
    try {
        if (m_path.empty()) throw std::runtime_error("no run store is open");
        store::ExperimentStore writable(m_path); // the page's own handle stays read-only
        change(writable);
    } catch (const std::exception& e) {
        m_lastError = QString::fromStdString(e.what());
    }
    const auto keep = selectedRuns();
    refresh();
    selectRuns(keep);
    if (!m_lastError.isEmpty() && isVisible()) {
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Run store"), m_lastError,
                                    QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open(); // window-modal, does not block the event loop
    }
    return m_lastError.isEmpty();
}

bool RunsPage::renameRun(int64_t id, const QString& name) {
    return modifyStore([&](store::ExperimentStore& s) { s.renameRun(id, name.toStdString()); });
}

bool RunsPage::addTag(const std::vector<int64_t>& ids, const QString& tag) {
    return modifyStore([&](store::ExperimentStore& s) {
        for (int64_t id : ids)
            s.addTag(id, tag.trimmed().toStdString());
    });
}

bool RunsPage::removeTag(const std::vector<int64_t>& ids, const QString& tag) {
    return modifyStore([&](store::ExperimentStore& s) {
        for (int64_t id : ids)
            s.removeTag(id, tag.toStdString());
    });
}

bool RunsPage::deleteRuns(const std::vector<int64_t>& ids, bool removeArtifacts) {
    return modifyStore([&](store::ExperimentStore& s) { s.deleteRuns(ids, removeArtifacts); });
}

void RunsPage::askTag() {
    const auto ids = selectedRuns();
    if (ids.empty()) return;
    bool ok = false;
    const QString tag = QInputDialog::getText(this, tr("Tag Runs"),
                                              tr("Tag for %n run(s):", nullptr, int(ids.size())),
                                              QLineEdit::Normal, {}, &ok);
    if (ok && !tag.trimmed().isEmpty()) addTag(ids, tag);
}

void RunsPage::askDelete() {
    const auto ids = selectedRuns();
    if (ids.empty()) return;
    QMessageBox box(
        QMessageBox::Question, tr("Delete Runs"),
        tr("Delete %n run(s) with their metrics, evaluations and plans?", nullptr, int(ids.size())),
        QMessageBox::Cancel, this);
    auto* keepFiles = box.addButton(tr("Delete, keep files"), QMessageBox::AcceptRole);
    auto* withFiles =
        box.addButton(tr("Delete with checkpoints and exports"), QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() == keepFiles || box.clickedButton() == withFiles)
        deleteRuns(ids, box.clickedButton() == withFiles);
}

void RunsPage::showContextMenu(const QPoint& pos) {
    const auto ids = selectedRuns();
    if (ids.empty()) return;
    QMenu menu(this);
    const QModelIndex at = m_table->indexAt(pos);
    if (ids.size() == 1 && at.isValid())
        menu.addAction(tr("Rename"), this,
                       [this, at] { m_table->edit(at.siblingAtColumn(RunTableModel::Name)); });
    if (ids.size() == 1 && canResume(ids[0]))
        menu.addAction(tr("Resume"), this, &RunsPage::resumeSelected);
    menu.addAction(tr("Add Tag…"), this, &RunsPage::askTag);
    QStringList tags; // the tags the selected runs carry
    for (int r = 0; r < m_model->rowCount(); ++r)
        if (std::binary_search(ids.begin(), ids.end(), m_model->runId(r)))
            for (const auto& t : m_model->record(r).tags)
                if (!tags.contains(QString::fromStdString(t))) tags << QString::fromStdString(t);
    QMenu* remove = menu.addMenu(tr("Remove Tag"));
    remove->setEnabled(!tags.isEmpty());
    for (const QString& t : tags)
        remove->addAction(t, this, [this, ids, t] { removeTag(ids, t); });
    menu.addSeparator();
    menu.addAction(tr("Delete…"), this, &RunsPage::askDelete);
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

int64_t RunsPage::focusedRun(const std::vector<int64_t>& ids) const {
    int64_t id = ids.empty() ? 0 : ids.back();
    const QModelIndex current = m_table->currentIndex();
    if (current.isValid()) {
        const int64_t clicked = m_model->runId(m_proxy->mapToSource(current).row());
        if (std::binary_search(ids.begin(), ids.end(), clicked)) id = clicked;
    }
    return id;
}

void RunsPage::setStorePath(const std::filesystem::path& file) {
    m_path = file;
    refresh();
}

void RunsPage::refresh() {
    m_store.reset();
    std::error_code ec;
    if (!m_path.empty() && std::filesystem::exists(m_path, ec)) {
        try {
            m_store = std::make_unique<store::ExperimentStore>(
                m_path, store::ExperimentStore::Mode::ReadOnly);
        } catch (const std::exception& e) {
            setEmptyText(
                tr("The run store cannot be read:\n%1").arg(QString::fromStdString(e.what())));
        }
    }
    if (m_store) m_model->reload(*m_store);
    std::vector<store::RunRecord> runs;
    std::vector<std::optional<double>> rouge1;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        runs.push_back(m_model->record(r));
        rouge1.push_back(m_model->rouge1(r));
    }
    std::vector<int64_t> all;
    for (const auto& r : runs)
        all.push_back(r.id);
    std::sort(all.begin(), all.end());
    m_compare->setAllRuns(std::move(runs), std::move(rouge1));
    m_compare->setParallelRuns(m_store.get(), all);
    m_proxy->setAllowedRuns(m_compare->brushedRuns()); // new data clears the brushes
    showContent(m_store && m_model->rowCount() > 0);
    m_table->resizeColumnsToContents();
    if (!m_table->selectionModel()->hasSelection() && m_model->rowCount() > 0) {
        // Start with the newest runs overlaid, so the page shows curves straight away.
        std::vector<int64_t> newest;
        for (int r = 0; r < m_model->rowCount(); ++r)
            newest.push_back(m_model->runId(r));
        std::sort(newest.rbegin(), newest.rend());
        newest.resize(std::min<size_t>(newest.size(), 4));
        selectRuns(newest);
    }
    onSelectionChanged();
}

void RunsPage::selectRuns(const std::vector<int64_t>& ids) {
    QItemSelection sel;
    for (int r = 0; r < m_model->rowCount(); ++r)
        if (std::find(ids.begin(), ids.end(), m_model->runId(r)) != ids.end()) {
            const QModelIndex a = m_proxy->mapFromSource(m_model->index(r, 0));
            sel.select(a, a.siblingAtColumn(RunTableModel::ColumnCount - 1));
        }
    m_table->selectionModel()->select(sel, QItemSelectionModel::ClearAndSelect);
}

bool RunsPage::canResume(int64_t id) const {
    if (!m_store) return false;
    try {
        const auto run = m_store->run(id);
        return run && api::resumable(*m_store, *run);
    } catch (const std::exception&) { // unreadable: nothing to resume
        return false;
    }
}

bool RunsPage::resumeSelected() {
    const auto ids = selectedRuns();
    if (ids.size() != 1 || !canResume(ids[0])) return false;
    Q_EMIT resumeRequested(ids[0]);
    return true;
}

void RunsPage::onSelectionChanged() {
    const std::vector<int64_t> ids = selectedRuns();
    m_resume->setEnabled(ids.size() == 1 && canResume(ids[0]));
    m_compare->showHistory(m_store.get(), focusedRun(ids));
    m_compare->showRuns(m_store.get(), ids);
}

void RunsPage::showChart(int index) {
    m_compare->showChart(index);
}

bool RunsPage::exportChart(const QString& file) const {
    return m_compare->exportChart(file);
}

QCustomPlot* RunsPage::lossPlot() const {
    return m_compare->lossPlot();
}

QTableWidget* RunsPage::diffTable() const {
    return m_compare->diffTable();
}

ParetoChart* RunsPage::paretoChart() const {
    return m_compare->paretoChart();
}

PlanStrip* RunsPage::selectionHistory() const {
    return m_compare->selectionHistory();
}

bool RunsPage::exportTable(const QString& file) const {
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text)) return false;
    QTextStream out(&f);
    auto cell = [](QString v) {
        if (v.contains(',') || v.contains('"') || v.contains('\n'))
            v = '"' + v.replace('"', "\"\"") + '"';
        return v;
    };
    QStringList header;
    for (int c = 0; c < m_proxy->columnCount(); ++c)
        header << cell(m_proxy->headerData(c, Qt::Horizontal).toString());
    out << header.join(',') << '\n';
    for (int r = 0; r < m_proxy->rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < m_proxy->columnCount(); ++c) {
            const QString v = m_proxy->index(r, c).data().toString();
            row << cell(v == QStringLiteral("–") ? QString() : v); // "–" marks a missing value
        }
        out << row.join(',') << '\n';
    }
    return f.error() == QFile::NoError;
}

} // namespace gt::widgets
