#include "core/store/sqlite_db.h"

#include <sqlite3.h>

namespace gt::store {

Database::Database(const std::filesystem::path& file, bool readOnly)
    : m_file(file) {
    const int flags = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(file.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        const std::string why = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
        sqlite3_close(m_db);
        m_db = nullptr;
        throw StoreError(file.string() + ": cannot open the run store (" + why + ")", rc & 0xff);
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, 5000); // a concurrent writer holds the lock only briefly
}

Database::~Database() {
    sqlite3_close_v2(m_db);
}

void Database::fail(int rc, const std::string& sql) const {
    std::string msg = m_file.string() + ": " + sqlite3_errmsg(m_db);
    if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
        msg += " - the run store is damaged (truncated or overwritten); restore a backup, or "
               "salvage it with `sqlite3 " +
               m_file.string() + " .recover`";
    else if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        msg += " - another process (a gt command, the workbench or an SQLite tool) held the "
               "run store for more than 5 s; nothing was changed, try again when it is done";
    else if ((rc & 0xff) == SQLITE_FULL)
        msg += " - the disk (or the store's size limit) is full; the last batch was not stored";
    else if (!sql.empty())
        msg += " (in: " + sql.substr(0, 200) + ")";
    throw StoreError(msg, rc & 0xff);
}

void Database::exec(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        sqlite3_free(err);
        fail(rc, sql);
    }
}

Statement Database::prepare(const std::string& sql) {
    return Statement(*this, sql);
}
int64_t Database::lastInsertId() const {
    return sqlite3_last_insert_rowid(m_db);
}
int Database::changes() const {
    return sqlite3_changes(m_db);
}

Statement::Statement(Database& db, const std::string& sql)
    : m_db(&db)
    , m_sql(sql) {
    const int rc = sqlite3_prepare_v2(db.handle(), sql.c_str(), -1, &m_stmt, nullptr);
    if (rc != SQLITE_OK) db.fail(rc, sql);
}

Statement::Statement(Statement&& other) noexcept
    : m_db(other.m_db)
    , m_stmt(other.m_stmt)
    , m_sql(std::move(other.m_sql)) {
    other.m_stmt = nullptr;
}

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

Statement& Statement::bind(int index, int64_t v) {
    sqlite3_bind_int64(m_stmt, index, v);
    return *this;
}
Statement& Statement::bind(int index, double v) {
    sqlite3_bind_double(m_stmt, index, v);
    return *this;
}
Statement& Statement::bind(int index, const std::string& v) {
    sqlite3_bind_text(m_stmt, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
}
Statement& Statement::bind(int index, std::nullopt_t) {
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(m_stmt);
    m_db->fail(rc, m_sql);
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int64_t Statement::columnInt(int i) const {
    return sqlite3_column_int64(m_stmt, i);
}
double Statement::columnDouble(int i) const {
    return sqlite3_column_double(m_stmt, i);
}
std::string Statement::columnText(int i) const {
    const auto* p = sqlite3_column_text(m_stmt, i);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<size_t>(sqlite3_column_bytes(m_stmt, i)))
             : std::string();
}
bool Statement::columnIsNull(int i) const {
    return sqlite3_column_type(m_stmt, i) == SQLITE_NULL;
}

Transaction::Transaction(Database& db)
    : m_db(db) {
    m_db.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (!m_done) sqlite3_exec(m_db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    m_db.exec("COMMIT");
    m_done = true;
}

} // namespace gt::store
