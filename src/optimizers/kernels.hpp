// Internal: the fused element loop every update rule runs in.
//
// An update rule is written once as a generic lambda over a value type V that is either the
// element type T or a SIMD pack of T (GCC vector extensions: + - * / and scalar broadcast work on
// both). for_each_element runs it over packs, then over the scalar tail. The packs exist because
// the rules need sqrt: libm's sqrt may set errno, which stops GCC from vectorizing a loop that
// calls it unless the whole build uses -fno-math-errno, while the SIMD instruction simply gives NaN
// for a negative input as IEEE (and TensorFlow) do.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "keras/optimizers/optimizer.hpp"

namespace keras::optimizers::detail {

// The storage of a variable, writable: updates happen in place, with no autograd recording and no
// temporaries. Variable::value() is a view of the variable's own storage.
template <typename T>
T* mutable_data(const Variable& v) {
  return const_cast<Tensor&>(v.value()).template data<T>();
}

#if defined(__AVX__)
using PackF = float __attribute__((vector_size(32)));
using PackD = double __attribute__((vector_size(32)));
inline PackF vsqrt(PackF x) { return (PackF)_mm256_sqrt_ps((__m256)x); }
inline PackD vsqrt(PackD x) { return (PackD)_mm256_sqrt_pd((__m256d)x); }
inline PackF vmax(PackF a, PackF b) { return (PackF)_mm256_max_ps((__m256)a, (__m256)b); }
inline PackD vmax(PackD a, PackD b) { return (PackD)_mm256_max_pd((__m256d)a, (__m256d)b); }
inline PackF vmin(PackF a, PackF b) { return (PackF)_mm256_min_ps((__m256)a, (__m256)b); }
inline PackD vmin(PackD a, PackD b) { return (PackD)_mm256_min_pd((__m256d)a, (__m256d)b); }
#define KERAS_OPTIMIZER_SIMD 1
#elif defined(__SSE2__)
using PackF = float __attribute__((vector_size(16)));
using PackD = double __attribute__((vector_size(16)));
inline PackF vsqrt(PackF x) { return (PackF)_mm_sqrt_ps((__m128)x); }
inline PackD vsqrt(PackD x) { return (PackD)_mm_sqrt_pd((__m128d)x); }
inline PackF vmax(PackF a, PackF b) { return (PackF)_mm_max_ps((__m128)a, (__m128)b); }
inline PackD vmax(PackD a, PackD b) { return (PackD)_mm_max_pd((__m128d)a, (__m128d)b); }
inline PackF vmin(PackF a, PackF b) { return (PackF)_mm_min_ps((__m128)a, (__m128)b); }
inline PackD vmin(PackD a, PackD b) { return (PackD)_mm_min_pd((__m128d)a, (__m128d)b); }
#define KERAS_OPTIMIZER_SIMD 1
#endif

inline float vsqrt(float x) { return std::sqrt(x); }
inline double vsqrt(double x) { return std::sqrt(x); }
// max/min with the SIMD instructions' operand order: the second operand when either is NaN.
inline float vmax(float a, float b) { return a > b ? a : b; }
inline double vmax(double a, double b) { return a > b ? a : b; }
inline float vmin(float a, float b) { return a < b ? a : b; }
inline double vmin(double a, double b) { return a < b ? a : b; }
template <typename V>
inline V vabs(V x) {
  return vmax(x, -x);
}

template <typename T>
struct Pack {
  using type = T;
};
#ifdef KERAS_OPTIMIZER_SIMD
template <>
struct Pack<float> {
  using type = PackF;
};
template <>
struct Pack<double> {
  using type = PackD;
};
#endif

// Loads/stores one V (a scalar or an unaligned pack) at p.
template <typename V, typename T>
inline V load(const T* p) {
  if constexpr (std::is_same_v<V, T>) {
    return *p;
  } else {
    V v;
    std::memcpy(&v, p, sizeof(V));
    return v;
  }
}
template <typename V, typename T>
inline void store(T* p, V v) {
  if constexpr (std::is_same_v<V, T>) {
    *p = v;
  } else {
    std::memcpy(p, &v, sizeof(V));
  }
}

// Sum of squares of n elements (for clipnorm / global_clipnorm): four independent pack
// accumulators keep the loop vectorized; the lanes are added in double.
template <typename T>
inline double sum_of_squares(const T* x, int64_t n) {
  using V = typename Pack<T>::type;
  constexpr int64_t kWidth = sizeof(V) / sizeof(T);
  V acc[4] = {};
  int64_t i = 0;
  if constexpr (kWidth > 1) {
    for (; i + 4 * kWidth <= n; i += 4 * kWidth)
      for (int k = 0; k < 4; ++k) {
        const V v = load<V>(x + i + k * kWidth);
        acc[k] += v * v;
      }
  }
  double total = 0.0;
  for (int k = 0; k < 4; ++k) {
    T lanes[sizeof(V) / sizeof(T)];
    std::memcpy(lanes, &acc[k], sizeof(V));
    for (int64_t j = 0; j < kWidth; ++j) total += lanes[j];
  }
  for (; i < n; ++i) total += static_cast<double>(x[i]) * x[i];
  return total;
}

// Runs body(i, g) over elements [i, i + width) for i = 0, width, ... (g a pack), then one element
// at a time (g a scalar). g is the gradient after the step's transform
// (clip(g * grad_scale, -clipvalue, clipvalue)); when params.decay != 0, w[i] -= w[i] * decay
// happens first (Keras's _apply_weight_decay, which runs before the update).
template <typename T, bool kTransform, bool kDecay, typename Body>
inline void for_each_element_impl(const StepParams& params, const T* g, T* w, int64_t n,
                                  Body&& body) {
  using V = typename Pack<T>::type;
  constexpr int64_t kWidth = sizeof(V) / sizeof(T);
  const T scale = static_cast<T>(params.grad_scale);
  const T clip =
      params.clipvalue > 0 ? static_cast<T>(params.clipvalue) : std::numeric_limits<T>::infinity();
  const T decay = static_cast<T>(params.decay);
  auto run = [&]<typename U>(int64_t i) {
    U gi = load<U>(g + i);
    if constexpr (kTransform) gi = vmin(vmax(gi * scale, U{} - clip), U{} + clip);
    if constexpr (kDecay) {
      const U wi = load<U>(w + i);
      store<U>(w + i, wi - wi * decay);
    }
    body(i, gi);
  };
  int64_t i = 0;
  if constexpr (kWidth > 1) {
    for (; i + kWidth <= n; i += kWidth) run.template operator()<V>(i);
  }
  for (; i < n; ++i) run.template operator()<T>(i);
}

template <typename T, typename Body>
inline void for_each_element(const StepParams& params, const T* g, T* w, int64_t n, Body&& body) {
  const bool transform = params.transforms_gradient();
  const bool decay = params.decay != 0.0;
  if (!transform && !decay) {
    for_each_element_impl<T, false, false>(params, g, w, n, body);
  } else if (!decay) {
    for_each_element_impl<T, true, false>(params, g, w, n, body);
  } else if (!transform) {
    for_each_element_impl<T, false, true>(params, g, w, n, body);
  } else {
    for_each_element_impl<T, true, true>(params, g, w, n, body);
  }
}

}  // namespace keras::optimizers::detail
