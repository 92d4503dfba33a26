#include "core/model/causal_lm.h"

#include "core/io/weight_store.h"
#include "core/model/bloom.h"
#include "core/model/gpt2.h"
#include "core/model/kv_prefix.h"
#include "core/model/llama.h"
#include "core/model/opt.h"

#include <set>
#include <sstream>

namespace gt::model {
namespace {

torch::ScalarType torchType(io::DType d) {
    switch (d) {
    case io::DType::F64:
        return torch::kFloat64;
    case io::DType::F32:
        return torch::kFloat32;
    case io::DType::F16:
        return torch::kFloat16;
    case io::DType::BF16:
        return torch::kBFloat16;
    case io::DType::I64:
        return torch::kInt64;
    case io::DType::I32:
        return torch::kInt32;
    case io::DType::I16:
        return torch::kInt16;
    case io::DType::I8:
        return torch::kInt8;
    case io::DType::U8:
        return torch::kUInt8;
    case io::DType::Bool:
        return torch::kBool;
    }
    return torch::kFloat32;
}

std::string shapeText(c10::IntArrayRef s) {
    std::ostringstream o;
    o << s;
    return o.str();
}

std::string joinNames(const std::vector<std::string>& names, size_t max = 12) {
    std::string s;
    for (size_t i = 0; i < names.size() && i < max; ++i)
        s += (i ? ", " : "") + names[i];
    if (names.size() > max) s += " ... (" + std::to_string(names.size()) + " in all)";
    return s;
}

} // namespace

torch::Tensor tensorFromView(const io::TensorView& view) {
    // Zero-copy: the tensor aliases the private mapping, which the deleter keeps alive.
    auto owner = view.owner;
    return torch::from_blob(
        view.data, view.shape, [owner](void*) {},
        torch::TensorOptions().dtype(torchType(view.dtype)));
}

LmOutput CausalLMImpl::forward(const LmInput& in) {
    if (!m_prefix) return forwardTokens(in);
    KvCache local;
    LmInput x = in;
    x.cache = in.cache ? in.cache : &local;
    const int64_t batch = in.inputIds.size(0);
    if (x.cache->length() == 0) {
        const torch::Tensor kv = m_prefix->keyValues();
        const int64_t layers = kv.size(0) / 2;
        x.cache->keys.resize(static_cast<size_t>(layers));
        x.cache->values.resize(static_cast<size_t>(layers));
        for (int64_t l = 0; l < layers; ++l) {
            x.cache->keys[l] = kv[2 * l].unsqueeze(0).expand({batch, -1, -1, -1});
            x.cache->values[l] = kv[2 * l + 1].unsqueeze(0).expand({batch, -1, -1, -1});
        }
        x.cache->virtualLength = kv.size(2);
    }
    // The caller's mask covers its own tokens; the virtual ones are always attended to.
    const int64_t virt = x.cache->virtualLength;
    const auto opts = in.inputIds.options().dtype(torch::kLong);
    const auto own =
        in.attentionMask.defined()
            ? in.attentionMask.to(torch::kLong)
            : torch::ones({batch, x.cache->length() - virt + in.inputIds.size(1)}, opts);
    x.attentionMask = torch::cat({torch::ones({batch, virt}, opts), own}, 1);
    return forwardTokens(x);
}

torch::Tensor fullMask(const LmInput& in, int64_t past) {
    if (in.attentionMask.defined()) return in.attentionMask.to(torch::kLong);
    return torch::ones({in.inputIds.size(0), past + in.inputIds.size(1)},
                       in.inputIds.options().dtype(torch::kLong));
}

torch::Tensor causalLmLoss(const torch::Tensor& logits, const torch::Tensor& labels) {
    const int64_t v = logits.size(-1);
    auto shifted = logits.slice(1, 0, -1).reshape({-1, v}).to(torch::kFloat);
    auto targets = labels.slice(1, 1).reshape({-1});
    return torch::nn::functional::cross_entropy(
        shifted, targets, torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-100));
}

std::shared_ptr<CausalLMImpl> createCausalLM(const io::ModelConfig& config) {
    switch (config.architecture) {
    case io::Architecture::Opt:
        return std::make_shared<OptForCausalLM>(config);
    case io::Architecture::Bloom:
        return std::make_shared<BloomForCausalLM>(config);
    case io::Architecture::Llama:
        return std::make_shared<LlamaForCausalLM>(config);
    case io::Architecture::Gpt2:
        return std::make_shared<Gpt2LMHeadModel>(config);
    }
    throw std::invalid_argument("unsupported architecture");
}

void loadWeights(CausalLMImpl& model, const io::WeightStore& store) {
    const std::string where = store.path().string();
    // HF omits tied heads from the file; nothing else may be missing or left over.
    std::set<std::string> unused;
    for (const auto& n : store.names())
        unused.insert(n);
    for (const char* tied : {"lm_head.weight"})
        unused.erase(tied);
    std::vector<std::string> missing, mismatched;
    torch::NoGradGuard noGrad;
    for (auto& p : model.named_parameters()) {
        const io::TensorView* view = store.find(p.key());
        if (!view) {
            missing.push_back(p.key());
            continue;
        }
        unused.erase(p.key());
        auto t = tensorFromView(*view);
        if (t.sizes() != p.value().sizes()) {
            mismatched.push_back(p.key() + " " + shapeText(t.sizes()) + " (config expects " +
                                 shapeText(p.value().sizes()) + ")");
            continue;
        }
        if (!t.is_floating_point())
            throw std::runtime_error(where + ": tensor '" + p.key() + "' has integer dtype " +
                                     io::dtypeName(view->dtype) + ", expected a float type");
        p.value().copy_(t); // converts F16/BF16 to the model's float32
    }
    std::string problems;
    if (!missing.empty()) problems += "\n  missing tensors: " + joinNames(missing);
    if (!mismatched.empty())
        problems += "\n  shapes that disagree with config.json: " + joinNames(mismatched);
    if (!unused.empty())
        problems += "\n  unexpected tensors: " + joinNames({unused.begin(), unused.end()});
    if (!problems.empty())
        throw std::runtime_error(where + ": weights do not match the model" + problems);
}

std::shared_ptr<CausalLMImpl> loadCausalLM(const std::filesystem::path& dir) {
    const io::ModelConfig config = io::loadModelConfig(dir);
    auto model = createCausalLM(config);
    loadWeights(*model, io::WeightStore::open(dir));
    // A prefix-tuned export carries its virtual keys and values beside the weights.
    if (std::filesystem::exists(dir / kPrefixFile))
        model->setPrefix(loadKvPrefix(dir / kPrefixFile, config));
    model->eval();
    return model;
}

} // namespace gt::model
