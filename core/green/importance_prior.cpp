#include "core/green/importance_prior.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>

namespace gt::green {

std::vector<double> uniformImportance(const model::TensorCatalogue& catalogue) {
    return std::vector<double>(catalogue.size(), 1.0);
}

std::vector<double> sizeImportance(const model::TensorCatalogue& catalogue) {
    std::vector<double> v;
    v.reserve(catalogue.size());
    for (const auto& t : catalogue.tensors())
        v.push_back(static_cast<double>(t.numel()));
    return v;
}

std::vector<double> loadImportanceJson(const std::filesystem::path& file,
                                       const model::TensorCatalogue& catalogue) {
    std::ifstream in(file);
    if (!in) throw std::runtime_error(file.string() + ": cannot open importance file");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(file.string() + ": malformed JSON: " + e.what());
    }
    if (!j.is_object())
        throw std::runtime_error(file.string() +
                                 ": expected an object mapping tensor names to numbers");
    std::vector<double> v(catalogue.size(), 0.0);
    for (const auto& [name, value] : j.items()) {
        const int i = catalogue.find(name);
        if (i < 0)
            throw std::runtime_error(file.string() + ": '" + name +
                                     "' is not a tensor of this model");
        if (!value.is_number())
            throw std::runtime_error(file.string() + ": '" + name + "' must be a number, got " +
                                     value.dump());
        v[i] = value.get<double>();
    }
    return v;
}

std::vector<double> importanceFromSpec(const std::string& spec,
                                       const model::TensorCatalogue& catalogue) {
    if (spec == "uniform") return uniformImportance(catalogue);
    if (spec == "size") return sizeImportance(catalogue);
    return loadImportanceJson(spec, catalogue);
}

} // namespace gt::green
