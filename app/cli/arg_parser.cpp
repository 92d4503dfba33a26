#include "app/cli/arg_parser.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace gt::cli {

ArgParser::ArgParser(std::string command, std::string summary)
    : m_command(std::move(command))
    , m_summary(std::move(summary)) {}

ArgParser& ArgParser::flag(std::string name, std::string help) {
    Spec s;
    s.name = std::move(name);
    s.help = std::move(help);
    s.isFlag = true;
    m_specs.push_back(std::move(s));
    return *this;
}

ArgParser& ArgParser::option(std::string name, std::string valueName, std::string help,
                             std::optional<std::string> defaultValue) {
    Spec s;
    s.name = std::move(name);
    s.valueName = std::move(valueName);
    s.help = std::move(help);
    s.defaultValue = std::move(defaultValue);
    m_specs.push_back(std::move(s));
    return *this;
}

ArgParser& ArgParser::positional(std::string name, std::string help, bool required) {
    Spec s;
    s.name = std::move(name);
    s.help = std::move(help);
    s.isPositional = true;
    s.required = required;
    m_specs.push_back(std::move(s));
    return *this;
}

ArgParser::Spec* ArgParser::findOption(const std::string& name) {
    auto it = std::find_if(m_specs.begin(), m_specs.end(),
                           [&](const Spec& s) { return !s.isPositional && s.name == name; });
    return it == m_specs.end() ? nullptr : &*it;
}

const ArgParser::Spec& ArgParser::spec(const std::string& name) const {
    auto it =
        std::find_if(m_specs.begin(), m_specs.end(), [&](const Spec& s) { return s.name == name; });
    if (it == m_specs.end())
        throw std::logic_error(m_command + ": no argument named '" + name + "' was declared");
    return *it;
}

void ArgParser::assign(Spec& s, const std::string& value) {
    if (s.seen && !s.isFlag)
        throw UsageError(m_command + ": --" + s.name + " given more than once");
    s.seen = true;
    s.value = value;
}

void ArgParser::parse(const std::vector<std::string>& args) {
    auto nextPositional = m_specs.begin();
    bool onlyPositionals = false;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (!onlyPositionals && (a == "-h" || a == "--help")) {
            m_help = true;
            return;
        }
        if (!onlyPositionals && a == "--") {
            onlyPositionals = true;
            continue;
        }
        if (!onlyPositionals && a.size() > 1 && a[0] == '-') {
            const bool isLong = a.rfind("--", 0) == 0;
            const auto eq = a.find('=');
            const std::string name =
                a.substr(isLong ? 2 : 1,
                         eq == std::string::npos ? std::string::npos : eq - (isLong ? 2 : 1));
            Spec* s = isLong ? findOption(name) : nullptr;
            if (!s)
                throw UsageError(m_command + ": unknown option '" + a + "' (see '" + m_command +
                                 " --help')");
            if (s->isFlag) {
                if (eq != std::string::npos)
                    throw UsageError(m_command + ": --" + name + " takes no value");
                assign(*s, "1");
            } else if (eq != std::string::npos) {
                assign(*s, a.substr(eq + 1));
            } else if (i + 1 < args.size()) {
                assign(*s, args[++i]);
            } else {
                throw UsageError(m_command + ": --" + name + " needs a value (" + s->valueName +
                                 ")");
            }
            continue;
        }
        nextPositional = std::find_if(nextPositional, m_specs.end(),
                                      [](const Spec& s) { return s.isPositional && !s.seen; });
        if (nextPositional == m_specs.end())
            throw UsageError(m_command + ": unexpected argument '" + a + "'");
        assign(*nextPositional, a);
    }
    for (const Spec& s : m_specs)
        if (s.isPositional && s.required && !s.seen)
            throw UsageError(m_command + ": missing argument <" + s.name + ">");
}

bool ArgParser::has(const std::string& name) const {
    const Spec& s = spec(name);
    return s.value.has_value() || s.defaultValue.has_value();
}

std::string ArgParser::value(const std::string& name) const {
    const Spec& s = spec(name);
    if (s.value) return *s.value;
    if (s.defaultValue) return *s.defaultValue;
    throw UsageError(m_command + ": " + (s.isPositional ? "<" + name + ">" : "--" + name) +
                     " is required");
}

long long ArgParser::intValue(const std::string& name, long long min, long long max) const {
    const std::string v = value(name);
    char* end = nullptr;
    errno = 0;
    const long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno == ERANGE || n < min || n > max)
        throw UsageError(m_command + ": --" + name + " expects an integer in [" +
                         std::to_string(min) + ", " + std::to_string(max) + "], got '" + v + "'");
    return n;
}

double ArgParser::doubleValue(const std::string& name, double min, double max) const {
    const std::string v = value(name);
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || !std::isfinite(d) || d < min || d > max) {
        std::ostringstream msg;
        msg << m_command << ": --" << name << " expects a number in [" << min << ", " << max
            << "], got '" << v << "'";
        throw UsageError(msg.str());
    }
    return d;
}

std::string ArgParser::help() const {
    std::ostringstream out;
    out << "Usage: " << m_command << " [options]";
    for (const Spec& s : m_specs)
        if (s.isPositional) out << (s.required ? " <" : " [") << s.name << (s.required ? ">" : "]");
    out << "\n\n" << m_summary << "\n";
    bool any = false;
    for (const Spec& s : m_specs) {
        if (s.isPositional) continue;
        if (!any) out << "\nOptions:\n";
        any = true;
        std::string left = "  --" + s.name + (s.isFlag ? "" : " " + s.valueName);
        left.resize(std::max<size_t>(left.size() + 2, 28), ' ');
        out << left << s.help;
        if (s.defaultValue) out << " (default: " << *s.defaultValue << ")";
        out << "\n";
    }
    out << "  -h, --help                show this help\n";
    return out.str();
}

} // namespace gt::cli
