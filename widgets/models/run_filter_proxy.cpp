#include "widgets/models/run_filter_proxy.h"

#include "widgets/models/run_table_model.h"

namespace gt::widgets {

RunFilterProxy::RunFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent) {
    setSortRole(RunTableModel::SortRole);
    setFilterKeyColumn(-1); // any column
    setFilterCaseSensitivity(Qt::CaseInsensitive);
}

void RunFilterProxy::setAllowedRuns(std::optional<std::vector<int64_t>> ids) {
    if (ids)
        m_allowed = std::set<int64_t>(ids->begin(), ids->end());
    else
        m_allowed.reset();
    invalidateRowsFilter();
}

bool RunFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const {
    if (m_allowed) {
        const auto* runs = qobject_cast<const RunTableModel*>(sourceModel());
        if (runs && !m_allowed->count(runs->runId(sourceRow))) return false;
    }
    return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

} // namespace gt::widgets
