#include "app/cli/command_line_app.h"

#include "app/cli/arg_parser.h"
#include "core/io/version.h"

#include <algorithm>
#include <ostream>

namespace gt::cli {

void CommandLineApp::add(Command command) {
    m_commands.push_back(std::move(command));
}

const Command* CommandLineApp::find(const std::string& name) const {
    auto it = std::find_if(m_commands.begin(), m_commands.end(),
                           [&](const Command& c) { return c.name == name; });
    return it == m_commands.end() ? nullptr : &*it;
}

std::string CommandLineApp::help() const {
    std::string s =
        "Usage: gt <command> [options]\n\n"
        "GreenTrainer Workbench, headless: energy-aware fine-tuning of language models\n"
        "by adaptive backpropagation (train only the tensors worth their cost).\n\n"
        "Commands:\n";
    for (const Command& c : m_commands) {
        std::string left = "  " + c.name;
        left.resize(std::max<size_t>(left.size() + 2, 16), ' ');
        s += left + c.summary + "\n";
    }
    s += "\nOptions:\n"
         "  -h, --help    show this help ('gt <command> --help' for a command's options)\n"
         "  --version     print the version and exit\n";
    return s;
}

int CommandLineApp::run(const std::vector<std::string>& args, std::ostream& out,
                        std::ostream& err) const {
    if (args.empty()) {
        err << help();
        return 2;
    }
    const std::string& first = args.front();
    if (first == "-h" || first == "--help") {
        out << help();
        return 0;
    }
    if (first == "--version") {
        out << "gt " << io::versionString() << "\n" << io::buildDescription() << "\n";
        return 0;
    }
    if (first == "help") {
        const Command* c = args.size() > 1 ? find(args[1]) : nullptr;
        if (args.size() > 1 && !c) {
            err << "gt: unknown command '" << args[1] << "' (see 'gt --help')\n";
            return 2;
        }
        if (!c) {
            out << help();
            return 0;
        }
        CommandContext ctx{{"--help"}, out, err};
        return c->run(ctx);
    }
    const Command* c = find(first);
    if (!c) {
        err << "gt: " << (first.rfind("-", 0) == 0 ? "unknown option '" : "unknown command '")
            << first << "' (see 'gt --help')\n";
        return 2;
    }
    CommandContext ctx{{args.begin() + 1, args.end()}, out, err};
    try {
        return c->run(ctx);
    } catch (const UsageError& e) {
        err << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        err << "gt " << c->name << ": error: " << e.what() << "\n";
        return 1;
    }
}

} // namespace gt::cli
