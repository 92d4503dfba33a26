// Opening a 1 GB safetensors file: time and resident memory. The file is memory-mapped, so
// opening should cost the header only and RSS should stay far below the file size until
// tensors are touched.   bench_safetensors [DIR]
#include "core/io/safetensors_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using Clock = std::chrono::steady_clock;

static double rssMb() {
    std::ifstream in("/proc/self/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    return -1;
}

int main(int argc, char** argv) {
    const std::filesystem::path dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path();
    const auto file = dir / "gt_bench_1gb.safetensors";
    constexpr size_t kTensors = 64, kFloats = 4 * 1024 * 1024; // 64 x 16 MiB = 1 GiB
    {
        std::vector<float> data(kFloats, 0.5f);
        std::vector<gt::io::TensorData> ts;
        for (size_t i = 0; i < kTensors; ++i)
            ts.push_back({"layers." + std::to_string(i) + ".weight",
                          gt::io::DType::F32,
                          {2048, 2048},
                          data.data(),
                          kFloats * 4});
        gt::io::writeSafetensors(file, ts);
        const int fd = ::open(file.c_str(), O_RDONLY);
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED); // cold-ish cache for the open below
        ::close(fd);
    }
    const double before = rssMb();
    const auto t0 = Clock::now();
    const auto f = gt::io::SafetensorsFile::open(file);
    const double openMs = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    const double afterOpen = rssMb();
    double sum = 0;
    const auto* first = reinterpret_cast<const float*>(f.tensors()[0].data);
    for (size_t i = 0; i < kFloats; ++i)
        sum += first[i];
    const double afterOne = rssMb();
    std::printf("file %.2f GB, %zu tensors: open %.2f ms\n", f.fileSize() / 1e9, f.tensors().size(),
                openMs);
    std::printf(
        "RSS: before %.1f MB, after open %.1f MB (+%.1f), after reading one 16 MiB tensor %.1f MB "
        "(+%.1f) [checksum %.0f]\n",
        before, afterOpen, afterOpen - before, afterOne, afterOne - before, sum);
    std::filesystem::remove(file);
    return 0;
}
