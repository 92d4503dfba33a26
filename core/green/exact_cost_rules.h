// Exact accounting: the step's matmuls, charged where backpropagation pays them.
// The forward pass is a chain of ops in execution order (a norm, the q/k/v projections of a
// block as one op since they read the same input, the attention maps, the output
// projection, ...). Each op has its own forward MACs, the dW MACs of its tensors, and the MACs
// to pass the gradient from its output to its input. That input-gradient cost is charged as
// dY to the nearest tensor *below* the op, because backprop pays it only to reach deeper
// tensors. So sum_{j<=d} dY_j (output-first order) is exactly the activation-gradient work
// needed to reach tensor d, and the deepest tensor's own input gradient is never charged.
//   linear (out,in) on T=B*N tokens: fwd T*out*in, dW T*out*in, input grad T*out*in;
//     its bias: fwd T*out, dW T*out
//   attention maps: fwd 2*B*N^2*D (QK^T and AV over all heads), input grad 4*B*N^2*D
//   norm gain/shift: fwd T*D each, dW T*D each; input grad 2*T*D
//   embedding lookup: fwd T*E (copy), dW T*E (scatter-add); LM head: fwd, dW and input grad
//     T*V*E each, its dW added to the tied embedding (or the untied head tensor)
// Element-wise work (activations, softmax, residual adds, RoPE, ALiBi) has no MACs and is
// left out, like the paper.
#pragma once

#include "core/green/cost_model.h"

namespace gt::green {

CostTable exactCosts(const model::TensorCatalogue& catalogue, const io::ModelConfig& config,
                     CostShape shape);

} // namespace gt::green
