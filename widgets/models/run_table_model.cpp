#include "widgets/models/run_table_model.h"

#include "core/store/experiment_store.h"
#include "core/store/run_outcome.h"

#include <QColor>

namespace gt::widgets {

RunTableModel::RunTableModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void RunTableModel::reload(const store::ExperimentStore& s) {
    beginResetModel();
    m_rows.clear();
    for (auto& r : s.listRuns()) {
        const store::RunOutcome o = store::runOutcome(s, r.id); // what compare and groups use
        m_rows.push_back(Row{r, o.trainLoss, o.rouge1});
    }
    endResetModel();
}

int RunTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RunTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const Row& r = m_rows[static_cast<size_t>(index.row())];
    const auto& run = r.run;
    const std::optional<double> share =
        run.plannedMacs && run.fullMacs && *run.fullMacs > 0
            ? std::optional<double>(*run.plannedMacs / *run.fullMacs)
            : std::nullopt;
    auto num = [&](const std::optional<double>& v, int decimals) -> QVariant {
        if (role == SortRole) return v ? QVariant(*v) : QVariant(-1e300);
        return v ? QVariant(QString::number(*v, 'f', decimals)) : QVariant(QStringLiteral("–"));
    };
    if (role == Qt::EditRole && index.column() == Name) return QString::fromStdString(run.name);
    if (role != Qt::DisplayRole && role != SortRole) {
        if (role == Qt::TextAlignmentRole && index.column() != Name && index.column() != Method &&
            index.column() != Status && index.column() != Created && index.column() != Tags)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        if (role == Qt::ForegroundRole && index.column() == Status) {
            if (run.status == store::RunStatus::Failed) return QColor(0xd6, 0x27, 0x28);
            if (run.status == store::RunStatus::Running) return QColor(0x1f, 0x77, 0xb4);
            if (run.status == store::RunStatus::Interrupted) return QColor(0xe6, 0x7e, 0x22);
        }
        if (role == Qt::ToolTipRole && index.column() == Energy && !run.energyMethod.empty())
            return QString::fromStdString(run.energyMethod + ": " + run.energySource);
        if (role == Qt::ToolTipRole && index.column() == Co2 && !run.gridSource.empty())
            return QString::fromStdString(run.gridSource);
        if (role == Qt::ToolTipRole) return QString::fromStdString(run.configJson);
        return {};
    }
    switch (index.column()) {
    case Id:
        return role == SortRole ? QVariant(static_cast<qlonglong>(run.id))
                                : QVariant(QString::number(run.id));
    case Name:
        return QString::fromStdString(run.name);
    case Method:
        return QString::fromStdString(run.method);
    case Rho:
        return num(run.rho, 2);
    case Status:
        return QString::fromStdString(store::statusName(run.status));
    case Created:
        return QString::fromStdString(run.createdAt.substr(0, 19)).replace('T', ' ');
    case Loss:
        return num(r.loss, 4);
    case Rouge1:
        return num(r.rouge1, 2);
    case Share:
        return num(share, 3);
    case Wall:
        return num(run.wallSeconds, 1);
    case Energy: { // kJ, with how it was obtained: measured and estimated never read alike
        const std::optional<double> kj =
            run.energyJoules ? std::optional<double>(*run.energyJoules / 1000) : std::nullopt;
        if (role == SortRole || !kj) return num(kj, 2);
        const bool measured = run.energyMethod.rfind("measured:", 0) == 0;
        return QString::number(*kj, 'f', 2) + (measured ? tr(" meas.") : tr(" est."));
    }
    case Co2:
        return num(run.co2Grams, 2);
    case Tags: {
        QStringList tags;
        for (const auto& t : run.tags)
            tags << QString::fromStdString(t);
        return tags.join(", ");
    }
    }
    return {};
}

Qt::ItemFlags RunTableModel::flags(const QModelIndex& index) const {
    auto f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Name) f |= Qt::ItemIsEditable;
    return f;
}

bool RunTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!index.isValid() || index.column() != Name || role != Qt::EditRole) return false;
    const QString name = value.toString().trimmed();
    if (name.isEmpty() || name.toStdString() == record(index.row()).name) return false;
    Q_EMIT renameRequested(runId(index.row()), name);
    return true;
}

QVariant RunTableModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal || role != Qt::DisplayRole) return {};
    static const char* names[] = {"id",        "name",      "method",  "rho",       "status",
                                  "created",   "last loss", "ROUGE-1", "MAC share", "wall s",
                                  "energy kJ", "gCO2e",     "tags"};
    return tr(names[section]);
}

} // namespace gt::widgets
