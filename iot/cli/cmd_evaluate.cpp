// `iotgrad evaluate`: a saved model on a CSV file, beside its task's naive baseline.
#include <stdexcept>

#include "iot/bundle.hpp"
#include "iot/cli/args.hpp"
#include "iot/cli/commands.hpp"
#include "iot/cli/pipeline.hpp"
#include "iot/report/table.hpp"

namespace iotgrad::iot::cli {

int cmd_evaluate(const Argv& args, std::ostream& out, std::ostream& err) {
    Args a("iotgrad evaluate",
           "Scores a model saved by 'iotgrad train' on a CSV file with the same columns (every window of\n"
           "the file, normalised with the training statistics), beside the task's naive baseline.");
    a.required("model", "MODEL", "a bundle written by iotgrad train --save")
        .required("csv", "FILE", "the data, with the target column")
        .option("metrics-json", "FILE", "also write the report as JSON");
    if (!a.parse(args, out)) return 0;
    const Bundle b = load_bundle(a.get("model"));
    const CsvTable table = read_csv(a.get("csv"));
    std::vector<std::string> classes = b.classes;
    SeriesTable series = load_series(table, columns_for(b, table, true), b.task, classes, /*learn_classes=*/false);
    const TaskData data = make_task_data(std::move(series), b.task, b.win, b.missing);
    if (data.samples.empty())
        throw std::runtime_error(a.get("csv") + ": no complete window of " + std::to_string(b.win.window) +
                                 " records with a target in any device");
    const std::vector<int64_t> all = all_samples(data);
    const std::unique_ptr<nn::Module> model = build_model(b);
    const Report r = score(b, run_model(b, *model, data, all), data, all, "all");
    out << report_text(r);
    if (a.has("metrics-json")) report::write_text_file(a.get("metrics-json"), report_json(r));
    (void)err;
    return 0;
}

}  // namespace iotgrad::iot::cli
