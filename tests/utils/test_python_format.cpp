#include <gtest/gtest.h>

#include "keras/core/errors.hpp"
#include "keras/utils/python_format.hpp"

using keras::utils::python_format;

// Expected strings are what CPython's str.format prints for the same template and values.
TEST(PythonFormat, KerasCheckpointTemplates) {
  EXPECT_EQ(python_format("training_2/cp-{epoch:04d}.ckpt", {{"epoch", int64_t{7}}}),
            "training_2/cp-0007.ckpt");
  EXPECT_EQ(python_format("w-{epoch:02d}-{val_loss:.2f}.h5",
                          {{"epoch", int64_t{3}}, {"val_loss", 0.4952}}),
            "w-03-0.50.h5");
  EXPECT_EQ(python_format("b{batch}", {{"batch", int64_t{12}}}), "b12");
  EXPECT_EQ(python_format("{loss}", {{"loss", 0.1}}), "0.1");
  EXPECT_EQ(python_format("{loss}", {{"loss", 2.0}}), "2.0");
  EXPECT_EQ(python_format("{loss:.3e}", {{"loss", 12345.678}}), "1.235e+04");
  EXPECT_EQ(python_format("{{literal}} {x:>5}|{x:<5}|{x:^5}", {{"x", int64_t{42}}}),
            "{literal}    42|42   | 42  ");
  EXPECT_EQ(python_format("{x:+d} {y:08.3f}", {{"x", int64_t{5}}, {"y", -3.14159}}),
            "+5 -003.142");
  EXPECT_EQ(python_format("{acc:.1%}", {{"acc", 0.8567}}), "85.7%");
  EXPECT_EQ(python_format("{name}", {{"name", std::string("m")}}), "m");
}

TEST(PythonFormat, ErrorsNameTheTemplate) {
  EXPECT_THROW(python_format("cp-{epoh}.ckpt", {{"epoch", int64_t{1}}}), keras::ValueError);
  EXPECT_THROW(python_format("cp-{epoch", {{"epoch", int64_t{1}}}), keras::ValueError);
  EXPECT_THROW(python_format("{epoch:04q}", {{"epoch", int64_t{1}}}), keras::ValueError);
  EXPECT_THROW(python_format("{loss:d}", {{"loss", 0.5}}), keras::ValueError);
}
