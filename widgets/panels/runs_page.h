// The "Runs" page of the workbench.
#pragma once

#include "widgets/panels/workbench_page.h"

namespace gt::widgets {

class RunsPage : public WorkbenchPage {
    Q_OBJECT
public:
    explicit RunsPage(QWidget* parent = nullptr);
};

} // namespace gt::widgets
