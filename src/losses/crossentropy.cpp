// BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy: each one fused op.
//
// The forward pass walks y_pred row by row (a row = the class axis, moved last when needed),
// computes the row's loss and, when a tape records, writes coef * d(loss)/d(row) into a saved
// gradient buffer in the same pass (for logits: softmax - onehot, sigmoid - t). With a reduction
// fused in (the training path: sum or mean with per-sample weights), coef already holds
// weight / N, so the backward pass is one multiply by the incoming scalar gradient. The formulas
// follow Keras 3's TensorFlow backend (keras/src/backend/tensorflow/nn.py): probabilities are
// clipped to [1e-7, 1 - 1e-7] (in the compute dtype, as tf.clip_by_value does; the clip passes
// gradient where eps <= p <= 1 - eps), logits go through a max-shifted log-softmax or TF's
// sigmoid_cross_entropy_with_logits. No gradient flows to y_true (Keras never needs one).
#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include "core/dispatch.hpp"
#include "core/ops/math_common.hpp"
#include "keras/core/autograd.hpp"
#include "keras/losses/losses.hpp"
#include "keras/ops.hpp"

namespace keras::losses {

namespace {

// Rows of `rows` x `classes` elements, per-row weights (or one weight) and the reduction scale.
struct Plan {
  int64_t rows = 0;
  int64_t classes = 0;
  Shape per_sample;  // the unreduced output shape
  bool reduce = false;
  Tensor weights;  // flat, rows elements or 1; undefined means all ones
  double scale = 1.0;
};

// Runs row_fn(r, x_row, g_row_or_null, coef) -> row loss over every row and records the op.
template <typename T, typename RowFn>
Tensor run_rows(const char* op, const Tensor& y_pred, const Plan& plan, RowFn row_fn) {
  const bool grad = autograd::needs_grad({&y_pred});
  const int64_t C = plan.classes;
  const T* x = y_pred.data<T>();
  Tensor g_buf;
  T* g = nullptr;
  if (grad) {
    g_buf = Tensor::empty(y_pred.shape(), y_pred.dtype());
    g = g_buf.data<T>();
  }
  const T* w = plan.weights.defined() ? plan.weights.data<T>() : nullptr;
  const bool w_scalar = plan.weights.defined() && plan.weights.size() == 1;
  Tensor out;
  if (plan.reduce) {
    double total = 0.0;
    for (int64_t r = 0; r < plan.rows; ++r) {
      const double wr = w ? static_cast<double>(w[w_scalar ? 0 : r]) : 1.0;
      const double l = row_fn(r, x + r * C, g ? g + r * C : nullptr, plan.scale * wr);
      total += wr * l;
    }
    out = Tensor::scalar(total * plan.scale, y_pred.dtype());
  } else {
    out = Tensor::empty(plan.per_sample, y_pred.dtype());
    T* o = out.data<T>();
    for (int64_t r = 0; r < plan.rows; ++r)
      o[r] = static_cast<T>(row_fn(r, x + r * C, g ? g + r * C : nullptr, 1.0));
  }
  if (grad) {
    const bool reduce = plan.reduce;
    autograd::record(out, op, {y_pred}, [g_buf, reduce, C](const Tensor& go_in) {
      const Tensor go = go_in.dtype() == g_buf.dtype() ? go_in : go_in.astype(g_buf.dtype());
      Tensor dx = Tensor::empty(g_buf.shape(), g_buf.dtype());
      const T* gs = g_buf.data<T>();
      T* d = dx.data<T>();
      const T* gv = go.data<T>();
      const int64_t n = g_buf.size();
      if (reduce) {
        const T s = gv[0];
        for (int64_t i = 0; i < n; ++i) d[i] = gs[i] * s;
      } else {
        const int64_t rows = C ? n / C : 0;
        for (int64_t r = 0; r < rows; ++r) {
          const T s = gv[r];
          for (int64_t j = 0; j < C; ++j) d[r * C + j] = gs[r * C + j] * s;
        }
      }
      return std::vector<Tensor>{dx};
    });
  }
  return out;
}

DType compute_dtype(const Tensor& y_pred) {
  return y_pred.dtype() == DType::float64 ? DType::float64 : DType::float32;
}

// Moves `axis` of both tensors last (a differentiable transpose) when it is not already.
int normalize_axis(int axis, int ndim, const std::string& loss) {
  if (axis < -ndim || axis >= ndim)
    throw ValueError("Loss '" + loss + "': axis " + std::to_string(axis) +
                     " is out of bounds for y_pred of rank " + std::to_string(ndim) + ".");
  return axis < 0 ? axis + ndim : axis;
}

void check_same_shape(const Tensor& t, const Tensor& p, const std::string& loss) {
  if (t.shape() != p.shape())
    throw ValueError(
        "Loss '" + loss + "': expected y_true and y_pred of the same shape, received " +
        "y_true.shape=" + shape_str(t.shape()) + " and y_pred.shape=" + shape_str(p.shape()) + ".");
}

// Per-row weights for the fused reduction, or false when sample_weight needs the generic path
// (a weight tensor that broadcasts the per-sample losses to a bigger shape).
bool fused_weights(const Tensor& sw, const Shape& per_sample, DType dt, Tensor* out) {
  if (!sw.defined()) return true;
  if (per_sample.empty()) return false;
  if (sw.size() == 1) {
    *out = sw.astype(dt).reshape({1});
    return true;
  }
  // squeeze_or_expand_to_same_rank on shapes: a trailing 1 on either side may be dropped.
  const Shape& v = per_sample;
  const Shape& w = sw.shape();
  bool aligned = false;
  if (v.size() == w.size()) {
    aligned = v == w;
  } else if (v.size() == w.size() + 1 && v.back() == 1) {
    aligned = std::equal(w.begin(), w.end(), v.begin());
  } else if (w.size() == v.size() + 1 && w.back() == 1) {
    aligned = std::equal(v.begin(), v.end(), w.begin());
  }
  if (!aligned) return false;
  *out = sw.astype(dt).reshape({-1});
  return true;
}

bool reduce_fused(const std::string& reduction, const Tensor& sw, Plan* plan, DType dt) {
  if (!fused_weights(sw, plan->per_sample, dt, &plan->weights)) return false;
  plan->reduce = true;
  plan->scale =
      reduction == "sum" ? 1.0 : (plan->rows ? 1.0 / static_cast<double>(plan->rows) : 0.0);
  return plan->rows > 0;
}

template <typename T>
inline T clip_eps(T p) {
  const T lo = static_cast<T>(kEpsilon), hi = static_cast<T>(1.0 - kEpsilon);
  return p < lo ? lo : (p > hi ? hi : p);
}
template <typename T>
inline bool in_clip(T p) {
  return p >= static_cast<T>(kEpsilon) && p <= static_cast<T>(1.0 - kEpsilon);
}

// ---------------------------------------------------------------------------------------------
// Binary: the row loss is the mean over the row of the elementwise cross-entropy.

Tensor binary_xent(const Tensor& y_true_in, const Tensor& y_pred_in,
                   const BinaryCrossentropyOptions& o, const std::string& name,
                   const std::string* reduction, const Tensor& sw) {
  const DType dt = compute_dtype(y_pred_in);
  Tensor y_pred = y_pred_in.dtype() == dt ? y_pred_in : y_pred_in.astype(dt);
  Tensor y_true = y_true_in.astype(dt);
  std::tie(y_true, y_pred) = squeeze_or_expand_to_same_rank(y_true, y_pred);
  check_same_shape(y_true, y_pred, name);
  if (y_pred.ndim() == 0) {
    y_pred = y_pred.reshape({1});
    y_true = y_true.reshape({1});
  }
  const int axis = normalize_axis(o.axis, y_pred.ndim(), name);
  if (axis != y_pred.ndim() - 1) {
    y_pred = ops::moveaxis(y_pred, axis, -1);
    y_true = ops::moveaxis(y_true, axis, -1);
  }
  Plan plan;
  plan.classes = y_pred.shape().back();
  plan.per_sample = Shape(y_pred.shape().begin(), y_pred.shape().end() - 1);
  plan.rows = shape_size(plan.per_sample);
  if (reduction && !reduce_fused(*reduction, sw, &plan, dt)) return Tensor();
  const double ls = o.label_smoothing;
  return detail::dispatch_float(dt, "BinaryCrossentropy", [&]<typename T>() {
    const T* t = y_true.data<T>();
    const int64_t C = plan.classes;
    const T inv_c = static_cast<T>(1.0 / static_cast<double>(C));
    auto label = [&](int64_t i) {
      return ls != 0.0 ? static_cast<T>(t[i] * (1.0 - ls) + 0.5 * ls) : t[i];
    };
    if (o.from_logits) {
      return run_rows<T>("SigmoidCrossEntropyWithLogits", y_pred, plan,
                         [&](int64_t r, const T* x, T* g, double coef) {
                           double sum = 0.0;
                           const T c = static_cast<T>(coef) * inv_c;
                           for (int64_t j = 0; j < C; ++j) {
                             const T xv = x[j], tv = label(r * C + j);
                             const T e = detail::vexp<T>(-std::abs(xv));
                             sum += std::max(xv, T(0)) - xv * tv + detail::vlog1p<T>(e);
                             if (g) {
                               const T sig = xv >= 0 ? T(1) / (T(1) + e) : e / (T(1) + e);
                               g[j] = c * (sig - tv);
                             }
                           }
                           return sum / static_cast<double>(C);
                         });
    }
    return run_rows<T>(
        "BinaryCrossentropy", y_pred, plan, [&](int64_t r, const T* p, T* g, double coef) {
          double sum = 0.0;
          const T c = static_cast<T>(coef) * inv_c;
          for (int64_t j = 0; j < C; ++j) {
            const T tv = label(r * C + j), cp = clip_eps(p[j]);
            sum -= tv * std::log(cp) + (T(1) - tv) * std::log(T(1) - cp);
            if (g) g[j] = in_clip(p[j]) ? c * (-tv / cp + (T(1) - tv) / (T(1) - cp)) : T(0);
          }
          return sum / static_cast<double>(C);
        });
  });
}

// ---------------------------------------------------------------------------------------------
// Categorical: one-hot (or soft) labels over the class axis.

Tensor categorical_xent(const Tensor& y_true_in, const Tensor& y_pred_in,
                        const CategoricalCrossentropyOptions& o, const std::string& name,
                        const std::string* reduction, const Tensor& sw) {
  const DType dt = compute_dtype(y_pred_in);
  Tensor y_pred = y_pred_in.dtype() == dt ? y_pred_in : y_pred_in.astype(dt);
  Tensor y_true = y_true_in.astype(dt);
  std::tie(y_true, y_pred) = squeeze_or_expand_to_same_rank(y_true, y_pred);
  check_same_shape(y_true, y_pred, name);
  if (y_pred.ndim() == 0)
    throw ValueError("Loss '" + name + "': y_pred must have a class axis, received a scalar.");
  // Keras smooths with the last axis's length whatever `axis` is.
  const int64_t num_classes_for_smoothing = y_true.shape().back();
  const int axis = normalize_axis(o.axis, y_pred.ndim(), name);
  if (axis != y_pred.ndim() - 1) {
    y_pred = ops::moveaxis(y_pred, axis, -1);
    y_true = ops::moveaxis(y_true, axis, -1);
  }
  Plan plan;
  plan.classes = y_pred.shape().back();
  plan.per_sample = Shape(y_pred.shape().begin(), y_pred.shape().end() - 1);
  plan.rows = shape_size(plan.per_sample);
  if (reduction && !reduce_fused(*reduction, sw, &plan, dt)) return Tensor();
  const double ls = o.label_smoothing;
  const double ls_add = ls / static_cast<double>(num_classes_for_smoothing);
  return detail::dispatch_float(dt, "CategoricalCrossentropy", [&]<typename T>() {
    const T* t = y_true.data<T>();
    const int64_t C = plan.classes;
    auto label = [&](int64_t i) {
      return ls != 0.0 ? static_cast<T>(t[i] * (1.0 - ls) + ls_add) : t[i];
    };
    if (o.from_logits) {
      std::vector<T> scratch(C);
      return run_rows<T>("SoftmaxCrossEntropyWithLogits", y_pred, plan,
                         [&](int64_t r, const T* x, T* g, double coef) {
                           T m = x[0];
                           for (int64_t j = 1; j < C; ++j) m = std::max(m, x[j]);
                           T* e = g ? g : scratch.data();
                           for (int64_t j = 0; j < C; ++j) e[j] = detail::vexp<T>(x[j] - m);
                           double s = 0.0, tsum = 0.0, tx = 0.0;
                           for (int64_t j = 0; j < C; ++j) {
                             s += e[j];
                             const T tv = label(r * C + j);
                             tsum += tv;
                             tx += static_cast<double>(tv) * (x[j] - m);
                           }
                           const double lse = std::log(s);  // relative to m
                           if (g) {
                             const T a = static_cast<T>(coef * tsum / s), c = static_cast<T>(coef);
                             for (int64_t j = 0; j < C; ++j) g[j] = g[j] * a - c * label(r * C + j);
                           }
                           return lse * tsum - tx;
                         });
    }
    return run_rows<T>("CategoricalCrossentropy", y_pred, plan,
                       [&](int64_t r, const T* p, T* g, double coef) {
                         double s = 0.0;
                         for (int64_t j = 0; j < C; ++j) s += p[j];
                         const T inv_s = static_cast<T>(1.0 / s);
                         double loss = 0.0, aq = 0.0;
                         for (int64_t j = 0; j < C; ++j) {
                           const T q = p[j] * inv_s, cq = clip_eps(q), tv = label(r * C + j);
                           loss -= tv * std::log(cq);
                           if (g) {
                             const T a = in_clip(q) ? -tv / cq : T(0);
                             g[j] = a;
                             aq += static_cast<double>(a) * q;
                           }
                         }
                         if (g) {
                           const T c = static_cast<T>(coef) * inv_s, shift = static_cast<T>(aq);
                           for (int64_t j = 0; j < C; ++j) g[j] = c * (g[j] - shift);
                         }
                         return loss;
                       });
  });
}

// ---------------------------------------------------------------------------------------------
// Sparse: integer labels; `valid` marks the samples that count (ignore_class).

struct SparseLabels {
  std::vector<int64_t> label;
  std::vector<uint8_t> valid;
  int64_t num_valid = 0;
  Shape shape;  // per-sample shape
};

SparseLabels sparse_labels(const Tensor& y_true_in, const Tensor& y_pred,
                           std::optional<int64_t> ignore_class, const std::string& name) {
  if (y_pred.ndim() < 1)
    throw ValueError("Loss '" + name + "': y_pred must have a class axis, received a scalar.");
  Tensor y_true = y_true_in;
  if (y_true.ndim() == y_pred.ndim() && y_true.ndim() > 0 && y_true.shape().back() == 1) {
    Shape s = y_true.shape();
    s.pop_back();
    y_true = y_true.reshape(s);
  }
  const Shape expected(y_pred.shape().begin(), y_pred.shape().end() - 1);
  if (y_true.shape() != expected)
    throw ValueError("Loss '" + name + "': expected labels of shape " + shape_str(expected) +
                     " (y_pred.shape[:-1]) for y_pred of shape " + shape_str(y_pred.shape()) +
                     ", received y_true.shape=" + shape_str(y_true.shape()) + ".");
  SparseLabels out;
  out.shape = expected;
  const int64_t n = y_true.size(), C = y_pred.shape().back();
  out.label.resize(n);
  out.valid.assign(n, 1);
  detail::dispatch_numeric(
      y_true.dtype() == DType::bool_ ? DType::uint8 : y_true.dtype(),
      "SparseCategoricalCrossentropy", [&]<typename L>() {
        const Tensor t = y_true.dtype() == DType::bool_ ? y_true.astype(DType::uint8) : y_true;
        const L* v = t.data<L>();
        for (int64_t i = 0; i < n; ++i) {
          if constexpr (std::is_floating_point_v<L>) {
            if (!std::isfinite(v[i]))
              throw ValueError("Loss '" + name + "': received a non-finite label.");
          }
          const int64_t lab = static_cast<int64_t>(v[i]);
          if (ignore_class && static_cast<double>(v[i]) == static_cast<double>(*ignore_class)) {
            out.valid[i] = 0;
            out.label[i] = 0;
            continue;
          }
          if (lab < 0 || lab >= C)
            throw ValueError("Loss '" + name + "': received a label value of " +
                             std::to_string(lab) + " which is outside the valid range of [0, " +
                             std::to_string(C) + ").");
          out.label[i] = lab;
        }
      });
  for (uint8_t v : out.valid) out.num_valid += v;
  return out;
}

Tensor sparse_xent(const Tensor& y_true, const Tensor& y_pred_in,
                   const SparseCategoricalCrossentropyOptions& o, const std::string& name,
                   const std::string* reduction, const Tensor& sw, Tensor* mask) {
  const DType dt = compute_dtype(y_pred_in);
  const Tensor y_pred = y_pred_in.dtype() == dt ? y_pred_in : y_pred_in.astype(dt);
  const SparseLabels labels = sparse_labels(y_true, y_pred, o.ignore_class, name);
  Plan plan;
  plan.classes = y_pred.shape().back();
  plan.per_sample = labels.shape;
  plan.rows = shape_size(plan.per_sample);
  if (reduction) {
    if (!reduce_fused(*reduction, sw, &plan, dt)) return Tensor();
    // Keras's apply_mask: the mean runs over the valid samples only.
    if (o.ignore_class && *reduction != "sum")
      plan.scale = labels.num_valid ? 1.0 / static_cast<double>(labels.num_valid) : 0.0;
  }
  if (mask && o.ignore_class) {
    *mask = Tensor::empty(labels.shape, DType::bool_);
    bool* m = mask->data<bool>();
    for (int64_t i = 0; i < plan.rows; ++i) m[i] = labels.valid[i] != 0;
  }
  const int64_t C = plan.classes;
  const int64_t* lab = labels.label.data();
  const uint8_t* valid = labels.valid.data();
  return detail::dispatch_float(dt, "SparseCategoricalCrossentropy", [&]<typename T>() {
    if (o.from_logits) {
      std::vector<T> scratch(C);
      return run_rows<T>("SparseSoftmaxCrossEntropyWithLogits", y_pred, plan,
                         [&](int64_t r, const T* x, T* g, double coef) -> double {
                           if (!valid[r]) {
                             if (g) std::fill(g, g + C, T(0));
                             return 0.0;
                           }
                           T m = x[0];
                           for (int64_t j = 1; j < C; ++j) m = x[j] > m ? x[j] : m;
                           // exp in its own loop so that it vectorizes (vexp: branch-free).
                           T* e = g ? g : scratch.data();
                           for (int64_t j = 0; j < C; ++j) e[j] = detail::vexp<T>(x[j] - m);
                           T s = 0;
                           for (int64_t j = 0; j < C; ++j) s += e[j];
                           if (g) {
                             const T a = static_cast<T>(coef) / s;
                             for (int64_t j = 0; j < C; ++j) g[j] *= a;
                             g[lab[r]] -= static_cast<T>(coef);
                           }
                           return static_cast<double>(std::log(s)) + (m - x[lab[r]]);
                         });
    }
    // TF backend: log(clip(p)) fed to sparse_softmax_cross_entropy_with_logits, which
    // renormalises: -log(c[label]) + log(sum(c)).
    return run_rows<T>("SparseCategoricalCrossentropy", y_pred, plan,
                       [&](int64_t r, const T* p, T* g, double coef) -> double {
                         if (!valid[r]) {
                           if (g) std::fill(g, g + C, T(0));
                           return 0.0;
                         }
                         double s = 0.0;
                         for (int64_t j = 0; j < C; ++j) s += clip_eps(p[j]);
                         const int64_t k = lab[r];
                         const T ck = clip_eps(p[k]);
                         if (g) {
                           const T a = static_cast<T>(coef / s), c = static_cast<T>(coef);
                           for (int64_t j = 0; j < C; ++j) g[j] = in_clip(p[j]) ? a : T(0);
                           if (in_clip(p[k])) g[k] -= c / ck;
                         }
                         return std::log(s) - std::log(static_cast<double>(ck));
                       });
  });
}

}  // namespace

// ---- BinaryCrossentropy ----

BinaryCrossentropy::BinaryCrossentropy(const BinaryCrossentropyOptions& o)
    : Loss("BinaryCrossentropy", {.reduction = o.reduction, .name = o.name}, "binary_crossentropy"),
      o_(o) {}

Tensor BinaryCrossentropy::call(const Tensor& y_true, const Tensor& y_pred) const {
  return binary_xent(y_true, y_pred, o_, name(), nullptr, Tensor());
}

Tensor BinaryCrossentropy::fused_reduce(const Tensor& y_true, const Tensor& y_pred,
                                        const Tensor& sw) const {
  return binary_xent(y_true, y_pred, o_, name(), &reduction(), sw);
}

void BinaryCrossentropy::config(ConfigIO& io) {
  Loss::config(io);
  io("from_logits", o_.from_logits);
  io("label_smoothing", o_.label_smoothing);
  io("axis", o_.axis);
}

// ---- CategoricalCrossentropy ----

CategoricalCrossentropy::CategoricalCrossentropy(const CategoricalCrossentropyOptions& o)
    : Loss("CategoricalCrossentropy", {.reduction = o.reduction, .name = o.name},
           "categorical_crossentropy"),
      o_(o) {}

Tensor CategoricalCrossentropy::call(const Tensor& y_true, const Tensor& y_pred) const {
  return categorical_xent(y_true, y_pred, o_, name(), nullptr, Tensor());
}

Tensor CategoricalCrossentropy::fused_reduce(const Tensor& y_true, const Tensor& y_pred,
                                             const Tensor& sw) const {
  return categorical_xent(y_true, y_pred, o_, name(), &reduction(), sw);
}

void CategoricalCrossentropy::config(ConfigIO& io) {
  Loss::config(io);
  io("from_logits", o_.from_logits);
  io("label_smoothing", o_.label_smoothing);
  io("axis", o_.axis);
}

// ---- SparseCategoricalCrossentropy ----

SparseCategoricalCrossentropy::SparseCategoricalCrossentropy(
    const SparseCategoricalCrossentropyOptions& o)
    : Loss("SparseCategoricalCrossentropy", {.reduction = o.reduction, .name = o.name},
           "sparse_categorical_crossentropy"),
      o_(o) {}

Tensor SparseCategoricalCrossentropy::call(const Tensor& y_true, const Tensor& y_pred) const {
  return sparse_xent(y_true, y_pred, o_, name(), nullptr, Tensor(), nullptr);
}

Tensor SparseCategoricalCrossentropy::call_with_mask(const Tensor& y_true, const Tensor& y_pred,
                                                     Tensor* mask) const {
  return sparse_xent(y_true, y_pred, o_, name(), nullptr, Tensor(), mask);
}

Tensor SparseCategoricalCrossentropy::fused_reduce(const Tensor& y_true, const Tensor& y_pred,
                                                   const Tensor& sw) const {
  return sparse_xent(y_true, y_pred, o_, name(), &reduction(), sw, nullptr);
}

void SparseCategoricalCrossentropy::config(ConfigIO& io) {
  Loss::config(io);
  io("from_logits", o_.from_logits);
  if (io.writing()) {
    (*io.output())["ignore_class"] = o_.ignore_class ? json(*o_.ignore_class) : json(nullptr);
  } else if (auto it = io.input()->find("ignore_class"); it != io.input()->end()) {
    io.consume("ignore_class");
    if (it->is_null()) {
      o_.ignore_class.reset();
    } else if (it->is_number_integer()) {
      o_.ignore_class = it->get<int64_t>();
    } else {
      throw ValueError("Invalid value for config field 'ignore_class': " + it->dump() +
                       " (expected an integer or null).");
    }
  }
}

}  // namespace keras::losses
