// Trainer checkpoints (llm.c's lesson): everything needed to continue bit-for-bit -- weights,
// AdamW state, plan, importance, step, and the state of the random generator that dropout
// (LoRA's, a model's own) and the importance probe draw from -- written to a temporary directory
// that is renamed into place only when complete, so a crash never leaves a half checkpoint under
// the real name.
#include "core/green/budget.h"
#include "core/io/safetensors_file.h"
#include "core/train/trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <mutex>

namespace fs = std::filesystem;

namespace gt::train {
namespace {
constexpr const char* kFormat = "greentrainer-checkpoint";
constexpr int kVersion = 2; // 2: rng.pt and plan_epoch

/// The default CPU generator's state (dropout masks are drawn from it).
torch::Tensor generatorState() {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    return gen.get_state();
}

/// fsync of a file or a directory (a directory's entries: the rename itself).
void syncToDisk(const fs::path& p) {
    const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error(p.string() + ": cannot open to sync it to disk");
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) throw std::runtime_error(p.string() + ": sync to disk failed (disk full?)");
}

/// LibTorch's message without its backtrace, first line only.
std::string shortMessage(const c10::Error& e) {
    const std::string m = e.what_without_backtrace();
    return m.substr(0, m.find('\n'));
}

/// torch::load that names the file: LibTorch's own error is a stack trace.
template <typename T> void loadTorchFile(T& target, const fs::path& file) {
    try {
        torch::load(target, file.string());
    } catch (const c10::Error& e) {
        throw std::runtime_error(
            file.string() + ": unreadable (truncated, or not written by gt): " + shortMessage(e));
    }
}

void restoreGenerator(const torch::Tensor& state, const fs::path& file) {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    try {
        gen.set_state(state);
    } catch (const c10::Error& e) {
        throw std::runtime_error(file.string() + ": not a random generator state (" +
                                 shortMessage(e) + ")");
    }
}
} // namespace

void Trainer::saveCheckpoint(const fs::path& dir, const std::string& extraJson) const {
    const fs::path tmp = dir.string() + ".tmp-" + std::to_string(getpid());
    fs::remove_all(tmp);
    fs::create_directories(tmp);
    std::vector<torch::Tensor> keep;
    std::vector<io::TensorData> tensors;
    for (const auto& p : m_model->named_parameters()) {
        auto t = p.value().detach().to(torch::kFloat).contiguous();
        keep.push_back(t);
        tensors.push_back({p.key(), io::DType::F32, t.sizes().vec(), t.data_ptr(),
                           static_cast<size_t>(t.numel()) * 4});
    }
    io::writeSafetensors(tmp / "model.safetensors", tensors, {{"format", "pt"}});
    if (const std::string file = m_method->stateFile(); !file.empty()) {
        // the method's own tensors (LoRA: peft's <module>.lora_A.weight / .lora_B.weight)
        std::vector<io::TensorData> own;
        for (const auto& [name, t] : m_method->stateTensors()) {
            auto c = t.detach().to(torch::kFloat).contiguous();
            keep.push_back(c);
            own.push_back({name, io::DType::F32, c.sizes().vec(), c.data_ptr(),
                           static_cast<size_t>(c.numel()) * 4});
        }
        io::writeSafetensors(tmp / file, own, {{"format", "pt"}});
    }
    torch::save(*m_optimizer, (tmp / "optimizer.pt").string());
    torch::save(generatorState(), (tmp / "rng.pt").string());
    nlohmann::json state = {{"format", kFormat},
                            {"version", kVersion},
                            {"step", m_step},
                            {"round", m_round},
                            {"plan_epoch", m_planEpoch},
                            {"plan_step", m_planStep},
                            {"total_steps", m_totalSteps},
                            {"selected", m_plan.selected},
                            {"importance", m_importance},
                            {"plan_method", m_plan.method},
                            {"plan_selector", m_plan.selector},
                            {"plan_rho", m_plan.rho},
                            {"extra", nlohmann::json::parse(extraJson)}};
    {
        std::ofstream out(tmp / "state.json");
        out << state.dump(1);
        if (!out)
            throw std::runtime_error((tmp / "state.json").string() + ": write failed (disk full?)");
    }
    // On disk before it is renamed, so that a power cut cannot leave a complete-looking
    // checkpoint whose files were still in the page cache.
    for (const auto& e : fs::directory_iterator(tmp))
        syncToDisk(e.path());
    syncToDisk(tmp);
    // Swap in: the old checkpoint is removed only after the new one has its final name.
    const fs::path old = dir.string() + ".old-" + std::to_string(getpid());
    if (fs::exists(dir)) fs::rename(dir, old);
    fs::rename(tmp, dir);
    syncToDisk(dir.parent_path().empty() ? fs::path(".") : dir.parent_path());
    fs::remove_all(old);
}

std::string Trainer::loadCheckpoint(const fs::path& dir) {
    const fs::path statePath = dir / "state.json";
    std::ifstream in(statePath);
    if (!in)
        throw std::runtime_error(statePath.string() +
                                 ": no checkpoint here (state.json is missing)");
    const auto state = nlohmann::json::parse(in, nullptr, false);
    if (state.is_discarded() || state.value("format", "") != kFormat)
        throw std::runtime_error(statePath.string() + ": not a GreenTrainer checkpoint");
    if (state.value("version", 0) > kVersion)
        throw std::runtime_error(statePath.string() + ": checkpoint version " +
                                 std::to_string(state.value("version", 0)) +
                                 " is newer than this build understands");
    const auto weights = io::SafetensorsFile::open(dir / "model.safetensors");
    {
        torch::NoGradGuard noGrad;
        for (auto& p : m_model->named_parameters()) {
            const io::TensorView* v = weights.find(p.key());
            if (!v || v->dtype != io::DType::F32 || v->shape != p.value().sizes().vec())
                throw std::runtime_error((dir / "model.safetensors").string() + ": tensor '" +
                                         p.key() + "' is missing or does not fit this model");
            p.value().copy_(torch::from_blob(v->data, v->shape, torch::kFloat));
        }
    }
    if (const std::string name = m_method->stateFile(); !name.empty()) {
        const auto file = dir / name;
        const auto own = io::SafetensorsFile::open(file);
        torch::NoGradGuard noGrad;
        for (auto& [key, t] : m_method->stateTensors()) {
            const io::TensorView* v = own.find(key);
            if (!v || v->dtype != io::DType::F32 || v->shape != t.sizes().vec())
                throw std::runtime_error(file.string() + ": tensor '" + key +
                                         "' is missing or does not fit (other " +
                                         methodName(m_options.method) + " settings?)");
            t.copy_(torch::from_blob(v->data, v->shape, torch::kFloat));
        }
    }
    loadTorchFile(*m_optimizer, dir / "optimizer.pt");
    if (fs::exists(dir / "rng.pt")) { // version 1 has none: dropout masks then differ
        torch::Tensor rng;
        loadTorchFile(rng, dir / "rng.pt");
        restoreGenerator(rng, dir / "rng.pt");
    }
    m_step = state.at("step").get<int64_t>();
    m_round = state.at("round").get<int>();
    m_planEpoch = state.value("plan_epoch", int64_t{-1});
    m_planStep = state.value("plan_step", int64_t{-1});
    m_importance = state.at("importance").get<std::vector<double>>();
    m_plan.selected = state.at("selected").get<std::vector<uint8_t>>();
    if (m_plan.selected.size() != m_catalogue.size())
        throw std::runtime_error(statePath.string() + ": the plan is for a different model");
    m_plan.method = state.value("plan_method", "");
    m_plan.selector = state.value("plan_selector", "");
    m_plan.rho = state.value("plan_rho", 1.0);
    green::finishPlan(m_plan, m_costs, green::backpropChain(m_catalogue, m_costs),
                      m_importance.empty() ? nullptr : &m_importance);
    m_plan = m_method->restorePlan(std::move(m_plan), m_importance, m_round);
    applyPlan();
    return state.at("extra").dump();
}

} // namespace gt::train
