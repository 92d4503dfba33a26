#include "widgets/panels/model_data_page.h"

namespace gt::widgets {

ModelDataPage::ModelDataPage(QWidget* parent)
    : WorkbenchPage(tr("Model & Data"),
                    tr("Open a Hugging Face model directory (or the built-in starter model) and a "
                       "dataset; check the architecture, preview records and choose splits."),
                    parent) {
    setObjectName("ModelDataPage");
    setEmptyText(tr("No model loaded.\nModels open from a Hugging Face directory (config.json, "
                    "model.safetensors, tokenizer)."));
}

} // namespace gt::widgets
