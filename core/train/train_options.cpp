#include "core/train/train_options.h"

#include "core/io/name_table.h"

#include <array>

namespace gt::train {
namespace {
constexpr io::NameTable kMethods("method", std::array<io::EnumName<Method>, 10>{
                                               {{Method::Full, "full"},
                                                {Method::GreenTrainer, "greentrainer"},
                                                {Method::GreenTrainer, "gt"},
                                                {Method::TopBlocks, "top-k-blocks"},
                                                {Method::TopBlocks, "top-k"},
                                                {Method::Lora, "lora"},
                                                {Method::Prefix, "prefix"},
                                                {Method::Lisa, "lisa"},
                                                {Method::Badam, "badam"},
                                                {Method::FreezeOut, "freezeout"}}});
} // namespace

std::string methodName(Method m) {
    return kMethods.name(m);
}

Method parseMethod(const std::string& s) {
    return kMethods.parse(s);
}

} // namespace gt::train
