// What the Tensors page explores: a model's configuration, its tensor catalogue, the cost
// tables under both accountings for one cost shape, an importance vector, and plans for any
// rho. Torch-free: a config.json is all it needs. Not thread-safe; cheap to copy.
#pragma once

#include "core/green/cost_model.h"
#include "core/green/plan.h"
#include "core/green/selector.h"

#include <filesystem>
#include <string>
#include <vector>

namespace gt::api {

class CostExplorer {
public:
    /// Loads `path` (a model directory or a config.json). Throws io::ConfigError.
    static CostExplorer open(const std::filesystem::path& path, green::CostShape shape = {});

    const std::filesystem::path& path() const { return m_path; }
    const io::ModelConfig& config() const { return m_config; }
    const model::TensorCatalogue& catalogue() const { return m_catalogue; }
    const green::CostShape& shape() const { return m_shape; }
    /// Recomputes the cost tables for a new batch size / padded length.
    void setShape(green::CostShape shape);
    const green::CostTable& costs(green::Accounting a) const;

    const std::vector<double>& importance() const { return m_importance; }
    const std::string& importanceSource() const { return m_importanceSource; }
    /// Catalogue-order importance (e.g. from a probe); `source` labels it in the GUI.
    void setImportance(std::vector<double> importance, std::string source);

    /// A GreenTrainer plan; throws green::InfeasibleRho below the minimum.
    green::Plan plan(double rho, green::Accounting accounting,
                     const green::SelectorOptions& options) const;
    /// rho_min and the spare backward share at `rho` (also where rho is infeasible).
    green::BudgetHeadroom headroom(double rho, green::Accounting accounting) const;

    /// "OPT facebook/opt-2.7b" or the directory name.
    std::string displayName() const;

private:
    std::filesystem::path m_path;
    io::ModelConfig m_config;
    model::TensorCatalogue m_catalogue;
    green::CostShape m_shape;
    green::CostTable m_exact, m_paper;
    std::vector<double> m_importance;
    std::string m_importanceSource;
};

} // namespace gt::api
