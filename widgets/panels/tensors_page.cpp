#include "widgets/panels/tensors_page.h"

namespace gt::widgets {

TensorsPage::TensorsPage(QWidget* parent)
    : WorkbenchPage(tr("Tensors"),
                    tr("Where the backward cost and the importance of the model sit, tensor by "
                       "tensor; drag rho to see what GreenTrainer would train."),
                    parent) {
    setObjectName("TensorsPage");
    setEmptyText(
        tr("No model loaded.\nOpen a model (a config.json is enough) to see its cost heatmaps."));
}

} // namespace gt::widgets
