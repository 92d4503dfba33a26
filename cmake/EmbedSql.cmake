# Writes OUTPUT, a C++ source defining gt::store::embeddedMigrations(): the numbered SQL files
# in resources/sql, in order, as raw string literals. Run at build time (script mode).
file(GLOB files "${SQL_DIR}/[0-9][0-9][0-9]_*.sql")
list(SORT files)
set(body "")
foreach(f ${files})
    file(READ "${f}" sql)
    get_filename_component(name "${f}" NAME)
    string(APPEND body "        {\"${name}\", R\"gtsql(${sql})gtsql\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp"
"// Generated from resources/sql by cmake/EmbedSql.cmake. Do not edit.\n"
"#include \"core/store/migrations.h\"\n\n"
"namespace gt::store {\n\n"
"const std::vector<Migration>& embeddedMigrations() {\n"
"    static const std::vector<Migration> migrations = {\n${body}    };\n"
"    return migrations;\n}\n\n} // namespace gt::store\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
