#include "widgets/panels/train_page.h"

namespace gt::widgets {

TrainPage::TrainPage(QWidget* parent)
    : WorkbenchPage(tr("Train"),
                    tr("Fine-tune with Full FT, GreenTrainer(rho), LoRA or top-k blocks and watch "
                       "loss, ROUGE, FLOPs and energy live."),
                    parent) {
    setObjectName("TrainPage");
    setEmptyText(tr("Nothing is training.\nLoad a model and a dataset first."));
}

} // namespace gt::widgets
