// The "Tensors" page of the workbench.
#pragma once

#include "widgets/panels/workbench_page.h"

namespace gt::widgets {

class TensorsPage : public WorkbenchPage {
    Q_OBJECT
public:
    explicit TensorsPage(QWidget* parent = nullptr);
};

} // namespace gt::widgets
