// Command-line parsing for `gt` subcommands: long options (--name VALUE or --name=VALUE),
// flags, positionals, generated help. Errors are UsageError (exit code 2 at the top level).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace gt::cli {

/// A malformed command line: unknown option, missing value, bad number. Exit code 2.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ArgParser {
public:
    /// `command` is the full invocation shown in usage lines, e.g. "gt doctor".
    ArgParser(std::string command, std::string summary);

    ArgParser& flag(std::string name, std::string help);
    ArgParser& option(std::string name, std::string valueName, std::string help,
                      std::optional<std::string> defaultValue = std::nullopt);
    ArgParser& positional(std::string name, std::string help, bool required = true);

    /// Parses `args` (without the program and subcommand names). Throws UsageError.
    /// `-h`/`--help` sets helpRequested() and skips the required-argument checks.
    void parse(const std::vector<std::string>& args);

    bool helpRequested() const { return m_help; }
    const std::string& command() const { return m_command; }
    /// True when a flag was given or an option/positional has a value (given or default).
    bool has(const std::string& name) const;
    /// The value of an option or positional; throws UsageError when it has none.
    std::string value(const std::string& name) const;
    /// Numeric values, range-checked; the message names the option and the range.
    long long intValue(const std::string& name, long long min, long long max) const;
    double doubleValue(const std::string& name, double min, double max) const;

    std::string help() const;

private:
    struct Spec {
        std::string name, valueName, help;
        bool isFlag = false, isPositional = false, required = false;
        std::optional<std::string> defaultValue;
        std::optional<std::string> value;
        bool seen = false;
    };
    Spec* findOption(const std::string& name);
    const Spec& spec(const std::string& name) const;
    void assign(Spec& s, const std::string& value);

    std::string m_command, m_summary;
    std::vector<Spec> m_specs;
    bool m_help = false;
};

} // namespace gt::cli
