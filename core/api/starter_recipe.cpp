#include "core/api/starter_recipe.h"

namespace gt::api {

TrainJob starterJob(const std::string& modelDir, const StarterRecipe& recipe) {
    TrainJob j;
    j.modelDir = modelDir;
    j.preset = "debian";
    j.maxTrainExamples = recipe.trainExamples;
    j.batchSize = recipe.batchSize;
    j.maxLength = recipe.seqLen;
    j.evalExamples = recipe.evalExamples;
    j.maxNewTokens = recipe.maxNewTokens;
    auto& o = j.options;
    o.maxSteps = recipe.steps; // the step count decides, whatever the epochs
    o.learningRate = recipe.learningRate;
    o.rho = recipe.rho;
    o.seed = recipe.seed;
    return j;
}

} // namespace gt::api
