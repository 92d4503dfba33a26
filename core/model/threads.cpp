#include "core/model/threads.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <thread>

namespace gt::model {

int hardwareThreads() {
    return std::max(1u, std::thread::hardware_concurrency());
}

int configureTorchThreads(int requested) {
    const int n = requested > 0 ? requested : hardwareThreads();
    at::set_num_threads(n);
    return at::get_num_threads();
}

} // namespace gt::model
