#include "core/green/pins.h"

#include <algorithm>
#include <cstdio>
#include <regex>
#include <string_view>

namespace gt::green {
namespace {

std::string someNames(const model::TensorCatalogue& catalogue) {
    std::string out;
    const size_t n = std::min<size_t>(catalogue.size(), 4);
    for (size_t i = 0; i < n; ++i)
        out += (i ? ", " : "") + catalogue[i].name;
    if (catalogue.size() > n) out += ", ... (" + std::to_string(catalogue.size()) + " tensors)";
    return out;
}

/// Marks the tensors `pattern` matches as `pin`; throws when it matches none or one of them
/// is pinned the other way already.
void apply(const model::TensorCatalogue& catalogue, const std::string& option,
           const std::string& pattern, Pin pin, std::vector<Pin>& state) {
    std::regex re;
    try {
        re = std::regex(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
        throw PinError(option + " '" + pattern + "': not a regular expression (" + e.what() + ")");
    }
    int matched = 0;
    for (size_t i = 0; i < catalogue.size(); ++i) {
        if (!std::regex_search(catalogue[i].name, re)) continue;
        ++matched;
        if (state[i] != Pin::Free && state[i] != pin)
            throw PinError("tensor " + catalogue[i].name +
                           " is both pinned in (--include) and out (--exclude)");
        state[i] = pin;
    }
    if (matched == 0)
        throw PinError(option + " '" + pattern +
                       "' matches no tensor of this model; its tensors are named like " +
                       someNames(catalogue));
}

std::string budgetMessage(double rho, double minimum, int pinned) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "the %d pinned-in tensor%s cost rho %.4f (the forward pass, their weight "
                  "gradients and backprop down to the deepest of them): %.4f over rho %.4g; "
                  "raise rho or pin fewer",
                  pinned, pinned == 1 ? "" : "s", minimum, minimum - rho, rho);
    return buf;
}

} // namespace

bool Pins::any() const {
    return std::any_of(state.begin(), state.end(), [](Pin p) { return p != Pin::Free; });
}

int Pins::count(Pin p) const {
    return static_cast<int>(std::count(state.begin(), state.end(), p));
}

PinsExceedBudget::PinsExceedBudget(double rho, double minimumRho, int pinned)
    : std::runtime_error(budgetMessage(rho, minimumRho, pinned))
    , m_min(minimumRho) {}

Pins pinsFromPatterns(const model::TensorCatalogue& catalogue,
                      const std::vector<std::string>& include,
                      const std::vector<std::string>& exclude) {
    Pins pins;
    if (include.empty() && exclude.empty()) return pins;
    pins.state.assign(catalogue.size(), Pin::Free);
    for (const auto& p : include)
        apply(catalogue, "--include", p, Pin::In, pins.state);
    for (const auto& p : exclude)
        apply(catalogue, "--exclude", p, Pin::Out, pins.state);
    return pins;
}

std::string exactNamePattern(const std::string& name) {
    std::string out = "^";
    for (char c : name) {
        if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out + "$";
}

} // namespace gt::green
