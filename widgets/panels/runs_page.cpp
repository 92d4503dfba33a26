#include "widgets/panels/runs_page.h"

namespace gt::widgets {

RunsPage::RunsPage(QWidget* parent)
    : WorkbenchPage(tr("Runs"),
                    tr("Every stored run: overlay curves, diff configurations, and compare ROUGE "
                       "against FLOPs, time and energy."),
                    parent) {
    setObjectName("RunsPage");
    setEmptyText(tr("No runs stored yet.\nRuns appear here as soon as a training run starts."));
}

} // namespace gt::widgets
