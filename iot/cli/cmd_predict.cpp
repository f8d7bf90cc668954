// `iotgrad predict`: a saved model's answer for every window of a CSV file, as CSV.
#include <cstdio>
#include <stdexcept>

#include "iot/bundle.hpp"
#include "iot/cli/args.hpp"
#include "iot/cli/commands.hpp"
#include "iot/cli/pipeline.hpp"
#include "iot/report/table.hpp"

namespace iotgrad::iot::cli {
namespace {

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

}  // namespace

int cmd_predict(const Argv& args, std::ostream& out, std::ostream& err) {
    Args a("iotgrad predict",
           "Writes a saved model's prediction for every window of a CSV file (the target column may be\n"
           "absent). One row per window: the time, device and line of its last record, then\n"
           "  classify: prediction (class name), confidence (softmax probability);\n"
           "  regress:  prediction; forecast: prediction for --horizon records after that time;\n"
           "  anomaly:  score (reconstruction error), anomaly (1 when above the training threshold).");
    a.required("model", "MODEL", "a bundle written by iotgrad train --save")
        .required("csv", "FILE", "the data")
        .required("out", "FILE.csv", "where to write the predictions");
    if (!a.parse(args, out)) return 0;
    const Bundle b = load_bundle(a.get("model"));
    const CsvTable table = read_csv(a.get("csv"));
    std::vector<std::string> classes = b.classes;
    // Labels are not needed; a forecast reads the target's past when the column is there
    // (its model predicts the change from the last observed value).
    ColumnSpec cols = columns_for(b, table, /*need_target=*/false);
    if (b.task != Task::kForecast) cols.target.clear();
    SeriesTable series = load_series(table, cols, b.task, classes, /*learn_classes=*/false);
    // Every window gets a prediction, the file's last one included (windowed as an anomaly task,
    // which needs no target and no future record).
    TaskData data = make_task_data(std::move(series), Task::kAnomaly, b.win, b.missing);
    data.task = b.task;
    const std::vector<int64_t> all = all_samples(data);
    const std::unique_ptr<nn::Module> model = build_model(b);
    const Predictions p = run_model(b, *model, data, all);

    const int64_t tcol = cols.time.empty() ? -1 : table.find(cols.time);
    std::string text = "time,device,line,";
    text += b.task == Task::kClassify ? "prediction,confidence\n" : b.task == Task::kAnomaly ? "score,anomaly\n" : "prediction\n";
    for (std::size_t i = 0; i < all.size(); ++i) {
        const int64_t row = data.row(all[i], b.win.window - 1);
        text += csv_quote(tcol >= 0 ? table.rows[static_cast<std::size_t>(row)][static_cast<std::size_t>(tcol)]
                                    : std::to_string(row));
        text += ',' + csv_quote(data.table.device_names[static_cast<std::size_t>(data.table.device[static_cast<std::size_t>(row)])]);
        text += ',' + std::to_string(data.table.lines[static_cast<std::size_t>(row)]) + ',';
        if (b.task == Task::kClassify)
            text += csv_quote(b.classes[static_cast<std::size_t>(p.cls[i])]) + ',' + number(p.confidence[i]);
        else if (b.task == Task::kAnomaly)
            text += number(p.score[i]) + (p.score[i] > b.anomaly_threshold ? ",1" : ",0");
        else
            text += number(p.value[i]);
        text += '\n';
    }
    report::write_text_file(a.get("out"), text);
    out << "wrote " << a.get("out") << ": " << all.size() << " predictions\n";
    (void)err;
    return 0;
}

}  // namespace iotgrad::iot::cli
