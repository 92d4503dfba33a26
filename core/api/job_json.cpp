#include "core/api/job_json.h"

#include "core/green/cost_model.h"

#include <stdexcept>
#include <type_traits>

namespace gt::api {
namespace {

// The JSON form of the settings' types; enums by their names.
nlohmann::json toJson(train::Method m) {
    return train::methodName(m);
}
nlohmann::json toJson(green::SelectorKind k) {
    return green::selectorName(k);
}
nlohmann::json toJson(green::Accounting a) {
    return green::accountingName(a);
}
template <typename T> nlohmann::json toJson(const T& v) {
    return v;
}
void fromJson(const nlohmann::json& j, train::Method& m) {
    m = train::parseMethod(j.get<std::string>());
}
void fromJson(const nlohmann::json& j, green::SelectorKind& k) {
    k = green::parseSelector(j.get<std::string>());
}
void fromJson(const nlohmann::json& j, green::Accounting& a) {
    a = green::parseAccounting(j.get<std::string>());
}
template <typename T> void fromJson(const nlohmann::json& j, T& v) {
    // nlohmann converts a float to an integer with a plain cast, undefined out of range
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
        if (!j.is_number_integer())
            throw std::invalid_argument("expected an integer, got " + j.dump());
    v = j.get<T>();
}

enum class Part {
    Config, ///< how the run trains: stored with the run, compared on the Runs page
    Job     ///< where it reads and writes: only in the checkpoint's job, for resume
};

/// Every stored setting of a job, once: key, field, part. configJson, jobToJson and
/// jobFromJson all walk this table, so the stored configuration cannot drift from the job.
template <typename Job, typename Visit> void visitFields(Job& j, Visit&& v) {
    auto& o = j.options;
    v("method", o.method, Part::Config);
    v("rho", o.rho, Part::Config);
    v("top_blocks", o.topBlocks, Part::Config);
    v("lora_rank", o.loraRank, Part::Config);
    v("lora_alpha", o.loraAlpha, Part::Config);
    v("lora_dropout", o.loraDropout, Part::Config);
    v("lora_targets", o.loraTargets, Part::Config);
    v("prefix_tokens", o.prefixTokens, Part::Config);
    v("prefix_projection", o.prefixProjection, Part::Config);
    v("prefix_hidden", o.prefixHidden, Part::Config);
    v("lisa_layers", o.lisaLayers, Part::Config);
    v("lisa_interval", o.lisaInterval, Part::Config);
    v("badam_interval", o.badamInterval, Part::Config);
    v("badam_order", o.badamOrder, Part::Config);
    v("freeze_start", o.freezeStart, Part::Config);
    v("reselect_every_epochs", o.reselectEveryEpochs, Part::Config);
    v("reselect_every_steps", o.reselectEverySteps, Part::Config);
    v("selector", o.selector.kind, Part::Config);
    v("selector_resolution", o.selector.resolution, Part::Config);
    v("include", o.include, Part::Config);
    v("exclude", o.exclude, Part::Config);
    v("accounting", o.accounting, Part::Config);
    v("paper_probe", o.paperProbe, Part::Config);
    v("probe_batches", o.probeBatches, Part::Config);
    v("lr", o.learningRate, Part::Config);
    v("weight_decay", o.weightDecay, Part::Config);
    v("warmup_steps", o.warmupSteps, Part::Config);
    v("epochs", o.epochs, Part::Config);
    v("max_steps", o.maxSteps, Part::Config);
    v("grad_accumulation", o.gradAccumulation, Part::Config);
    v("clip_grad_norm", o.clipGradNorm, Part::Config);
    v("seed", o.seed, Part::Config);
    v("threads", o.threads, Part::Config);
    v("batch_size", j.batchSize, Part::Config);
    v("max_length", j.maxLength, Part::Config);
    v("append_eos", j.appendEos, Part::Config);
    v("max_train_examples", j.maxTrainExamples, Part::Config);
    v("eval_examples", j.evalExamples, Part::Config);
    v("max_new_tokens", j.maxNewTokens, Part::Config);
    v("no_repeat_ngram", j.noRepeatNgram, Part::Config);
    v("hold_out", j.holdOut, Part::Config);
    auto& f = j.footprint;
    v("power_watts", f.powerWatts, Part::Config);
    v("grid_intensity", f.gridIntensity, Part::Config);
    v("grid_country", f.gridCountry, Part::Config);
    v("grid_trace", f.gridTrace, Part::Config);
    v("trace_start", f.traceStart, Part::Config);
    v("trace_speed", f.traceSpeed, Part::Config);
    v("rho_schedule", f.rhoSchedule, Part::Config);
    v("rho_low", f.rhoLow, Part::Config);
    v("rho_high", f.rhoHigh, Part::Config);
    v("energy_budget_kwh", f.energyBudgetKwh, Part::Config);
    v("carbon_budget_g", f.carbonBudgetGrams, Part::Config);
    v("deadline_hours", f.deadlineHours, Part::Config);
    v("model_dir", j.modelDir, Part::Job);
    v("data_dir", j.dataDir, Part::Job);
    v("preset", j.preset, Part::Job);
    v("train_file", j.trainFile, Part::Job);
    v("validation_file", j.validationFile, Part::Job);
    v("source_field", j.sourceField, Part::Job);
    v("target_field", j.targetField, Part::Job);
    v("db_path", j.dbPath, Part::Job);
    v("run_name", j.runName, Part::Job);
    v("tags", j.tags, Part::Job);
    v("checkpoint_dir", j.checkpointDir, Part::Job);
    v("checkpoints", j.checkpoints, Part::Job);
    v("checkpoint_every", j.checkpointEvery, Part::Job);
    v("checkpoint_minutes", j.checkpointMinutes, Part::Job);
    v("export_dir", j.exportDir, Part::Job);
    v("eval_every", j.evalEvery, Part::Job);
}

nlohmann::json fieldsJson(const TrainJob& job, bool withJob) {
    nlohmann::json c = nlohmann::json::object();
    visitFields(job, [&](const char* key, const auto& value, Part part) {
        if (part == Part::Config || withJob) c[key] = toJson(value);
    });
    // derived, written for the reader: the chain order the accounting implies
    c["order"] = green::orderName(green::chainOrder(job.options.accounting));
    return c;
}

/// Runs before the order followed the accounting could pair them freely; such a run cannot be
/// continued with the plans it started with, so it is refused rather than silently re-planned.
void refuseRetiredOrder(const TrainJob& job, const nlohmann::json& c) {
    const std::string implied = green::orderName(green::chainOrder(job.options.accounting));
    const std::string order = c.value("order", implied);
    if (order != implied)
        throw std::runtime_error(
            "this run pairs " + green::accountingName(job.options.accounting) +
            " accounting with the " + order +
            " order, which mis-states what its plans cost; it cannot be continued (start a new "
            "run)");
}

} // namespace

nlohmann::json configJson(const TrainJob& job) {
    return fieldsJson(job, false);
}

nlohmann::json jobToJson(const TrainJob& job) {
    return fieldsJson(job, true);
}

TrainJob jobFromJson(const nlohmann::json& c) {
    TrainJob job;
    // a key an older version did not write keeps its default
    if (!c.is_object()) throw std::invalid_argument("the job is not a JSON object");
    visitFields(job, [&](const char* key, auto& value, Part) {
        if (!c.contains(key)) return;
        try {
            fromJson(c.at(key), value);
        } catch (const std::exception& e) {
            throw std::invalid_argument(std::string("field '") + key + "': " + e.what());
        }
    });
    refuseRetiredOrder(job, c);
    return job;
}

} // namespace gt::api
