// Schema migrations: numbered SQL files from resources/sql, embedded into the binary at build
// time. The schema version is PRAGMA user_version; migration N brings it from N-1 to N.
#pragma once

#include <string>
#include <vector>

namespace gt::store {

class Database;

struct Migration {
    std::string name; ///< file name, "001_runs_and_metrics.sql"
    std::string sql;
};

const std::vector<Migration>& embeddedMigrations();

int schemaVersion(Database& db);
/// Applies the migrations after the current version up to `target` (default: all), each in
/// its own transaction together with the version bump.
void migrate(Database& db, int target = -1);

} // namespace gt::store
