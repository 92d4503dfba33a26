#include "widgets/charts/tensor_grid.h"

#include <algorithm>

namespace gt::widgets {
namespace {

using model::TensorRole;

bool inputSide(TensorRole r) {
    return r == TensorRole::Embed || r == TensorRole::Position || r == TensorRole::EmbedNorm ||
           r == TensorRole::ProjectIn;
}

} // namespace

TensorGrid TensorGrid::build(const model::TensorCatalogue& catalogue) {
    TensorGrid g;
    g.m_rows = catalogue.blockCount() + 2; // input side, blocks, output side
    // Columns in the enum's order, which follows the data flow through a block.
    for (const auto& t : catalogue.tensors())
        if (std::find(g.m_roles.begin(), g.m_roles.end(), t.role) == g.m_roles.end())
            g.m_roles.push_back(t.role);
    std::sort(g.m_roles.begin(), g.m_roles.end());
    g.m_cells.assign(static_cast<size_t>(g.m_rows) * g.m_roles.size(), {});
    for (const auto& t : catalogue.tensors()) {
        const int row = t.block >= 0 ? t.block + 1 : (inputSide(t.role) ? 0 : g.m_rows - 1);
        const int col = static_cast<int>(std::find(g.m_roles.begin(), g.m_roles.end(), t.role) -
                                         g.m_roles.begin());
        const int cell = row * g.columns() + col;
        g.m_cellOf.push_back(cell);
        g.m_cells[cell].push_back(t.registrationIndex);
    }
    return g;
}

const std::vector<int>& TensorGrid::tensorsIn(int row, int column) const {
    return m_cells[static_cast<size_t>(row) * m_roles.size() + column];
}

QString TensorGrid::rowLabel(int row) const {
    if (row == 0) return QStringLiteral("input");
    if (row == m_rows - 1) return QStringLiteral("output");
    return QString::number(row - 1);
}

QString TensorGrid::columnLabel(int column) const {
    return QString::fromStdString(model::roleName(m_roles[column]));
}

} // namespace gt::widgets
