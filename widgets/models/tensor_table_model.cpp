#include "widgets/models/tensor_table_model.h"

#include <QColor>
#include <QLocale>
#include <QStringList>

namespace gt::widgets {

QString TensorTableModel::shapeText(const std::vector<int64_t>& shape) {
    QStringList dims;
    for (int64_t d : shape)
        dims << QString::number(d);
    return dims.join(QStringLiteral(" × "));
}

TensorTableModel::TensorTableModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void TensorTableModel::setTensors(const model::TensorCatalogue& catalogue,
                                  const green::CostTable& costs,
                                  const std::vector<double>& importance) {
    beginResetModel();
    m_rows.clear();
    for (size_t i = 0; i < catalogue.size(); ++i) {
        const auto& t = catalogue[i];
        m_rows.push_back({QString::fromStdString(t.name),
                          QString::fromStdString(model::roleName(t.role)), shapeText(t.shape),
                          t.block, t.numel(), costs.costs[i].forward, costs.costs[i].dw,
                          costs.costs[i].dy, importance[i]});
    }
    m_selected.assign(m_rows.size(), 0);
    m_pins = {};
    endResetModel();
}

void TensorTableModel::setPins(const green::Pins& pins) {
    m_pins = pins;
    if (!m_rows.empty()) Q_EMIT dataChanged(index(0, Trained), index(rowCount() - 1, Trained));
}

void TensorTableModel::setSelection(const std::vector<uint8_t>& selected) {
    if (selected.size() != m_rows.size()) return;
    m_selected = selected;
    if (!m_rows.empty()) Q_EMIT dataChanged(index(0, Trained), index(rowCount() - 1, Trained));
}

int TensorTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TensorTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TensorTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= rowCount()) return {};
    const Row& r = m_rows[index.row()];
    const bool trained = m_selected[index.row()] != 0;
    const green::Pin pin = static_cast<size_t>(index.row()) < m_pins.state.size()
                               ? m_pins.state[index.row()]
                               : green::Pin::Free;
    const double gflop = 2.0 / 1e9; // the GUI shows FLOPs = 2 x MACs
    if (role == SortRole) {
        switch (index.column()) {
        case Index:
            return index.row();
        case Block:
            return r.block;
        case Params:
            return r.params;
        case Forward:
            return r.forward;
        case Dw:
            return r.dw;
        case Dy:
            return r.dy;
        case Importance:
            return r.importance;
        case Trained:
            return trained ? 1 : 0;
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Index:
            return index.row();
        case Name:
            return r.name;
        case Block:
            return r.block < 0 ? QStringLiteral("–") : QString::number(r.block);
        case Role:
            return r.role;
        case Shape:
            return r.shape;
        case Params:
            return QLocale().toString(r.params);
        case Forward:
            return QString::number(r.forward * gflop, 'f', 3);
        case Dw:
            return QString::number(r.dw * gflop, 'f', 3);
        case Dy:
            return QString::number(r.dy * gflop, 'f', 3);
        case Importance:
            return QString::number(r.importance, 'g', 4);
        case Trained:
            return pin == green::Pin::In    ? tr("trained (pinned in)")
                   : pin == green::Pin::Out ? tr("pinned out")
                   : trained                ? tr("trained")
                                            : QString();
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() != Name && index.column() != Role &&
        index.column() != Trained)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == Trained && trained)
        return QColor(0x2e, 0x9e, 0x4f);
    return {};
}

QVariant TensorTableModel::headerData(int section, Qt::Orientation o, int role) const {
    if (o != Qt::Horizontal) return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Forward:
            return tr("Forward pass work attributed to this tensor, GFLOP per step");
        case Dw:
            return tr("Work to form this tensor's own gradient (dW), GFLOP per step");
        case Dy:
            return tr("Activation-gradient work paid when backprop reaches this tensor "
                      "(dY), GFLOP per step");
        case Importance:
            return tr("Estimated loss reduction from training this tensor");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole) return {};
    static const char* names[] = {"#",        "tensor",     "block",     "role",
                                  "shape",    "params",     "fwd GFLOP", "dW GFLOP",
                                  "dY GFLOP", "importance", "plan"};
    return tr(names[section]);
}

} // namespace gt::widgets
