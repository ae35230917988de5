// The built-in keras.constraints: MaxNorm, NonNeg, UnitNorm, MinMaxNorm.
#pragma once

#include <vector>

#include "keras/constraints/constraint.hpp"

namespace keras::constraints {

// Rescales each slice along `axis` to a norm of at most max_value.
class MaxNorm : public Constraint {
 public:
  explicit MaxNorm(double max_value = 2.0, std::vector<int> axis = {0})
      : max_value_(max_value), axis_(std::move(axis)) {}
  Tensor operator()(const Tensor& w) const override;
  std::string class_name() const override { return "MaxNorm"; }
  void config(ConfigIO& io) override;

 private:
  double max_value_;
  std::vector<int> axis_;
};

// Zeroes negative weights.
class NonNeg : public Constraint {
 public:
  Tensor operator()(const Tensor& w) const override;
  std::string class_name() const override { return "NonNeg"; }
};

// Rescales each slice along `axis` to unit norm.
class UnitNorm : public Constraint {
 public:
  explicit UnitNorm(std::vector<int> axis = {0}) : axis_(std::move(axis)) {}
  Tensor operator()(const Tensor& w) const override;
  std::string class_name() const override { return "UnitNorm"; }
  void config(ConfigIO& io) override;

 private:
  std::vector<int> axis_;
};

// Moves each slice's norm towards [min_value, max_value] at `rate`.
class MinMaxNorm : public Constraint {
 public:
  explicit MinMaxNorm(double min_value = 0.0, double max_value = 1.0, double rate = 1.0,
                      std::vector<int> axis = {0})
      : min_value_(min_value), max_value_(max_value), rate_(rate), axis_(std::move(axis)) {}
  Tensor operator()(const Tensor& w) const override;
  std::string class_name() const override { return "MinMaxNorm"; }
  void config(ConfigIO& io) override;

 private:
  double min_value_, max_value_, rate_;
  std::vector<int> axis_;
};

}  // namespace keras::constraints
