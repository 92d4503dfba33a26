#include "core/api/job_data.h"

#include "core/api/builtin_resources.h"

namespace gt::api {

data::Splits loadJobData(const TrainJob& j) {
    data::Splits s;
    if (!j.preset.empty()) {
        s = data::loadPreset(j.preset, j.dataDir.empty() && j.preset == "debian"
                                           ? builtinTaskDir()
                                           : std::filesystem::path(j.dataDir));
    } else {
        data::ReadOptions o;
        o.sourceField = j.sourceField;
        o.targetField = j.targetField;
        s.train = data::readDataset(j.trainFile, o);
        if (!j.validationFile.empty())
            s.validation = data::readDataset(j.validationFile, o);
        else if (j.holdOut > 0 && s.train.size() >= 2)
            s = data::splitSeeded(std::move(s.train), j.holdOut, 0.0, j.options.seed);
    }
    if (j.maxTrainExamples > 0 && s.train.size() > j.maxTrainExamples)
        s.train.resize(j.maxTrainExamples);
    return s;
}

data::PromptOptions promptOptions(const TrainJob& j) {
    data::PromptOptions po;
    po.maxLength = j.maxLength;
    po.appendEos = j.appendEos;
    return po;
}

data::SummarizationBatches trainingBatches(const TrainJob& j, const text::Tokenizer& tok,
                                           const std::vector<data::Example>& train) {
    const auto po = promptOptions(j);
    std::vector<data::EncodedExample> encoded;
    encoded.reserve(train.size());
    for (const auto& e : train)
        encoded.push_back(data::encodeForTraining(tok, e, po));
    const int64_t pad = tok.padId() >= 0 ? tok.padId() : std::max<int64_t>(tok.eosId(), 0);
    return data::SummarizationBatches(std::move(encoded), j.batchSize, pad, j.options.seed, true,
                                      po);
}

} // namespace gt::api
