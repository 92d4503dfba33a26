// What a training job reads before it trains: the dataset splits (preset, built-in task or
// files, cut to the job's limit), the prompt format and the shuffled training batches. Shared
// by the training run and the stand-alone importance probe so both see the same batches.
#pragma once

#include "core/api/training_job.h"
#include "core/data/dataset.h"
#include "core/data/summarization_batches.h"
#include "core/text/tokenizer.h"

namespace gt::api {

/// The job's splits; the training split is cut to `maxTrainExamples`.
data::Splits loadJobData(const TrainJob& job);
data::PromptOptions promptOptions(const TrainJob& job);
/// The training batches a run of this job steps through (shuffled with the job's seed).
data::SummarizationBatches trainingBatches(const TrainJob& job, const text::Tokenizer& tok,
                                           const std::vector<data::Example>& train);

} // namespace gt::api
