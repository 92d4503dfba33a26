// The Runs page's table: stored runs with their outcome (last loss, last ROUGE-1, planned MAC
// share of full fine-tuning, wall time) and tags. An adapter over ExperimentStore snapshots;
// it never writes the store itself (an edited name becomes a renameRequested signal).
#pragma once

#include "core/store/run_records.h"

#include <QAbstractTableModel>

#include <optional>
#include <vector>

namespace gt::store {
class ExperimentStore;
}

namespace gt::widgets {

class RunTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Id,
        Name,
        Method,
        Rho,
        Status,
        Created,
        Loss,
        Rouge1,
        Share,
        Wall,
        Energy,
        Co2,
        Tags,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit RunTableModel(QObject* parent = nullptr);

    /// Re-reads every run from `store`.
    void reload(const store::ExperimentStore& store);
    int64_t runId(int row) const { return m_rows[static_cast<size_t>(row)].run.id; }
    const store::RunRecord& record(int row) const { return m_rows[static_cast<size_t>(row)].run; }
    std::optional<double> rouge1(int row) const { return m_rows[static_cast<size_t>(row)].rouge1; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;
    /// The name is editable in place; an edit asks for a rename (the page writes the store).
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

Q_SIGNALS:
    void renameRequested(qint64 runId, const QString& name);

private:
    struct Row {
        store::RunRecord run;
        std::optional<double> loss, rouge1;
    };
    std::vector<Row> m_rows;
};

} // namespace gt::widgets
