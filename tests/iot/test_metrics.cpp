#include <cmath>
#include <string>
#include <vector>

#include "catch_compat.hpp"
#include "iot/metrics.hpp"
#include "tensor/random.hpp"

using namespace iotgrad;

namespace {
// A 3-class example worked by hand (supports 4, 2, 4):
//   y_true 0 0 0 0 1 1 2 2 2 2
//   y_pred 0 0 0 1 1 2 2 2 0 0
// Confusion matrix (rows true, columns predicted):
//   [3 1 0]
//   [0 1 1]
//   [2 0 2]
// Column sums (predicted) 5, 2, 3. Per class:
//   0: P = 3/5, R = 3/4, F1 = 2(.6)(.75)/1.35 = 2/3
//   1: P = 1/2, R = 1/2, F1 = 1/2
//   2: P = 2/3, R = 2/4, F1 = 2(2/3)(1/2)/(7/6) = 4/7
// Accuracy 6/10. Macro: P = (3/5 + 1/2 + 2/3)/3 = 53/90, R = (3/4 + 1/2 + 1/2)/3 = 7/12,
// F1 = (2/3 + 1/2 + 4/7)/3 = 73/126. Weighted (4, 2, 4)/10: P = (12/5 + 1 + 8/3)/10 = 91/150,
// R = 0.6 (always the accuracy), F1 = (8/3 + 1 + 16/7)/10 = 125/210.
const std::vector<int64_t> kTrue = {0, 0, 0, 0, 1, 1, 2, 2, 2, 2};
const std::vector<int64_t> kPred = {0, 0, 0, 1, 1, 2, 2, 2, 0, 0};
}  // namespace

TEST_CASE("confusion matrix of a 3-class example worked by hand", "[iot][metrics]") {
    const iot::ConfusionMatrix cm(kTrue, kPred, 3);
    const int64_t expected[3][3] = {{3, 1, 0}, {0, 1, 1}, {2, 0, 2}};
    for (int t = 0; t < 3; ++t)
        for (int p = 0; p < 3; ++p) CHECK(cm.at(t, p) == expected[t][p]);
    CHECK(cm.support(0) == 4);
    CHECK(cm.predicted(0) == 5);
    CHECK(cm.total() == 10);
    CHECK(cm.str() == "[3 1 0]\n[0 1 1]\n[2 0 2]\n");
    CHECK(iot::accuracy(kTrue, kPred) == Approx(0.6));
    CHECK_THROWS_AS(iot::ConfusionMatrix(kTrue, kPred, 2), std::invalid_argument);
    CHECK_THROWS_AS(iot::ConfusionMatrix({0, 1}, {0}, 2), std::invalid_argument);
}

TEST_CASE("precision, recall and F1 per class, macro and weighted", "[iot][metrics]") {
    const iot::ConfusionMatrix cm(kTrue, kPred, 3);
    const std::vector<iot::PRF> s = iot::per_class_scores(cm);
    REQUIRE(s.size() == 3);
    CHECK(s[0].precision == Approx(0.6));
    CHECK(s[0].recall == Approx(0.75));
    CHECK(s[0].f1 == Approx(2.0 / 3));
    CHECK(s[1].precision == Approx(0.5));
    CHECK(s[1].f1 == Approx(0.5));
    CHECK(s[2].precision == Approx(2.0 / 3));
    CHECK(s[2].recall == Approx(0.5));
    CHECK(s[2].f1 == Approx(4.0 / 7));
    CHECK(s[2].support == 4);

    const iot::PRF macro = iot::macro_average(cm), weighted = iot::weighted_average(cm);
    CHECK(macro.precision == Approx(53.0 / 90));
    CHECK(macro.recall == Approx(7.0 / 12));
    CHECK(macro.f1 == Approx(73.0 / 126));
    CHECK(weighted.precision == Approx(91.0 / 150));
    CHECK(weighted.recall == Approx(0.6));
    CHECK(weighted.f1 == Approx(125.0 / 210));
    CHECK(macro.f1 != Approx(weighted.f1));
    CHECK(weighted.support == 10);
}

TEST_CASE("zero division gives 0, like scikit-learn's zero_division=0", "[iot][metrics]") {
    // Class 2 is never predicted (precision 0/0) and class 3 never occurs (recall 0/0).
    const iot::ConfusionMatrix cm({0, 1, 2}, {0, 1, 3}, 4);
    const std::vector<iot::PRF> s = iot::per_class_scores(cm);
    CHECK(s[2].precision == 0.0);
    CHECK(s[2].recall == 0.0);
    CHECK(s[2].f1 == 0.0);
    CHECK(s[3].precision == 0.0);
    CHECK(s[3].recall == 0.0);
    CHECK(s[3].support == 0);
    CHECK(iot::macro_average(cm).f1 == Approx(0.5));            // (1 + 1 + 0 + 0) / 4
    CHECK(iot::weighted_average(cm).f1 == Approx(2.0 / 3));     // (1 + 1 + 0) / 3, class 3 weighs 0
}

TEST_CASE("classification_report has scikit-learn's layout", "[iot][metrics]") {
    const iot::ConfusionMatrix cm(kTrue, kPred, 3);
    const std::string expected =
        "              precision    recall  f1-score   support\n"
        "\n"
        "           0       0.60      0.75      0.67         4\n"
        "           1       0.50      0.50      0.50         2\n"
        "           2       0.67      0.50      0.57         4\n"
        "\n"
        "    accuracy                           0.60        10\n"
        "   macro avg       0.59      0.58      0.58        10\n"
        "weighted avg       0.61      0.60      0.60        10\n";
    CHECK(iot::classification_report(cm) == expected);
    const std::string named = iot::classification_report(cm, {"walking", "sitting", "climbing_stairs"}, 3);
    CHECK_THAT(named, IOTGRAD_HAS("climbing_stairs      0.667     0.500     0.571         4\n"));
    CHECK_THAT(named, IOTGRAD_HAS("\n        walking      0.600     0.750     0.667         4\n"));
    CHECK_THROWS_AS(iot::classification_report(cm, {"a"}), std::invalid_argument);
}

TEST_CASE("accuracy and top-k accuracy from scores", "[iot][metrics]") {
    const Tensor scores = Tensor::from({4, 3}, {0.1f, 0.7f, 0.2f,    // top: 1, then 2, 0
                                                0.5f, 0.3f, 0.2f,    // top: 0, then 1, 2
                                                0.3f, 0.3f, 0.4f,    // top: 2, then 0 (tie with 1, lower index first), 1
                                                0.2f, 0.2f, 0.6f});  // top: 2, then 0, 1
    const Tensor targets = Tensor::from({4}, {1, 1, 1, 0});
    CHECK(iot::predictions(scores) == std::vector<int64_t>{1, 0, 2, 2});
    CHECK(iot::accuracy(scores, targets) == Approx(0.25));
    CHECK(iot::top_k_accuracy(scores, targets, 1) == Approx(0.25));
    CHECK(iot::top_k_accuracy(scores, targets, 2) == Approx(0.75));  // row 2's class 1 ranks third
    CHECK(iot::top_k_accuracy(scores, targets, 3) == Approx(1.0));
    CHECK_THROWS_AS(iot::top_k_accuracy(scores, targets, 0), std::invalid_argument);
    CHECK_THROWS_WITH(iot::labels(Tensor::from({2}, {1, 1.5f})), IOTGRAD_HAS("1.5"));
    CHECK_THROWS_AS(iot::accuracy(scores, Tensor::from({3}, {0, 0, 0})), ShapeError);
}

TEST_CASE("MSE, RMSE and MAE", "[iot][metrics]") {
    const Tensor pred = Tensor::from({3}, {1, 2, 3}), target = Tensor::from({3}, {1, 4, 0});
    CHECK(iot::mse(pred, target) == Approx(13.0 / 3));  // (0 + 4 + 9) / 3
    CHECK(iot::rmse(pred, target) == Approx(std::sqrt(13.0 / 3)));
    CHECK(iot::mae(pred, target) == Approx(5.0 / 3));   // (0 + 2 + 3) / 3
    CHECK(iot::mse(pred, pred) == 0.0);
    CHECK_THROWS_AS(iot::mse(pred, Tensor::zeros({2})), ShapeError);
}

TEST_CASE("ROC-AUC by ranks, with ties", "[iot][metrics]") {
    // scikit-learn's documented example: 3 of the 4 (anomaly, normal) pairs are ordered right.
    CHECK(iot::roc_auc(std::vector<double>{0.1, 0.4, 0.35, 0.8}, std::vector<int>{0, 0, 1, 1}) == Approx(0.75));
    // Ties count one half: pairs (2>1), (2=2: 1/2), (3>1), (3>2) -> 3.5 / 4.
    CHECK(iot::roc_auc(std::vector<double>{1, 2, 2, 3}, std::vector<int>{0, 0, 1, 1}) == Approx(0.875));
    CHECK(iot::roc_auc(std::vector<double>{5, 5, 5, 5}, std::vector<int>{0, 1, 0, 1}) == Approx(0.5));
    CHECK(iot::roc_auc(std::vector<double>{0, 1}, std::vector<int>{1, 0}) == Approx(0.0));
    CHECK(iot::roc_auc(Tensor::from({4}, {0.1f, 0.4f, 0.35f, 0.8f}), Tensor::from({4}, {0, 0, 1, 1})) ==
          Approx(0.75));

    // The rank formula equals the pairwise probability on data with many ties.
    Generator gen(9);
    std::vector<double> scores;
    std::vector<int> y;
    for (int i = 0; i < 200; ++i) {
        scores.push_back(static_cast<double>(gen.below(10)));  // 10 distinct values: many ties
        y.push_back(gen.uniform() < 0.3f + 0.04f * static_cast<float>(scores.back()) ? 1 : 0);
    }
    double wins = 0, pairs = 0;
    for (std::size_t i = 0; i < y.size(); ++i)
        for (std::size_t j = 0; j < y.size(); ++j)
            if (y[i] == 1 && y[j] == 0) {
                pairs += 1;
                wins += scores[i] > scores[j] ? 1.0 : scores[i] == scores[j] ? 0.5 : 0.0;
            }
    CHECK(iot::roc_auc(scores, y) == Approx(wins / pairs).epsilon(1e-12));

    CHECK_THROWS_WITH(iot::roc_auc(std::vector<double>{1, 2}, std::vector<int>{1, 1}), IOTGRAD_HAS("both"));
    CHECK_THROWS_AS(iot::roc_auc(std::vector<double>{1, 2}, std::vector<int>{0, 2}), std::invalid_argument);
}
