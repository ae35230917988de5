// compile / fit / evaluate / predict and the *_on_batch methods (Keras's Trainer).
#include <algorithm>
#include <cmath>

#include "keras/core/random.hpp"
#include "keras/data/dataset.hpp"
#include "keras/metrics/metric.hpp"
#include "keras/models/model.hpp"
#include "keras/ops.hpp"

namespace keras {

namespace callbacks {
// Keras's ProgbarLogger (src/callbacks/progbar_logger.cpp).
CallbackPtr make_progbar_logger(int verbose);
}  // namespace callbacks

namespace metrics {
// Keras's metrics_module.Mean (the loss tracker).
std::shared_ptr<Metric> make_mean(const std::string& name);
// Resolves "accuracy"/"acc" (and "crossentropy"/"ce") from the shapes of the first batch, as
// Keras's get_metric does.
std::shared_ptr<Metric> resolve_contextual(const std::string& identifier, const Tensor& y_true,
                                           const Tensor& y_pred, const losses::Loss* loss);
}  // namespace metrics

// The training machinery behind Model's public methods.
class Trainer {
 public:
  explicit Trainer(Model& m) : m_(m) {}

  void compile(const CompileOptions& o) {
    m_.compile_options_ = o;
    m_.optimizer_ = o.optimizer.get();
    if (!m_.optimizer_) throw ValueError("compile: an optimizer is required.");
    m_.losses_.clear();
    if (!o.losses.empty()) {
      for (const auto& l : o.losses) m_.losses_.push_back(l.get());
    } else if (o.loss) {
      m_.losses_.push_back(o.loss.get());
    }
    m_.metrics_.clear();
    m_.pending_metrics_.clear();
    for (const auto& spec : o.metrics) {
      const std::string& id = spec.identifier();
      if (id == "accuracy" || id == "acc" || id == "crossentropy" || id == "ce") {
        m_.pending_metrics_.push_back(id);  // resolved from the first batch's shapes
      } else {
        m_.metrics_.push_back(spec.get());
      }
    }
    m_.loss_tracker_ = metrics::make_mean("loss");
    m_.compiled_ = true;
  }

  // ---- one batch ----
  Logs train_step(const std::vector<Tensor>& x, const std::vector<Tensor>& y, const Tensor& sw) {
    require_compiled("train");
    const auto vars = m_.trainable_weights();
    std::vector<Tensor> y_pred;
    Tensor loss;
    std::vector<Tensor> grads;
    {
      GradientTape tape;
      y_pred = m_(x, /*training=*/true);
      loss = compute_loss(y, y_pred, sw);
      tape.stop_recording();
      grads = tape.gradient(loss, vars);
    }
    m_.optimizer_->apply(grads, vars);
    m_.apply_constraints();
    update_metrics(y, y_pred, sw, loss, x[0].dim(0));
    return current_logs();
  }

  Logs test_step(const std::vector<Tensor>& x, const std::vector<Tensor>& y, const Tensor& sw) {
    require_compiled("evaluate");
    autograd::NoGradGuard guard;
    auto y_pred = m_(x, /*training=*/false);
    Tensor loss = compute_loss(y, y_pred, sw);
    update_metrics(y, y_pred, sw, loss, x[0].dim(0));
    return current_logs();
  }

  // ---- loops ----
  // One epoch's batches: (x, y, sample_weight) triples until nullopt.
  using Batch = std::tuple<std::vector<Tensor>, std::vector<Tensor>, Tensor>;
  using BatchIter = std::function<std::optional<Batch>()>;

  // Batches of in-memory tensors; a shuffled epoch gathers once, then slices views.
  static std::function<BatchIter(int)> tensor_batches(std::vector<Tensor> x, std::vector<Tensor> y,
                                                       Tensor sw, int64_t bs, bool shuffle,
                                                       int64_t max_steps, uint64_t seed) {
    auto gen = std::make_shared<random::SeedGenerator>(
        seed ? random::SeedGenerator(static_cast<int64_t>(seed)) : random::SeedGenerator());
    return [=](int) -> BatchIter {
      std::vector<Tensor> xs = x, ys = y;
      Tensor sws = sw;
      const int64_t n = x[0].dim(0);
      if (shuffle) {
        Tensor perm = random::permutation(n, *gen);
        for (auto& t : xs) t = ops::take(t, perm, 0);
        for (auto& t : ys) t = ops::take(t, perm, 0);
        if (sws.defined()) sws = ops::take(sws, perm, 0);
      }
      int64_t steps = (n + bs - 1) / bs;
      if (max_steps > 0) steps = std::min(steps, max_steps);
      auto step = std::make_shared<int64_t>(0);
      return [=]() -> std::optional<Batch> {
        if (*step >= steps) return std::nullopt;
        const int64_t lo = (*step)++ * bs, hi = std::min(n, lo + bs);
        return Batch{slice_all(xs, lo, hi), slice_all(ys, lo, hi),
                     sws.defined() ? sws.slice(lo, hi) : Tensor()};
      };
    };
  }

  // Batches from a Dataset whose elements are (x, y) or (x, y, sample_weight).
  static std::function<BatchIter(int)> dataset_batches(const data::Dataset& ds, int64_t max_steps) {
    return [ds, max_steps](int) -> BatchIter {
      std::shared_ptr<data::Dataset::Iterator> it = ds.iterator();
      auto step = std::make_shared<int64_t>(0);
      return [it, step, max_steps]() -> std::optional<Batch> {
        if (max_steps > 0 && *step >= max_steps) return std::nullopt;
        auto el = it->next();
        if (!el) return std::nullopt;
        ++*step;
        if (el->empty()) throw ValueError("A Dataset element is empty.");
        Batch b;
        std::get<0>(b).push_back((*el)[0]);
        if (el->size() > 1) std::get<1>(b).push_back((*el)[1]);
        if (el->size() > 2) std::get<2>(b) = (*el)[2];
        return b;
      };
    };
  }

  History fit(std::vector<Tensor> x, std::vector<Tensor> y, const FitOptions& o) {
    require_compiled("fit");
    check_data(x, y, "fit");
    Tensor sw = o.sample_weight;
    auto val = o.validation_data;
    if (o.validation_split > 0 && !val) {
      if (o.validation_split >= 1)
        throw ValueError("validation_split must be in [0, 1); received " +
                         std::to_string(o.validation_split) + ".");
      // Keras takes the last fraction of the data, before any shuffling.
      const int64_t n = x[0].dim(0);
      const int64_t split = static_cast<int64_t>(std::floor(n * (1.0 - o.validation_split)));
      std::vector<Tensor> xv, yv;
      for (auto& t : x) xv.push_back(t.slice(split, n)), t = t.slice(0, split);
      for (auto& t : y) yv.push_back(t.slice(split, n)), t = t.slice(0, split);
      if (sw.defined()) sw = sw.slice(0, split);
      val.emplace(xv, yv);
    }
    const int64_t n = x[0].dim(0);
    const int64_t bs = std::max<int64_t>(1, o.batch_size);
    int64_t steps = (n + bs - 1) / bs;
    if (o.steps_per_epoch > 0) steps = std::min(steps, o.steps_per_epoch);
    return fit_loop(tensor_batches(x, y, sw, bs, o.shuffle, o.steps_per_epoch, o.seed), steps,
                    val, o);
  }

  History fit_dataset(const data::Dataset& ds, const FitOptions& o) {
    require_compiled("fit");
    int64_t steps = ds.cardinality();
    if (o.steps_per_epoch > 0) steps = steps < 0 ? o.steps_per_epoch : std::min(steps, o.steps_per_epoch);
    if (steps < 0)
      throw ValueError("fit: the dataset is infinite (repeat()); pass steps_per_epoch.");
    return fit_loop(dataset_batches(ds, o.steps_per_epoch), steps, o.validation_data, o);
  }

  History fit_loop(const std::function<BatchIter(int)>& epoch_batches, int64_t steps,
                   const std::optional<std::pair<std::vector<Tensor>, std::vector<Tensor>>>& val,
                   const FitOptions& o) {
    std::vector<callbacks::CallbackPtr> cbs;
    auto history_cb = std::make_shared<History>();
    if (o.verbose) cbs.push_back(callbacks::make_progbar_logger(o.verbose));
    for (const auto& c : o.callbacks) cbs.push_back(c);
    cbs.push_back(history_cb);
    json params = {{"verbose", o.verbose}, {"epochs", o.epochs}, {"steps", steps}};
    for (auto& c : cbs) c->set_model(&m_), c->set_params(params);

    m_.stop_training = false;
    Logs logs;
    for (auto& c : cbs) c->on_train_begin(logs);
    // A callback (BackupAndRestore) may have restored an interrupted run in on_train_begin.
    const int first_epoch = m_.resume_epoch >= 0 ? m_.resume_epoch : o.initial_epoch;
    m_.resume_epoch = -1;
    for (int epoch = first_epoch; epoch < o.epochs && !m_.stop_training; ++epoch) {
      reset_metrics();
      Logs epoch_logs;
      for (auto& c : cbs) c->on_epoch_begin(epoch, epoch_logs);
      BatchIter next = epoch_batches(epoch);
      int step = 0;
      while (!m_.stop_training) {
        auto batch = next();
        if (!batch) break;
        Logs batch_logs;
        for (auto& c : cbs) c->on_train_batch_begin(step, batch_logs);
        auto& [bx, by, bsw] = *batch;
        batch_logs = train_step(bx, by, bsw);
        for (auto& c : cbs) c->on_train_batch_end(step, batch_logs);
        ++step;
      }
      epoch_logs = current_logs();
      if (val && o.validation_freq > 0 && (epoch + 1) % o.validation_freq == 0) {
        EvaluateOptions eo;
        eo.batch_size = o.batch_size;
        eo.verbose = 0;
        Logs v = evaluate(val->first, val->second, eo);
        for (const auto& [k, value] : v) epoch_logs.set("val_" + k, value);
      }
      for (auto& c : cbs) c->on_epoch_end(epoch, epoch_logs);
      logs = epoch_logs;
    }
    for (auto& c : cbs) c->on_train_end(logs);
    History history;
    history.epoch = history_cb->epoch;
    history.history = history_cb->history;
    history.set_model(&m_);
    return history;
  }

  Logs evaluate(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                const EvaluateOptions& o) {
    require_compiled("evaluate");
    check_data(x, y, "evaluate");
    const int64_t n = x[0].dim(0);
    const int64_t bs = std::max<int64_t>(1, o.batch_size);
    const int64_t steps = (n + bs - 1) / bs;
    std::vector<callbacks::CallbackPtr> cbs;
    if (o.verbose) cbs.push_back(callbacks::make_progbar_logger(o.verbose));
    for (const auto& c : o.callbacks) cbs.push_back(c);
    json params = {{"verbose", o.verbose}, {"epochs", 1}, {"steps", steps}};
    for (auto& c : cbs) c->set_model(&m_), c->set_params(params);
    reset_metrics();
    Logs logs;
    for (auto& c : cbs) c->on_test_begin(logs);
    for (int64_t step = 0; step < steps; ++step) {
      const int64_t lo = step * bs, hi = std::min(n, lo + bs);
      Logs batch_logs;
      for (auto& c : cbs) c->on_test_batch_begin(static_cast<int>(step), batch_logs);
      batch_logs = test_step(slice_all(x, lo, hi), slice_all(y, lo, hi),
                             o.sample_weight.defined() ? o.sample_weight.slice(lo, hi) : Tensor());
      for (auto& c : cbs) c->on_test_batch_end(static_cast<int>(step), batch_logs);
    }
    logs = current_logs();
    for (auto& c : cbs) c->on_test_end(logs);
    return logs;
  }

  std::vector<Tensor> predict(const std::vector<Tensor>& x, const PredictOptions& o) {
    if (x.empty()) throw ValueError("predict: no input data.");
    const int64_t n = x[0].dim(0);
    const int64_t bs = std::max<int64_t>(1, o.batch_size);
    const int64_t steps = (n + bs - 1) / bs;
    std::vector<callbacks::CallbackPtr> cbs = o.callbacks;
    json params = {{"verbose", o.verbose}, {"epochs", 1}, {"steps", steps}};
    for (auto& c : cbs) c->set_model(&m_), c->set_params(params);
    Logs logs;
    for (auto& c : cbs) c->on_predict_begin(logs);
    autograd::NoGradGuard guard;
    std::vector<std::vector<Tensor>> parts;
    for (int64_t step = 0; step < steps; ++step) {
      const int64_t lo = step * bs, hi = std::min(n, lo + bs);
      for (auto& c : cbs) c->on_predict_batch_begin(static_cast<int>(step), logs);
      auto out = m_(slice_all(x, lo, hi), /*training=*/false);
      if (parts.empty()) parts.resize(out.size());
      for (size_t i = 0; i < out.size(); ++i) parts[i].push_back(out[i]);
      for (auto& c : cbs) c->on_predict_batch_end(static_cast<int>(step), logs);
    }
    for (auto& c : cbs) c->on_predict_end(logs);
    std::vector<Tensor> result;
    for (auto& p : parts) result.push_back(p.size() == 1 ? p[0] : ops::concatenate(p, 0));
    return result;
  }

 private:
  static std::vector<Tensor> slice_all(const std::vector<Tensor>& ts, int64_t lo, int64_t hi) {
    std::vector<Tensor> out;
    out.reserve(ts.size());
    for (const auto& t : ts) out.push_back(t.slice(lo, hi));
    return out;
  }

  void require_compiled(const char* what) const {
    if (!m_.compiled_)
      throw ValueError(std::string("You must call compile() before using the model to ") + what +
                       ": model '" + m_.name() + "'.");
  }

  static void check_data(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                         const char* what) {
    if (x.empty()) throw ValueError(std::string(what) + ": no input data.");
    const int64_t n = x[0].dim(0);
    for (const auto& t : x)
      if (t.ndim() == 0 || t.dim(0) != n)
        throw ValueError(std::string(what) + ": all inputs must have the same number of samples (" +
                         std::to_string(n) + "); received " + shape_str(t.shape()) + ".");
    for (const auto& t : y)
      if (t.ndim() == 0 || t.dim(0) != n)
        throw ValueError(std::string(what) + ": data cardinality is ambiguous: x has " +
                         std::to_string(n) + " samples, y has shape " + shape_str(t.shape()) +
                         ".");
  }

  Tensor compute_loss(const std::vector<Tensor>& y, const std::vector<Tensor>& y_pred,
                      const Tensor& sw) {
    if (m_.losses_.empty()) throw ValueError("compile() was called without a loss; fit needs one.");
    if (m_.losses_.size() != 1 && m_.losses_.size() != y_pred.size())
      throw ValueError("The model has " + std::to_string(y_pred.size()) + " outputs but " +
                       std::to_string(m_.losses_.size()) + " losses were given to compile().");
    if (y.size() != y_pred.size())
      throw ValueError("The model has " + std::to_string(y_pred.size()) + " outputs but " +
                       std::to_string(y.size()) + " targets were given.");
    Tensor total;
    const auto& weights = m_.compile_options_.loss_weights;
    for (size_t i = 0; i < y_pred.size(); ++i) {
      const auto& loss = m_.losses_.size() == 1 ? m_.losses_[0] : m_.losses_[i];
      Tensor li = (*loss)(y[i], y_pred[i], sw);
      if (i < weights.size()) li = li * weights[i];
      total = total.defined() ? total + li : li;
    }
    for (const auto& reg : m_.losses()) total = total + ops::sum(reg).astype(total.dtype());
    return total;
  }

  void update_metrics(const std::vector<Tensor>& y, const std::vector<Tensor>& y_pred,
                      const Tensor& sw, const Tensor& loss, int64_t batch) {
    autograd::NoGradGuard guard;
    if (!m_.pending_metrics_.empty()) {
      for (const auto& id : m_.pending_metrics_)
        m_.metrics_.push_back(metrics::resolve_contextual(
            id, y[0], y_pred[0], m_.losses_.empty() ? nullptr : m_.losses_[0].get()));
      m_.pending_metrics_.clear();
    }
    m_.loss_tracker_->update_state(Tensor(), stop_gradient(loss),
                                Tensor::scalar(static_cast<double>(batch), loss.dtype()));
    // Keras 3 weights only `weighted_metrics` by sample_weight; compiled metrics are unweighted.
    (void)sw;
    for (auto& metric : m_.metrics_)
      for (size_t i = 0; i < y_pred.size(); ++i) metric->update_state(y[i], y_pred[i]);
  }

  public:
  void reset_metrics() {
    m_.loss_tracker_->reset_state();
    for (auto& metric : m_.metrics_) metric->reset_state();
  }

  private:
  Logs current_logs() const {
    Logs logs;
    logs.set("loss", m_.loss_tracker_->result().item<double>());
    for (const auto& metric : m_.metrics_) logs.set(metric->name(), metric->result().item<double>());
    return logs;
  }

  Model& m_;
};

// ---------------------------------------------------------------- Model's methods

void Model::compile(const CompileOptions& options) { Trainer(*this).compile(options); }

History Model::fit(const Tensor& x, const Tensor& y, const FitOptions& options) {
  return Trainer(*this).fit({x}, {y}, options);
}
History Model::fit(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                   const FitOptions& options) {
  return Trainer(*this).fit(x, y, options);
}
History Model::fit(const data::Dataset& dataset, const FitOptions& options) {
  return Trainer(*this).fit_dataset(dataset, options);
}

Logs Model::evaluate(const Tensor& x, const Tensor& y, const EvaluateOptions& options) {
  return Trainer(*this).evaluate({x}, {y}, options);
}
Logs Model::evaluate(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                     const EvaluateOptions& options) {
  return Trainer(*this).evaluate(x, y, options);
}
Logs Model::evaluate(const data::Dataset& dataset, const EvaluateOptions& options) {
  // Each element is a batch: concatenate them and evaluate batch by batch as given.
  std::vector<Tensor> xs, ys;
  int64_t bs = 0;
  for (auto& el : dataset.elements()) {
    if (el.size() < 2) throw ValueError("evaluate: dataset elements must be (x, y).");
    bs = std::max(bs, el[0].dim(0));
    xs.push_back(el[0]);
    ys.push_back(el[1]);
  }
  if (xs.empty()) throw ValueError("evaluate: the dataset is empty.");
  EvaluateOptions o = options;
  o.batch_size = bs;
  return Trainer(*this).evaluate({ops::concatenate(xs, 0)}, {ops::concatenate(ys, 0)}, o);
}

Tensor Model::predict(const Tensor& x, const PredictOptions& options) {
  auto out = Trainer(*this).predict({x}, options);
  if (out.size() != 1)
    throw ValueError("Model '" + name() + "' has " + std::to_string(out.size()) +
                     " outputs; use predict with a list of inputs.");
  return out[0];
}
std::vector<Tensor> Model::predict(const std::vector<Tensor>& x, const PredictOptions& options) {
  return Trainer(*this).predict(x, options);
}
Tensor Model::predict(const data::Dataset& dataset, const PredictOptions& options) {
  std::vector<Tensor> xs;
  int64_t bs = 0;
  for (auto& el : dataset.elements()) {
    bs = std::max(bs, el.at(0).dim(0));
    xs.push_back(el[0]);
  }
  if (xs.empty()) throw ValueError("predict: the dataset is empty.");
  PredictOptions o = options;
  o.batch_size = bs;
  return Trainer(*this).predict({ops::concatenate(xs, 0)}, o).at(0);
}

Logs Model::train_on_batch(const Tensor& x, const Tensor& y, const Tensor& sample_weight) {
  Trainer t(*this);
  t.reset_metrics();  // Keras's reset_metrics=True
  return t.train_step({x}, {y}, sample_weight);
}
Logs Model::test_on_batch(const Tensor& x, const Tensor& y, const Tensor& sample_weight) {
  Trainer t(*this);
  t.reset_metrics();
  return t.test_step({x}, {y}, sample_weight);
}

}  // namespace keras
