#include "keras/layers/regularization/dropout.hpp"

#include <cmath>

#include "core/dispatch.hpp"
#include "keras/core/autograd.hpp"
#include "keras/ops.hpp"

namespace keras {

namespace {

// The fused kernel for a mask of x's own shape: y = u >= rate ? x * scale : 0, one pass, where u
// are the uniform draws. The backward pass applies the same test to the saved draws, so it costs
// one pass and no extra mask buffer.
template <typename T>
void dropout_kernel(const T* x, const float* u, T* y, int64_t n, float rate, T scale) {
  for (int64_t i = 0; i < n; ++i) y[i] = u[i] >= rate ? x[i] * scale : T(0);
}

Shape concrete_noise_shape(const Shape& x_shape, const Shape& noise_shape) {
  if (noise_shape.empty()) return x_shape;
  if (noise_shape.size() != x_shape.size())
    throw ValueError("dropout: expected a noise_shape of rank " + std::to_string(x_shape.size()) +
                     " (the inputs' rank), received noise_shape=" + shape_str(noise_shape) +
                     " for inputs of shape " + shape_str(x_shape) + ".");
  Shape out = noise_shape;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] < 0) out[i] = x_shape[i];
    if (out[i] != 1 && out[i] != x_shape[i])
      throw ValueError("dropout: noise_shape=" + shape_str(noise_shape) +
                       " does not broadcast to the inputs' shape " + shape_str(x_shape) +
                       ": each dimension must be 1, -1 or the input's.");
  }
  return out;
}

}  // namespace

namespace random {

Tensor dropout(const Tensor& x, double rate, const Shape& noise_shape, Seed seed) {
  if (!(rate >= 0.0 && rate <= 1.0))
    throw ValueError("dropout: expected a rate between 0 and 1, received rate=" +
                     std::to_string(rate) + ".");
  if (!is_floating(x.dtype()))
    throw TypeError("dropout: expected floating inputs, received dtype " +
                    std::string(dtype_name(x.dtype())) + ".");
  const Shape mask_shape = concrete_noise_shape(x.shape(), noise_shape);
  if (rate == 0.0) return x;
  if (rate == 1.0) return x * 0.0;  // everything dropped (1 / (1 - rate) would be inf)
  if (x.dtype() == DType::float16 || x.dtype() == DType::bfloat16)
    return dropout(x.astype(DType::float32), rate, noise_shape, seed).astype(x.dtype());

  // One uniform draw per mask element (float32 whatever x's dtype: it is only compared).
  Tensor u = uniform(mask_shape, 0.0, 1.0, DType::float32, seed);
  const float r = static_cast<float>(rate);
  if (mask_shape != x.shape()) {
    // A shared mask: materialise it in x's dtype and let multiply broadcast it; multiply's
    // gradient then reuses it (dx = g * mask).
    Tensor mask = Tensor::empty(mask_shape, x.dtype());
    detail::dispatch_float(x.dtype(), "Dropout", [&]<typename T>() {
      const T scale = static_cast<T>(1.0 / (1.0 - rate));
      const float* pu = u.data<float>();
      T* pm = mask.data<T>();
      for (int64_t i = 0; i < mask.size(); ++i) pm[i] = pu[i] >= r ? scale : T(0);
    });
    return x * mask;
  }
  Tensor y = Tensor::empty(x.shape(), x.dtype());
  detail::dispatch_float(x.dtype(), "Dropout", [&]<typename T>() {
    dropout_kernel<T>(x.data<T>(), u.data<float>(), y.data<T>(), x.size(), r,
                      static_cast<T>(1.0 / (1.0 - rate)));
  });
  if (autograd::needs_grad({&x})) {
    autograd::record(y, "Dropout", {x}, [u, r, rate](const Tensor& g) -> std::vector<Tensor> {
      Tensor dx = Tensor::empty(g.shape(), g.dtype());
      detail::dispatch_float(g.dtype(), "DropoutGrad", [&]<typename T>() {
        dropout_kernel<T>(g.data<T>(), u.data<float>(), dx.data<T>(), g.size(), r,
                          static_cast<T>(1.0 / (1.0 - rate)));
      });
      return {dx};
    });
  }
  return y;
}

}  // namespace random

namespace layers {

Dropout::Dropout(double rate, const DropoutOptions& options)
    : Layer({.name = options.name, .trainable = options.trainable, .dtype = options.dtype},
            "Dropout"),
      rate_(rate),
      noise_shape_(options.noise_shape),
      seed_(options.seed) {
  validate_and_reseed();
  set_built(true);
}

void Dropout::validate_and_reseed() {
  if (!(rate_ >= 0.0 && rate_ <= 1.0))
    throw ValueError("Dropout: invalid value received for argument `rate`. Expected a float "
                     "value between 0 and 1. Received: rate=" + std::to_string(rate_));
  if (noise_shape_)
    for (size_t i = 0; i < noise_shape_->size(); ++i)
      if ((*noise_shape_)[i] == 0 || (*noise_shape_)[i] < -1)
        throw ValueError("Dropout: invalid value received for argument `noise_shape`. Expected "
                         "all dimensions to be positive integers or None (-1). Received: "
                         "noise_shape=" + shape_str(*noise_shape_));
  // As Keras: a generator only when something is dropped (an unseeded one draws its seed from
  // the global source, so creating one needlessly would shift later unseeded draws).
  if (rate_ > 0) {
    if (seed_) {
      seed_generator_.emplace(*seed_);
    } else if (!seed_generator_) {
      seed_generator_.emplace();
    }
  } else {
    seed_generator_.reset();
  }
}

Tensor Dropout::call(const Tensor& x, bool training) {
  if (!training || rate_ == 0.0) return x;
  const Tensor in = is_floating(x.dtype()) && x.dtype() != dtype() ? x.astype(dtype()) : x;
  Shape noise;
  if (noise_shape_) {
    noise = *noise_shape_;
    if (noise.size() != static_cast<size_t>(in.ndim()))
      throw ValueError("Dropout '" + name() + "': expected a noise_shape of rank " +
                       std::to_string(in.ndim()) + " for inputs of shape " +
                       shape_str(in.shape()) + ", received noise_shape=" + shape_str(noise) +
                       ".");
  }
  return random::dropout(in, rate_, noise, *seed_generator_);
}

std::vector<Shape> Dropout::compute_output_shape(const std::vector<Shape>& input_shapes) {
  return input_shapes;
}

void Dropout::config(ConfigIO& io) {
  Layer::config(io);
  io("rate", rate_);
  io("seed", seed_);
  // Keras writes the tuple with None for unknown dimensions; -1 here.
  if (io.writing()) {
    json& j = (*io.output())["noise_shape"];
    if (!noise_shape_) {
      j = nullptr;
    } else {
      j = json::array();
      for (auto d : *noise_shape_) j.push_back(d < 0 ? json(nullptr) : json(d));
    }
  } else if (auto it = io.input()->find("noise_shape"); it != io.input()->end()) {
    io.consume("noise_shape");
    if (it->is_null()) {
      noise_shape_.reset();
    } else if (it->is_array()) {
      Shape s;
      for (const auto& d : *it) {
        if (!d.is_null() && !d.is_number_integer())
          throw ValueError("Dropout: invalid value for config field 'noise_shape': " + it->dump() +
                           " (expected a list of integers or nulls).");
        s.push_back(d.is_null() ? -1 : d.get<int64_t>());
      }
      noise_shape_ = s;
    } else {
      throw ValueError("Dropout: invalid value for config field 'noise_shape': " + it->dump() +
                       " (expected a list of integers or nulls).");
    }
  }
  if (io.reading()) validate_and_reseed();
}

}  // namespace layers
}  // namespace keras
