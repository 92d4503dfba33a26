// Model shapes the benchmarks share: OPT-125m's (vocabulary 50,272, 12 blocks of 768, FFN
// 3,072, 12 heads), built with random weights where a benchmark needs a model of that size.
#pragma once

#include "core/io/model_config.h"

namespace gt::bench {

inline io::ModelConfig opt125mShape() {
    io::ModelConfig c;
    c.vocabSize = 50272;
    c.hiddenSize = c.wordEmbedProjDim = 768;
    c.numLayers = 12;
    c.numHeads = c.numKeyValueHeads = 12;
    c.ffnDim = 3072;
    c.maxPositions = 2048;
    c.activation = "relu";
    return c;
}

} // namespace gt::bench
