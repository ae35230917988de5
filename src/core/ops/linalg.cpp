// matmul (numpy.matmul / tf.linalg.matmul) over OpenBLAS, and its gradient.
#include "keras/ops/linalg.hpp"

#include <cblas.h>

#include <climits>
#include <cstring>

#include "core/dispatch.hpp"
#include "core/ops/broadcast.hpp"
#include "keras/core/autograd.hpp"
#include "keras/ops/elementwise.hpp"

namespace keras::ops {
namespace {

DType compute_type(DType d) {
  if (d == DType::float16 || d == DType::bfloat16) return DType::float32;
  return d;
}

blasint blas_int(int64_t v, const Shape& a, const Shape& b) {
  if (v > INT_MAX)
    throw ValueError("matmul: a dimension exceeds the BLAS limit of 2^31 - 1 (operands " +
                     shape_str(a) + " and " + shape_str(b) + ").");
  return static_cast<blasint>(v);
}

// C (M x N, row-major, contiguous) = op(A) op(B), where A is stored M x K (K x M when ta) and B is
// stored K x N (N x K when tb). REQUIRES M, N > 0.
template <typename T>
void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, const T* a, const T* b, T* c,
          const Shape& as, const Shape& bs) {
  if (k == 0) {
    std::fill(c, c + m * n, T(0));
    return;
  }
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    const blasint bm = blas_int(m, as, bs), bn = blas_int(n, as, bs), bk = blas_int(k, as, bs);
    const CBLAS_TRANSPOSE opa = ta ? CblasTrans : CblasNoTrans;
    const CBLAS_TRANSPOSE opb = tb ? CblasTrans : CblasNoTrans;
    const blasint lda = ta ? bm : bk, ldb = tb ? bk : bn;
    if constexpr (std::is_same_v<T, float>) {
      cblas_sgemm(CblasRowMajor, opa, opb, bm, bn, bk, 1.0f, a, lda, b, ldb, 0.0f, c, bn);
    } else {
      cblas_dgemm(CblasRowMajor, opa, opb, bm, bn, bk, 1.0, a, lda, b, ldb, 0.0, c, bn);
    }
  } else {
    // Integers: exact, i-k-j order so the innermost loop runs along contiguous rows of B and C.
    std::fill(c, c + m * n, T(0));
    for (int64_t i = 0; i < m; ++i) {
      T* crow = c + i * n;
      for (int64_t p = 0; p < k; ++p) {
        const T av = ta ? a[p * m + i] : a[i * k + p];
        if (!tb) {
          const T* brow = b + p * n;
          for (int64_t j = 0; j < n; ++j) crow[j] = static_cast<T>(crow[j] + av * brow[j]);
        } else {
          for (int64_t j = 0; j < n; ++j) crow[j] = static_cast<T>(crow[j] + av * b[j * k + p]);
        }
      }
    }
  }
}

// Both operands have rank >= 2 and the compute dtype; no autodiff.
Tensor matmul_kernel(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  const Shape& as = a.shape();
  const Shape& bs = b.shape();
  const int na = a.ndim(), nb = b.ndim();
  const int64_t m = ta ? as[na - 1] : as[na - 2];
  const int64_t ka = ta ? as[na - 2] : as[na - 1];
  const int64_t kb = tb ? bs[nb - 1] : bs[nb - 2];
  const int64_t n = tb ? bs[nb - 2] : bs[nb - 1];
  if (ka != kb)
    throw ValueError("matmul: the contracted dimensions differ: " + std::to_string(ka) + " and " +
                     std::to_string(kb) + " (operands of shapes " + shape_str(as) + " and " +
                     shape_str(bs) + (ta || tb ? ", with transposes" : "") + ").");
  const Shape batch_a(as.begin(), as.end() - 2), batch_b(bs.begin(), bs.end() - 2);
  const Shape batch = broadcast_shapes(batch_a, batch_b, "MatMul");
  Shape out_shape = batch;
  out_shape.push_back(m);
  out_shape.push_back(n);
  Tensor out = Tensor::empty(out_shape, a.dtype());
  const int64_t batches = shape_size(batch);
  if (out.size() == 0) return out;
  detail::dispatch_numeric(a.dtype(), "MatMul", [&]<typename T>() {
    const T* pa = a.data<T>();
    const T* pb = b.data<T>();
    T* pc = out.data<T>();
    if (shape_size(batch_b) == 1 && !ta) {
      // b is one matrix: a stack of row-major (M, K) matrices is one (batches * M, K) matrix.
      gemm<T>(false, tb, batches * m, n, ka, pa, pb, pc, as, bs);
      return;
    }
    const std::vector<int64_t> sa = detail::broadcast_strides(batch_a, batch);
    const std::vector<int64_t> sb = detail::broadcast_strides(batch_b, batch);
    const int nd = static_cast<int>(batch.size());
    std::vector<int64_t> idx(nd, 0);
    int64_t oa = 0, ob = 0;
    const int64_t mat_a = m * ka, mat_b = ka * n, mat_c = m * n;
    for (int64_t t = 0; t < batches; ++t) {
      gemm<T>(ta, tb, m, n, ka, pa + oa * mat_a, pb + ob * mat_b, pc + t * mat_c, as, bs);
      for (int d = nd - 1; d >= 0; --d) {
        if (++idx[d] < batch[d]) {
          oa += sa[d];
          ob += sb[d];
          break;
        }
        oa -= sa[d] * (batch[d] - 1);
        ob -= sb[d] * (batch[d] - 1);
        idx[d] = 0;
      }
    }
  });
  return out;
}

Tensor matmul_nd(const Tensor& a, const Tensor& b, bool ta, bool tb);

// d(op(A) op(B)): the four transpose cases of TensorFlow's _MatMulGrad, each one gemm.
std::vector<Tensor> matmul_backward(const Tensor& a, const Tensor& b, bool ta, bool tb,
                                    const Tensor& g) {
  Tensor ga, gb;
  if (a.grad_node()) {
    ga = ta ? matmul_nd(b, g, tb, true) : matmul_nd(g, b, false, !tb);
    ga = autograd::reduce_to_shape(ga, a.shape());
  }
  if (b.grad_node()) {
    if (b.ndim() == 2 && a.ndim() > 2 && !ta) {
      // b was shared by every matrix of a's stack: fold the stack into rows so that the sum over
      // the batch happens inside one gemm.
      const int64_t k = a.shape().back();
      const Tensor a2 = a.reshape({-1, k}), g2 = g.reshape({-1, g.shape().back()});
      gb = tb ? matmul_nd(g2, a2, true, false) : matmul_nd(a2, g2, true, false);
    } else {
      gb = tb ? matmul_nd(g, a, true, ta) : matmul_nd(a, g, !ta, false);
      gb = autograd::reduce_to_shape(gb, b.shape());
    }
  }
  return {ga, gb};
}

// Rank >= 2 operands of one dtype; records the gradient.
Tensor matmul_nd(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  Tensor out = matmul_kernel(a, b, ta, tb);
  if (autograd::needs_grad({&a, &b})) {
    const char* name = a.ndim() > 2 || b.ndim() > 2 ? "BatchMatMulV2" : "MatMul";
    autograd::record(out, name, {a, b},
                     [a, b, ta, tb](const Tensor& g) { return matmul_backward(a, b, ta, tb, g); });
  }
  return out;
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a, bool transpose_b) {
  if (!a.defined() || !b.defined()) throw ValueError("matmul: an operand is an undefined tensor.");
  if (a.ndim() == 0 || b.ndim() == 0)
    throw ValueError("matmul: operands must have rank >= 1, received shapes " +
                     shape_str(a.shape()) + " and " + shape_str(b.shape()) + ".");
  const DType rt = result_type(a.dtype(), b.dtype());
  const DType ct = compute_type(rt);
  const Tensor ac = a.astype(ct), bc = b.astype(ct);
  // numpy's promotion of vectors; reshape is a differentiable view.
  const Tensor a2 = a.ndim() == 1 ? ac.reshape({1, a.shape()[0]}) : ac;
  const Tensor b2 = b.ndim() == 1 ? bc.reshape({b.shape()[0], 1}) : bc;
  Tensor out =
      matmul_nd(a2, b2, a.ndim() == 1 ? false : transpose_a, b.ndim() == 1 ? false : transpose_b);
  if (a.ndim() == 1 || b.ndim() == 1) {
    Shape s = out.shape();
    // s ends with (M, N): drop N for a vector b, then M (now last, or still second to last).
    if (b.ndim() == 1) s.erase(s.end() - 1);
    if (a.ndim() == 1) s.erase(s.end() - (b.ndim() == 1 ? 1 : 2));
    out = out.reshape(s);
  }
  return rt == ct ? out : out.astype(rt);
}

Tensor matmul(const Tensor& a, const Tensor& b) { return matmul(a, b, false, false); }

}  // namespace keras::ops
