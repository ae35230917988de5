// Python's str.format for the file-path templates Keras callbacks take
// ("cp-{epoch:04d}.ckpt", "model-{val_loss:.2f}.keras"): {name}, {name:spec}, {{ and }}.
#pragma once

#include <map>
#include <string>
#include <variant>

namespace keras::utils {

using FormatValue = std::variant<int64_t, double, std::string>;

// Replaces each field by its value formatted with the spec ([[fill]align][sign][0][width]
// [.precision][type], types d, f, F, e, E, g, G, s, %). ValueError naming the template for an
// unknown field name or a malformed field (Python's KeyError / ValueError).
std::string python_format(const std::string& pattern,
                          const std::map<std::string, FormatValue>& values);

}  // namespace keras::utils
