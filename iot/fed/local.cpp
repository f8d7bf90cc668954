#include "iot/fed/local.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>

#include "autograd/variable.hpp"
#include "iot/fed/params.hpp"
#include "layers/loss.hpp"
#include "optim/adam.hpp"
#include "optim/sgd.hpp"
#include "tensor/elementwise.hpp"
#include "tensor/reduce.hpp"

namespace iotgrad::iot::fed {

Variable batch_loss(const Variable& output, const Tensor& y, Loss loss) {
    if (loss == Loss::CrossEntropy) return cross_entropy(output, y);
    if (y.numel() == output.numel() && y.shape() != output.shape()) return nn::mse_loss(output, y.reshape(output.shape()));
    return nn::mse_loss(output, y);
}

namespace {

std::unique_ptr<optim::Optimizer> make_optimizer(const nn::Module& model, const LocalPlan& p) {
    if (p.optimizer == LocalOptimizer::Adam) return std::make_unique<optim::Adam>(model.parameters(), p.lr);
    return std::make_unique<optim::SGD>(model.parameters(), p.lr, p.momentum);
}

/// Adds \f$\mu (w - w_t)\f$ to every parameter's gradient (FedProx).
void add_proximal_gradient(const nn::Module& model, const std::vector<Tensor>& anchor, double mu) {
    const auto params = model.parameters();
    for (size_t i = 0; i < params.size(); ++i) {
        Variable p = params[i];
        if (!p.grad().defined()) continue;
        p.grad() = tensor::add(p.grad(), tensor::mul(tensor::sub(p.value(), anchor[i]), static_cast<float>(mu)));
    }
}

}  // namespace

LocalResult local_train(nn::Module& model, const std::vector<float>& global, const Dataset& data,
                        const LocalPlan& plan) {
    const auto start = std::chrono::steady_clock::now();
    const int64_t n = data.size();
    if (n < 1) throw std::invalid_argument("fed::local_train: the client has no samples");
    const int64_t B = (plan.batch_size <= 0 || plan.batch_size > n) ? n : plan.batch_size;
    // One batch per epoch needs no shuffling; unshuffled, the full-batch gradient is
    // summed in the same order as centralized full-batch GD, bit for bit.
    DataLoader loader(data, B, B == n ? std::nullopt : std::optional<uint64_t>(plan.shuffle_seed));

    std::vector<Tensor> anchor;  // w_t, for the proximal term
    if (plan.mu > 0)
        for (const Variable& p : model.parameters()) anchor.push_back(p.value().clone());
    auto opt = make_optimizer(model, plan);

    LocalResult r;
    r.samples = n;
    r.steps_planned = plan.epochs * loader.num_batches();
    const int64_t budget = plan.max_steps < 0 ? r.steps_planned : std::min(plan.max_steps, r.steps_planned);
    double loss_sum = 0.0;
    model.train();
    for (int e = 0; e < plan.epochs && r.steps_done < budget; ++e)
        for (int64_t b = 0; b < loader.num_batches() && r.steps_done < budget; ++b) {
            const Batch batch = loader.batch(e, b);
            opt->zero_grad();
            Variable loss = batch_loss(model(Variable(batch.x)), batch.y, plan.loss);
            loss.backward();
            if (plan.mu > 0) add_proximal_gradient(model, anchor, plan.mu);
            opt->step();
            loss_sum += loss.item();
            ++r.steps_done;
        }
    if (r.steps_done > 0) r.mean_loss = loss_sum / static_cast<double>(r.steps_done);

    const std::vector<float> local = get_flat(model);
    r.update.resize(local.size());
    for (size_t i = 0; i < local.size(); ++i)
        r.update[i] = static_cast<double>(local[i]) - static_cast<double>(global[i]);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

Evaluation evaluate(nn::Module& model, const Dataset& data, Loss loss, int64_t batch_size) {
    Evaluation ev;
    if (data.size() < 1) return ev;
    const bool was_training = model.is_training();
    model.eval();
    NoGradGuard no_grad;
    DataLoader loader(data, std::max<int64_t>(1, batch_size));
    double loss_sum = 0.0;
    int64_t correct = 0, seen = 0;
    for (const Batch& b : loader) {
        const Variable out = model(Variable(b.x));
        const int64_t m = b.x.size(0);
        loss_sum += static_cast<double>(batch_loss(out, b.y, loss).item()) * static_cast<double>(m);
        if (loss == Loss::CrossEntropy) {
            const std::vector<float> pred = tensor::argmax(out.value(), 1).to_vector();
            const std::vector<float> y = b.y.to_vector();
            for (int64_t i = 0; i < m; ++i) correct += (pred[i] == y[i]);
        }
        seen += m;
    }
    model.train(was_training);
    ev.loss = loss_sum / static_cast<double>(seen);
    if (loss == Loss::CrossEntropy) ev.accuracy = static_cast<double>(correct) / static_cast<double>(seen);
    return ev;
}

}  // namespace iotgrad::iot::fed
