// What the crash tests check after a SIGKILL: the store file's integrity and whether two
// safetensors files hold bit-identical tensors.
#pragma once

#include "core/io/safetensors_file.h"

#include <QString>

#include <sqlite3.h>

#include <cstring>
#include <string>

namespace gt::test {

/// PRAGMA integrity_check of the SQLite file at `db`, read-only ("ok" when sound).
inline QString integrityCheck(const QString& db) {
    sqlite3* h = nullptr;
    QString result = "cannot open";
    if (sqlite3_open_v2(db.toUtf8().constData(), &h, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* s = nullptr;
        sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &s, nullptr);
        result = sqlite3_step(s) == SQLITE_ROW
                     ? QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)))
                     : "no answer";
        sqlite3_finalize(s);
    }
    sqlite3_close(h);
    return result;
}

/// Empty when both files hold the same tensors, byte for byte; else the first difference.
inline std::string weightsDiffer(const std::string& a, const std::string& b) {
    const auto fa = io::SafetensorsFile::open(a);
    const auto fb = io::SafetensorsFile::open(b);
    if (fa.tensors().size() != fb.tensors().size()) return "different tensor counts";
    for (const auto& t : fa.tensors()) {
        const auto* u = fb.find(t.name);
        if (!u || u->bytes != t.bytes || std::memcmp(t.data, u->data, t.bytes) != 0) return t.name;
    }
    return {};
}

} // namespace gt::test
