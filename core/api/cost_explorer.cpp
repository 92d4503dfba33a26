#include "core/api/cost_explorer.h"

#include "core/green/budget.h"
#include "core/green/importance_prior.h"

#include <stdexcept>

namespace gt::api {

CostExplorer CostExplorer::open(const std::filesystem::path& path, green::CostShape shape) {
    CostExplorer e;
    e.m_path = path;
    e.m_config = io::loadModelConfig(path);
    e.m_catalogue = model::TensorCatalogue::fromConfig(e.m_config);
    e.setShape(shape);
    e.setImportance(green::sizeImportance(e.m_catalogue), "size prior (no probe yet)");
    return e;
}

void CostExplorer::setShape(green::CostShape shape) {
    m_shape = shape;
    m_exact = green::computeCosts(m_catalogue, m_config, shape, green::Accounting::Exact);
    m_paper = green::computeCosts(m_catalogue, m_config, shape, green::Accounting::Paper);
}

const green::CostTable& CostExplorer::costs(green::Accounting a) const {
    return a == green::Accounting::Paper ? m_paper : m_exact;
}

void CostExplorer::setImportance(std::vector<double> importance, std::string source) {
    if (importance.size() != m_catalogue.size())
        throw std::invalid_argument("importance has " + std::to_string(importance.size()) +
                                    " values for " + std::to_string(m_catalogue.size()) +
                                    " tensors");
    m_importance = std::move(importance);
    m_importanceSource = std::move(source);
}

green::Plan CostExplorer::plan(double rho, green::Accounting accounting,
                               const green::SelectorOptions& options) const {
    return green::selectTensors(m_catalogue, costs(accounting), m_importance, rho, options);
}

green::BudgetHeadroom CostExplorer::headroom(double rho, green::Accounting accounting) const {
    const green::CostTable& c = costs(accounting);
    return green::budgetHeadroom(c, green::backpropChain(m_catalogue, c), &m_importance, rho);
}

std::string CostExplorer::displayName() const {
    const std::string name =
        m_config.nameOrPath.empty()
            ? (std::filesystem::is_directory(m_path) ? m_path.filename().string()
                                                     : m_path.parent_path().filename().string())
            : m_config.nameOrPath;
    return io::architectureName(m_config.architecture) + " " + name;
}

} // namespace gt::api
