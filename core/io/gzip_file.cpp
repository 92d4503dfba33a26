#include "core/io/gzip_file.h"

#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace fs = std::filesystem;

namespace gt::io {
namespace {

struct GzCloser {
    void operator()(gzFile f) const { gzclose(f); }
};
using GzHandle = std::unique_ptr<gzFile_s, GzCloser>;

} // namespace

std::string readMaybeGzip(const fs::path& file) {
    // gzread passes non-gzip files through unchanged, so one path reads both.
    GzHandle f(gzopen(file.c_str(), "rb"));
    if (!f)
        throw std::runtime_error(file.string() + ": cannot open (" +
                                 (fs::exists(file) ? "permission denied" : "no such file") + ")");
    gzbuffer(f.get(), 1 << 17);
    std::string out;
    char buf[1 << 16];
    for (;;) {
        const int n = gzread(f.get(), buf, sizeof buf);
        if (n < 0) {
            int code = 0;
            const char* msg = gzerror(f.get(), &code);
            throw std::runtime_error(file.string() + ": cannot decompress (" +
                                     std::string(msg ? msg : "zlib error") + ")");
        }
        if (n == 0) break;
        out.append(buf, static_cast<size_t>(n));
    }
    // zlib reports an input that ends inside a gzip stream (a truncated download, a copy cut
    // short) only through gzerror: Z_BUF_ERROR after the last read; gzread returns what it got.
    int code = Z_OK;
    const char* msg = gzerror(f.get(), &code);
    if (code == Z_BUF_ERROR)
        throw std::runtime_error(file.string() +
                                 ": truncated gzip data (the file ends inside the compressed "
                                 "stream; it was cut short while copying or downloading)");
    if (code != Z_OK)
        throw std::runtime_error(file.string() + ": corrupt gzip data (" +
                                 std::string(msg ? msg : "zlib error") + ")");
    return out;
}

void writeGzip(const fs::path& file, std::string_view data) {
    const fs::path tmp = file.string() + ".tmp";
    {
        GzHandle f(gzopen(tmp.c_str(), "wb9"));
        if (!f) throw std::runtime_error(tmp.string() + ": cannot create");
        size_t done = 0;
        while (done < data.size()) {
            const auto chunk = static_cast<unsigned>(std::min<size_t>(data.size() - done, 1 << 20));
            if (gzwrite(f.get(), data.data() + done, chunk) != static_cast<int>(chunk))
                throw std::runtime_error(tmp.string() + ": write failed (disk full?)");
            done += chunk;
        }
        if (gzclose(f.release()) != Z_OK)
            throw std::runtime_error(tmp.string() + ": write failed (disk full?)");
    }
    fs::rename(tmp, file);
}

} // namespace gt::io
