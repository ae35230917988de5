// The built-in keras.regularizers: L1, L2 and L1L2 penalties.
#pragma once

#include "keras/regularizers/regularizer.hpp"

namespace keras::regularizers {

// l1 * sum(|w|) + l2 * sum(w^2).
class L1L2 : public Regularizer {
 public:
  explicit L1L2(double l1 = 0.0, double l2 = 0.0) : l1_(l1), l2_(l2) {}
  Tensor operator()(const Tensor& w) const override;
  std::string class_name() const override { return "L1L2"; }
  void config(ConfigIO& io) override {
    io("l1", l1_);
    io("l2", l2_);
  }

 protected:
  double l1_, l2_;
};

class L1 : public L1L2 {
 public:
  explicit L1(double l1 = 0.01) : L1L2(l1, 0.0) {}
  std::string class_name() const override { return "L1"; }
  void config(ConfigIO& io) override { io("l1", l1_); }
};

class L2 : public L1L2 {
 public:
  explicit L2(double l2 = 0.01) : L1L2(0.0, l2) {}
  std::string class_name() const override { return "L2"; }
  void config(ConfigIO& io) override { io("l2", l2_); }
};

}  // namespace keras::regularizers
