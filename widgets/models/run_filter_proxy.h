// The Runs page's sort and filter over RunTableModel: the filter text (any column, case
// insensitive) and, while the parallel-coordinates chart has brushed ranges, only the runs
// inside them.
#pragma once

#include <QSortFilterProxyModel>

#include <cstdint>
#include <optional>
#include <set>
#include <vector>

namespace gt::widgets {

class RunFilterProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit RunFilterProxy(QObject* parent = nullptr);

    /// Only these runs pass (nullopt: every run does).
    void setAllowedRuns(std::optional<std::vector<int64_t>> ids);
    bool restricted() const { return m_allowed.has_value(); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    std::optional<std::set<int64_t>> m_allowed;
};

} // namespace gt::widgets
