// keras.Model: a layer made of layers — functional (built from symbolic inputs and outputs) or
// subclassed (a C++ class overriding call(), members tracked under their attribute names).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "keras/callbacks/callback.hpp"
#include "keras/layers/core/input_layer.hpp"
#include "keras/layers/layer.hpp"
#include "keras/losses/loss.hpp"
#include "keras/metrics/metric.hpp"
#include "keras/optimizers/optimizer.hpp"
#include "keras/saving/tf_checkpoint/load_status.hpp"

namespace keras {

struct ModelOptions {
  std::string name{};
  bool trainable = true;
};

namespace data {
class Dataset;
}

// model.compile(...) arguments.
struct CompileOptions {
  OptimizerArg optimizer = "rmsprop";
  LossArg loss{};                    // one loss for every output
  std::vector<LossArg> losses{};     // or one per output
  std::vector<MetricArg> metrics{};  // names ("accuracy", "mae"...) or objects
  std::vector<double> loss_weights{};
};

// model.fit(...) arguments.
struct FitOptions {
  int64_t batch_size = 32;
  int epochs = 1;
  int verbose = 1;  // 0 silent, 1 progress bar, 2 one line per epoch
  std::vector<callbacks::CallbackPtr> callbacks{};
  double validation_split = 0.0;
  // (x_val, y_val) pairs; several entries are the inputs/targets of a multi-io model.
  std::optional<std::pair<std::vector<Tensor>, std::vector<Tensor>>> validation_data{};
  bool shuffle = true;
  int initial_epoch = 0;
  Tensor sample_weight{};
  int64_t steps_per_epoch = 0;  // 0: the whole data
  int validation_freq = 1;
  uint64_t seed = 0;  // 0: from keras::random's global seed
};

struct EvaluateOptions {
  int64_t batch_size = 32;
  int verbose = 1;
  Tensor sample_weight{};
  std::vector<callbacks::CallbackPtr> callbacks{};
};

struct PredictOptions {
  int64_t batch_size = 32;
  int verbose = 0;
  std::vector<callbacks::CallbackPtr> callbacks{};
};

class Model : public layers::Layer {
 public:
  // A subclassed model: override call(); `class_name` is the name saved in configs.
  explicit Model(const ModelOptions& options = {}, std::string class_name = "Model");
  // A functional model (Keras's keras.Model(inputs=..., outputs=...)).
  Model(const std::vector<KerasTensor>& inputs, const std::vector<KerasTensor>& outputs,
        const ModelOptions& options = {});
  Model(const KerasTensor& input, const KerasTensor& output, const ModelOptions& options = {});
  KERAS_LAYER_CLONE(Model)

  bool is_functional() const { return !graph_.empty(); }
  const std::vector<KerasTensor>& inputs() const { return inputs_; }
  const std::vector<KerasTensor>& outputs() const { return outputs_; }
  // model.layers: functional models list every layer (InputLayers too) by depth; subclassed
  // models their tracked sublayers; Sequential its layers without the implicit InputLayer.
  virtual std::vector<keras::Layer> layers() const;
  keras::Layer get_layer(const std::string& name) const;
  keras::Layer get_layer(int index) const;  // negative indices count from the end

  Tensor call(const Tensor& x, bool training) override;
  std::vector<Tensor> call(const std::vector<Tensor>& inputs, bool training) override;
  std::vector<Shape> compute_output_shape(const std::vector<Shape>& input_shapes) override;

  // ---- training (src/models/trainer*.cpp) ----
  void compile(const CompileOptions& options);
  bool compiled() const { return compiled_; }
  const std::shared_ptr<optimizers::Optimizer>& optimizer() const { return optimizer_; }
  const std::vector<std::shared_ptr<losses::Loss>>& loss_objects() const { return losses_; }
  const std::vector<std::shared_ptr<metrics::Metric>>& metric_objects() const { return metrics_; }
  // The compile() arguments as given (Keras's compile_config).
  const CompileOptions& compile_options() const { return compile_options_; }

  History fit(const Tensor& x, const Tensor& y, const FitOptions& options = {});
  History fit(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
              const FitOptions& options = {});
  History fit(const data::Dataset& dataset, const FitOptions& options = {});
  // Loss first, then metrics, by name and by position (Keras's list / return_dict).
  Logs evaluate(const Tensor& x, const Tensor& y, const EvaluateOptions& options = {});
  Logs evaluate(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                const EvaluateOptions& options = {});
  Logs evaluate(const data::Dataset& dataset, const EvaluateOptions& options = {});
  Tensor predict(const Tensor& x, const PredictOptions& options = {});
  std::vector<Tensor> predict(const std::vector<Tensor>& x, const PredictOptions& options = {});
  Tensor predict(const data::Dataset& dataset, const PredictOptions& options = {});
  Logs train_on_batch(const Tensor& x, const Tensor& y, const Tensor& sample_weight = Tensor());
  Logs test_on_batch(const Tensor& x, const Tensor& y, const Tensor& sample_weight = Tensor());
  Tensor predict_on_batch(const Tensor& x);
  // Set by callbacks (EarlyStopping) to end fit() after the current epoch.
  bool stop_training = false;
  // Set by a callback in on_train_begin (BackupAndRestore) to start fit() at this epoch.
  int resume_epoch = -1;

  // ---- saving (src/saving/model_saving_api.cpp): the format follows the path as in Keras ----
  // A path without a known suffix is a TF checkpoint prefix ("ckpt/my_cp" -> my_cp.index,
  // my_cp.data-00000-of-00001 and the directory's `checkpoint` file).
  void save_weights(const std::string& path);
  // Restores weights saved by save_weights (or by tf.keras, TF1 checkpoints by variable name);
  // the status answers assert_consumed() / expect_partial() as TensorFlow's does.
  saving::tf_checkpoint::LoadStatus load_weights(const std::string& path);

  // Keras's model.summary() table (line_length 0: 65 for sequential-like models, else 98);
  // print_summary() writes it to stdout.
  std::string summary(int line_length = 0) const;
  void print_summary(int line_length = 0) const;

 protected:
  // Builds the functional graph from symbolic inputs/outputs (also used by Sequential).
  void init_graph(const std::vector<KerasTensor>& inputs, const std::vector<KerasTensor>& outputs);
  void clear_graph();
  // True when summary() should use the compact sequential layout (no "Connected to").
  bool sequential_like() const;

 private:
  struct GraphNode {
    std::shared_ptr<layers::Layer> layer{};
    int node_index{};
  };
  // Training state.
  bool compiled_ = false;
  CompileOptions compile_options_;
  std::shared_ptr<optimizers::Optimizer> optimizer_;
  std::vector<std::shared_ptr<losses::Loss>> losses_;
  std::vector<std::shared_ptr<metrics::Metric>> metrics_;
  std::vector<std::string> pending_metrics_;  // "accuracy"... resolved at the first batch
  std::shared_ptr<metrics::Metric> loss_tracker_;
  friend class Trainer;

  std::vector<KerasTensor> inputs_, outputs_;
  std::vector<GraphNode> graph_;                 // topological order
  std::vector<std::shared_ptr<layers::Layer>> graph_layers_;  // by depth, Keras's model.layers
};

}  // namespace keras
