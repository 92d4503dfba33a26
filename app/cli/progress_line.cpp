#include "app/cli/progress_line.h"

#include "app/cli/text_table.h"

#include <unistd.h>

#include <ostream>

namespace gt::cli {

ProgressLine::ProgressLine(std::ostream& err)
    : ProgressLine(err, isatty(STDERR_FILENO) != 0) {}

ProgressLine::ProgressLine(std::ostream& err, bool interactive)
    : m_err(err)
    , m_tty(interactive) {}

ProgressLine::~ProgressLine() {
    done();
}

void ProgressLine::done() {
    if (m_open) m_err << "\n" << std::flush;
    m_open = false;
}

void ProgressLine::update(const std::string& text) {
    if (m_tty) {
        // trailing blanks wipe what a longer previous line left behind
        m_err << "\r" << text << "   " << std::flush;
        m_open = true;
    } else {
        m_err << text << "\n" << std::flush;
    }
}

void ProgressLine::keep(const std::string& text) {
    m_err << (m_tty ? "\r" : "") << text << "\n" << std::flush;
    m_open = false;
}

std::string ProgressLine::eta(double elapsedSeconds, double done, double total) {
    const double left = done > 0 ? elapsedSeconds / done * (total - done) : 0.0;
    return "ETA " + TextTable::clock(left);
}

} // namespace gt::cli
