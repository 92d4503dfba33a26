// The "Train" page of the workbench.
#pragma once

#include "widgets/panels/workbench_page.h"

namespace gt::widgets {

class TrainPage : public WorkbenchPage {
    Q_OBJECT
public:
    explicit TrainPage(QWidget* parent = nullptr);
};

} // namespace gt::widgets
