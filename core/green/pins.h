// Tensors the user fixes before the DP chooses: pinned in (trained whatever their importance)
// or pinned out (never trained). The selector pays for the pinned-in tensors first — their dW
// and the dY down to the deepest of them — and fills the rest of the budget around them
// optimally (selector.cpp). Pins come from name patterns (`gt plan/train --include/--exclude`)
// or from clicks on the Tensors page, which become one exact-name pattern per tensor, so that a
// stored run records its pins the same way whichever way they were made. Torch-free.
#pragma once

#include "core/model/tensor_catalogue.h"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace gt::green {

enum class Pin : uint8_t { Free, In, Out };

struct Pins {
    std::vector<Pin> state; ///< catalogue order; empty: nothing pinned
    bool any() const;
    int count(Pin p) const;
    bool operator==(const Pins&) const = default;
};

/// A bad pin: a pattern that matches nothing or does not parse, or a tensor both in and out.
class PinError : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// The pinned-in tensors alone cost more than rho allows; minimumRho() is what they need.
class PinsExceedBudget : public std::runtime_error {
public:
    PinsExceedBudget(double rho, double minimumRho, int pinned);
    double minimumRho() const { return m_min; }

private:
    double m_min;
};

/// Pins from ECMAScript regular expressions searched in each tensor's name (like grep: a
/// match anywhere; anchor with ^ and $). Every pattern must match a tensor; a tensor matched
/// by both lists is an error. Throws PinError naming the pattern and a few tensor names.
Pins pinsFromPatterns(const model::TensorCatalogue& catalogue,
                      const std::vector<std::string>& include,
                      const std::vector<std::string>& exclude);

/// The pattern that matches `name` and nothing else: ^name$ with its metacharacters escaped.
std::string exactNamePattern(const std::string& name);

} // namespace gt::green
