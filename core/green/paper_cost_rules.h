// The released GreenTrainer code's cost rules (decoder_lm/tensor_flops.py), generalised by
// role so they also cover LLaMA and GPT-2 (the code knows only OPT and BLOOM):
//   linear weight (out,in): fwd = dW = dY = B*N*out*in
//   linear bias (out):      fwd = dW = B*N*out, dY = 0
//   V bias (OPT) / fused QKV bias (BLOOM, GPT-2): dY += 4*B*N^2*D, fwd += 2*B*N^2*D
//     (no attention bias, LLaMA: charged to the V weight, as the code does for T5)
//   norm gain: fwd = dW = dY = B*N*D;  norm shift: fwd = B*N*D, dW = dY = 0
//   tied token embedding (V,E): dW = B*N*V*E + V*E, fwd = B*N*E + B*N*V*E, dY = 0, and the
//     head's input gradient B*N*V*E is added to the dY of the LAST tensor in registration order
//   untied embedding: dW = V*E, fwd = B*N*E;  untied head: fwd = dW = dY = B*N*V*D
//   learned positions (P,D): dW = P, fwd = B*N*P;  OPT project_in/out: matched by no rule, 0
// With these rules T_fp = T_bp / 2 for OPT and BLOOM, as method.md §2.2 notes.
#pragma once

#include "core/green/cost_model.h"

namespace gt::green {

CostTable paperCosts(const model::TensorCatalogue& catalogue, const io::ModelConfig& config,
                     CostShape shape);

} // namespace gt::green
