#include "core/store/migrations.h"

#include "core/store/sqlite_db.h"

namespace gt::store {

int schemaVersion(Database& db) {
    Statement s = db.prepare("PRAGMA user_version");
    s.step();
    return static_cast<int>(s.columnInt(0));
}

void migrate(Database& db, int target) {
    const auto& all = embeddedMigrations();
    const int last = target < 0 ? static_cast<int>(all.size()) : target;
    for (int v = schemaVersion(db); v < last; ++v) {
        Transaction tx(db);
        db.exec(all[v].sql);
        db.exec("PRAGMA user_version = " + std::to_string(v + 1));
        tx.commit();
    }
}

} // namespace gt::store
