#include "core/model/kv_prefix.h"

#include <stdexcept>

namespace gt::model {
namespace {
constexpr const char* kTensor = "prefix.key_values";

std::string shapeText(const std::vector<int64_t>& s) {
    std::string out = "(";
    for (size_t i = 0; i < s.size(); ++i)
        out += (i ? ", " : "") + std::to_string(s[i]);
    return out + ")";
}
} // namespace

FixedKvPrefix::FixedKvPrefix(torch::Tensor keyValues)
    : m_kv(std::move(keyValues)) {
    if (m_kv.dim() != 4)
        throw std::invalid_argument("prefix: keys and values must be (2L, H, Np, d), got " +
                                    shapeText(m_kv.sizes().vec()));
}

void saveKvPrefix(const std::filesystem::path& file, const torch::Tensor& keyValues) {
    const auto t = keyValues.detach().to(torch::kFloat).contiguous();
    io::writeSafetensors(file,
                         {{kTensor, io::DType::F32, t.sizes().vec(), t.data_ptr(),
                           static_cast<size_t>(t.numel()) * 4}},
                         {{"format", "pt"}, {"virtual_tokens", std::to_string(t.size(2))}});
}

std::shared_ptr<KvPrefix> loadKvPrefix(const std::filesystem::path& file,
                                       const io::ModelConfig& c) {
    const auto st = io::SafetensorsFile::open(file);
    const io::TensorView* v = st.find(kTensor);
    if (!v || v->dtype != io::DType::F32)
        throw std::runtime_error(file.string() + ": no float32 tensor '" + kTensor + "'");
    const int64_t heads = c.numKeyValueHeads > 0 ? c.numKeyValueHeads : c.numHeads;
    if (v->shape.size() != 4 || v->shape[0] != 2 * c.numLayers || v->shape[1] != heads ||
        v->shape[3] != c.headDim() || v->shape[2] < 1)
        throw std::runtime_error(file.string() + ": '" + kTensor + "' is " + shapeText(v->shape) +
                                 ", this model needs (" + std::to_string(2 * c.numLayers) + ", " +
                                 std::to_string(heads) + ", tokens, " +
                                 std::to_string(c.headDim()) + ")");
    auto kv = torch::from_blob(v->data, v->shape, torch::kFloat).clone();
    return std::make_shared<FixedKvPrefix>(std::move(kv));
}

} // namespace gt::model
