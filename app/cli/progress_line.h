// The one progress line long commands print on stderr: redrawn in place on a terminal, one
// line per update when stderr is a file or a pipe (logs stay readable, CI output too).
#pragma once

#include <iosfwd>
#include <string>

namespace gt::cli {

class ProgressLine {
public:
    /// Interactive when stderr is a terminal.
    explicit ProgressLine(std::ostream& err);
    ProgressLine(std::ostream& err, bool interactive);
    /// Ends a line left open on a terminal, so what follows starts on its own line.
    ~ProgressLine();
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;

    bool interactive() const { return m_tty; }
    /// Replaces the line on a terminal; elsewhere prints it as a line of its own.
    void update(const std::string& text);
    /// A line that stays on screen (e.g. one with a validation result).
    void keep(const std::string& text);
    /// Ends a line left open on a terminal (the destructor does too).
    void done();
    /// "ETA 0:01:05" from the work done so far and the time it took.
    static std::string eta(double elapsedSeconds, double done, double total);

private:
    std::ostream& m_err;
    bool m_tty;
    bool m_open = false;
};

} // namespace gt::cli
