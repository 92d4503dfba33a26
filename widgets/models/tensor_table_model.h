// The Tensors page's table: one row per tensor with its costs, importance, whether the
// current plan trains it and whether the user pinned it. Numbers sort numerically through SortRole.
#pragma once

#include "core/green/cost_model.h"
#include "core/green/pins.h"

#include <QAbstractTableModel>

#include <vector>

namespace gt::widgets {

class TensorTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Index,
        Name,
        Block,
        Role,
        Shape,
        Params,
        Forward,
        Dw,
        Dy,
        Importance,
        Trained,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit TensorTableModel(QObject* parent = nullptr);

    /// "2560 × 2560": how the table and the heatmap tooltips show a shape.
    static QString shapeText(const std::vector<int64_t>& shape);

    void setTensors(const model::TensorCatalogue& catalogue, const green::CostTable& costs,
                    const std::vector<double>& importance);
    void setSelection(const std::vector<uint8_t>& selected);
    /// Pinned tensors, shown beside "trained" (empty: none).
    void setPins(const green::Pins& pins);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation o, int role = Qt::DisplayRole) const override;

private:
    struct Row {
        QString name, role, shape;
        int block = -1;
        qint64 params = 0;
        double forward = 0, dw = 0, dy = 0, importance = 0;
    };
    std::vector<Row> m_rows;
    std::vector<uint8_t> m_selected;
    green::Pins m_pins;
};

} // namespace gt::widgets
