// `gt`: dispatches subcommands, prints the top-level help and version, maps errors to exit
// codes (0 success, 1 failure with a message, 2 usage error, 130 interrupted).
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace gt::cli {

/// What a subcommand receives: its arguments (without "gt" and its own name) and streams.
struct CommandContext {
    std::vector<std::string> args;
    std::ostream& out;
    std::ostream& err;
};

struct Command {
    std::string name;
    std::string summary; ///< one line for `gt --help`
    std::function<int(CommandContext&)> run;
};

class CommandLineApp {
public:
    void add(Command command);
    /// Runs `gt ARGS...`; never throws.
    int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) const;
    std::string help() const;

private:
    const Command* find(const std::string& name) const;
    std::vector<Command> m_commands;
};

} // namespace gt::cli
