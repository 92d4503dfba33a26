// How the catalogue maps onto the heatmap: rows are the model's input side, its blocks and
// its output side (bottom to top, the way data flows); columns are the tensor roles present.
// A cell holds every tensor of that role in that row (weight and bias together).
#pragma once

#include "core/model/tensor_catalogue.h"

#include <QString>

#include <vector>

namespace gt::widgets {

class TensorGrid {
public:
    static TensorGrid build(const model::TensorCatalogue& catalogue);

    int rows() const { return m_rows; }
    int columns() const { return static_cast<int>(m_roles.size()); }
    int cellOf(int tensor) const { return m_cellOf[tensor]; }
    int rowOf(int tensor) const { return m_cellOf[tensor] / columns(); }
    int columnOf(int tensor) const { return m_cellOf[tensor] % columns(); }
    const std::vector<int>& tensorsIn(int row, int column) const;
    QString rowLabel(int row) const;
    QString columnLabel(int column) const;
    int tensorCount() const { return static_cast<int>(m_cellOf.size()); }

private:
    int m_rows = 0;
    std::vector<model::TensorRole> m_roles;
    std::vector<int> m_cellOf;
    std::vector<std::vector<int>> m_cells;
};

} // namespace gt::widgets
