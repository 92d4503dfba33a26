// The "Model & Data" page of the workbench.
#pragma once

#include "widgets/panels/workbench_page.h"

namespace gt::widgets {

class ModelDataPage : public WorkbenchPage {
    Q_OBJECT
public:
    explicit ModelDataPage(QWidget* parent = nullptr);
};

} // namespace gt::widgets
