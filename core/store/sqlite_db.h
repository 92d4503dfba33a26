// Thin RAII over the sqlite3 C API: a connection, prepared statements, and a transaction that
// rolls back unless committed. Errors throw StoreError carrying sqlite3_errmsg and the SQL.
// A Database belongs to one thread at a time (the store opens one connection per thread).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace gt::store {

class StoreError : public std::runtime_error {
public:
    StoreError(const std::string& message, int code = 0)
        : std::runtime_error(message)
        , m_code(code) {}
    /// The primary SQLite result code (SQLITE_FULL, SQLITE_NOTADB, ...), 0 if none.
    int code() const { return m_code; }

private:
    int m_code;
};

class Statement;

class Database {
public:
    /// Opens (creating it unless `readOnly`) the database file.
    Database(const std::filesystem::path& file, bool readOnly);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(const std::string& sql);
    Statement prepare(const std::string& sql);
    int64_t lastInsertId() const;
    int changes() const;
    const std::filesystem::path& file() const { return m_file; }
    sqlite3* handle() const { return m_db; }

    /// Throws StoreError for `rc` with the connection's message and the SQL that failed.
    [[noreturn]] void fail(int rc, const std::string& sql) const;

private:
    std::filesystem::path m_file;
    sqlite3* m_db = nullptr;
};

class Statement {
public:
    Statement(Database& db, const std::string& sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& operator=(Statement&&) = delete;

    Statement& bind(int index, int64_t v);
    Statement& bind(int index, int v) { return bind(index, static_cast<int64_t>(v)); }
    Statement& bind(int index, double v);
    Statement& bind(int index, const std::string& v);
    Statement& bind(int index, const char* v) { return bind(index, std::string(v)); }
    Statement& bind(int index, std::nullopt_t);
    template <typename T> Statement& bind(int index, const std::optional<T>& v) {
        return v ? bind(index, *v) : bind(index, std::nullopt);
    }

    /// Advances; true while a row is available.
    bool step();
    /// Runs a statement that returns no rows.
    void run();
    void reset();

    int64_t columnInt(int i) const;
    double columnDouble(int i) const;
    std::string columnText(int i) const;
    bool columnIsNull(int i) const;

private:
    Database* m_db;
    sqlite3_stmt* m_stmt = nullptr;
    std::string m_sql;
};

/// BEGIN IMMEDIATE on construction; ROLLBACK in the destructor unless commit() ran.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& m_db;
    bool m_done = false;
};

} // namespace gt::store
