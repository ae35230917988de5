// keras::io::h5 against h5py: the corpus's real Keras files dumped by both must agree; files the
// wrapper writes must read back in h5py with the expected dtypes, shapes, values and attribute
// flavours; h5py-written fixtures check the type mapping and the errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "keras/io/hdf5.hpp"

namespace fs = std::filesystem;
namespace h5 = keras::io::h5;
using keras::DType;
using keras::Tensor;

namespace {

const std::string kPython = "/usr/bin/python3";
const std::string kTestsDir = std::string(KERAS_SOURCE_DIR) + "/tests/io";

// A fresh directory under /tmp for one test, removed afterwards.
struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("keras_hdf5_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

// Runs a Python helper from tests/io and returns its stdout.
std::string run_python(const std::string& script, const std::string& args, const TempDir& tmp) {
  const std::string out = tmp.file("python_out.txt");
  const std::string cmd =
      kPython + " " + quote(kTestsDir + "/" + script) + " " + args + " > " + quote(out);
  const int rc = std::system(cmd.c_str());
  EXPECT_EQ(rc, 0) << cmd;
  return read_text(out);
}

std::string h5py_dump(const std::string& file, const TempDir& tmp) {
  return run_python("h5dump_tree.py", quote(file), tmp);
}

// ---- the same canonical dump as tests/io/h5dump_tree.py, produced through the wrapper ----

std::string escape(const std::string& s) {
  std::string out = "\"";
  for (const unsigned char c : s) {
    if (c >= 32 && c < 127 && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out + "\"";
}

std::string fmt_values(const Tensor& t) {
  std::string out = "[";
  if (keras::is_floating(t.dtype())) {
    for (const double v : t.to_vector<double>()) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", v);
      if (out.size() > 1) out += ", ";
      out += std::isnan(v) ? "nan" : buf;
    }
  } else {
    for (const int64_t v : t.to_vector<int64_t>()) {
      if (out.size() > 1) out += ", ";
      out += std::to_string(v);
    }
  }
  return out + "]";
}

void dump_attrs(const h5::Object& obj, std::vector<std::string>& out) {
  for (const std::string& name : obj.attr_names()) {
    const h5::AttrInfo info = obj.attr_info(name);
    const std::string escaped = escape(name);
    std::string line = "A " + obj.path() + " @" + escaped.substr(1, escaped.size() - 2) + " ";
    if (info.kind == h5::AttrInfo::Kind::string) {
      const bool utf8 = info.flavour == h5::StringFlavour::vlen_utf8 ||
                        info.flavour == h5::StringFlavour::fixed_utf8;
      const bool vlen = info.flavour == h5::StringFlavour::vlen_utf8 ||
                        info.flavour == h5::StringFlavour::vlen_ascii;
      line += std::string("string ") + (vlen ? "vlen " : "fixed ") + (utf8 ? "utf-8" : "ascii");
      if (!vlen) line += " " + std::to_string(info.fixed_size);
      line += " " + keras::shape_str(info.shape) + " = [";
      bool first = true;
      for (const std::string& s : obj.read_string_list_attr(name)) {
        line += (first ? "" : ", ") + escape(s);
        first = false;
      }
      out.push_back(line + "]");
    } else {
      const Tensor value = obj.read_attr(name);
      out.push_back(line + "numeric " + std::string(keras::dtype_name(value.dtype())) + " " +
                    keras::shape_str(info.shape) + " = " + fmt_values(value));
    }
  }
}

const char* layout_name(h5::Layout layout) {
  switch (layout) {
    case h5::Layout::compact:
      return "compact";
    case h5::Layout::contiguous:
      return "contiguous";
    case h5::Layout::chunked:
      return "chunked";
    case h5::Layout::virtual_:
      return "virtual";
  }
  return "other";
}

void dump_group(const h5::Group& g, std::vector<std::string>& out) {
  out.push_back("G " + g.path());
  dump_attrs(g, out);
  // keys() is documented to list in byte-wise name order; the Python side sorts explicitly.
  for (const std::string& name : g.keys()) {
    switch (g.object_type(name)) {
      case h5::ObjectType::group:
        dump_group(g.open_group(name), out);
        break;
      case h5::ObjectType::dataset: {
        const h5::Dataset d = g.open_dataset(name);
        out.push_back("D " + d.path() + " " + std::string(keras::dtype_name(d.dtype())) + " " +
                      keras::shape_str(d.shape()) + " " + layout_name(d.layout()) +
                      " filters=" + std::to_string(d.num_filters()) + " = " + fmt_values(d.read()));
        dump_attrs(d, out);
        break;
      }
      default:
        break;
    }
  }
}

std::string wrapper_dump(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  char head[9] = {};
  in.read(head, 9);  // superblock version: the byte after the 8-byte signature
  std::vector<std::string> out = {"F superblock=" + std::to_string(static_cast<int>(head[8]))};
  dump_group(h5::File::open(file), out);
  std::string text;
  for (const std::string& line : out) text += line + "\n";
  return text;
}

// Line-by-line comparison with the first difference in the failure message.
void expect_same_dump(const std::string& expected, const std::string& actual,
                      const std::string& what) {
  std::istringstream e(expected), a(actual);
  std::string le, la;
  int line = 0;
  while (true) {
    const bool more_e = static_cast<bool>(std::getline(e, le));
    const bool more_a = static_cast<bool>(std::getline(a, la));
    ++line;
    if (!more_e && !more_a) return;
    if (le != la || more_e != more_a) {
      ADD_FAILURE() << what << ": dumps differ at line " << line
                    << "\n  h5py:    " << le.substr(0, 400) << "\n  wrapper: " << la.substr(0, 400);
      return;
    }
  }
}

std::vector<std::string> corpus_h5_files() {
  std::vector<std::string> files;
  for (const auto& dir : fs::directory_iterator(KERAS_CORPUS_DIR)) {
    if (!dir.is_directory() || dir.path().filename().string().rfind("h5-", 0) != 0) continue;
    for (const auto& entry : fs::recursive_directory_iterator(dir.path()))
      if (entry.path().extension() == ".h5") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

// Every legacy-h5 corpus file: groups, datasets (dtype, shape, layout, filters, values) and
// attributes (flavour, shape, values) read through the wrapper equal what h5py reports.
TEST(Hdf5Corpus, TreeMatchesH5py) {
  const std::vector<std::string> files = corpus_h5_files();
  ASSERT_GE(files.size(), 17u);
  TempDir tmp;
  std::string args;
  for (const std::string& file : files) {
    args += ' ';
    args += quote(file);
  }
  // One Python run for all files: "## <path>" precedes each file's dump.
  const std::string all = run_python("h5dump_tree.py", args, tmp);
  size_t pos = 0;
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    const std::string header = "## " + file + "\n";
    ASSERT_EQ(all.compare(pos, header.size(), header), 0) << "missing h5py dump";
    pos += header.size();
    const size_t end = std::min(all.find("\n## ", pos), all.size() - 1) + 1;
    expect_same_dump(all.substr(pos, end - pos), wrapper_dump(file), file);
    pos = end;
  }
  EXPECT_EQ(pos, all.size());
}

// The corpus holds all three string flavours and h5py's float64 (0,) for empty lists.
TEST(Hdf5Corpus, ReadsEveryStringFlavour) {
  const std::string dir = std::string(KERAS_CORPUS_DIR);
  h5::File weights = h5::File::open(dir + "/h5-keras1.1.2-cnn-dl4j/cnn_tf_weights.h5");
  const h5::AttrInfo info = weights.attr_info("layer_names");
  EXPECT_EQ(info.kind, h5::AttrInfo::Kind::string);
  EXPECT_EQ(info.flavour, h5::StringFlavour::fixed_ascii);
  EXPECT_EQ(info.fixed_size, 15u);
  const std::vector<std::string> layers = weights.read_string_list_attr("layer_names");
  ASSERT_EQ(layers.size(), 10u);
  EXPECT_EQ(layers.front(), "convolution2d_1");
  EXPECT_EQ(layers.back(), "dense_2");
  const h5::Group act = weights.open_group("activation_1");
  EXPECT_EQ(act.attr_info("weight_names").kind, h5::AttrInfo::Kind::numeric);
  EXPECT_TRUE(act.read_string_list_attr("weight_names").empty());

  h5::File gru = h5::File::open(dir + "/h5-tfkeras2.2.4-gru-frugally-deep/temp_stateful.h5");
  EXPECT_EQ(gru.attr_info("keras_version").flavour, h5::StringFlavour::vlen_utf8);
  EXPECT_EQ(gru.read_string_attr("keras_version"), "2.2.4-tf");
  EXPECT_EQ(gru.attr_info("backend").flavour, h5::StringFlavour::vlen_utf8);
  EXPECT_EQ(gru.read_string_attr("backend"), "tensorflow");
}

TEST(Hdf5Corpus, ShapeAndDtypeWithoutReading) {
  h5::File f =
      h5::File::open(std::string(KERAS_CORPUS_DIR) + "/h5-keras1.1.2-cnn-dl4j/cnn_tf_model.h5");
  EXPECT_TRUE(f.is_group("model_weights/convolution2d_1"));
  EXPECT_TRUE(f.is_dataset("model_weights/convolution2d_1/convolution2d_1_W:0"));
  EXPECT_FALSE(f.is_dataset("model_weights/convolution2d_1"));
  EXPECT_FALSE(f.exists("model_weights/nope/deeper"));
  EXPECT_EQ(f.object_type("model_weights/nope"), h5::ObjectType::missing);
  const h5::Dataset w = f.open_dataset("/model_weights/convolution2d_1/convolution2d_1_W:0");
  EXPECT_EQ(w.path(), "/model_weights/convolution2d_1/convolution2d_1_W:0");
  EXPECT_EQ(w.shape(), (keras::Shape{3, 2, 3, 2}));
  EXPECT_EQ(w.dtype(), DType::float32);
  EXPECT_EQ(w.layout(), h5::Layout::contiguous);
  EXPECT_EQ(w.num_filters(), 0);
  // Name order is byte-wise, as HDF5 iterates it (values from h5py's sorted keys).
  const std::vector<std::string> keys = f.open_group("model_weights").keys();
  ASSERT_EQ(keys.size(), 10u);
  EXPECT_EQ(keys[0], "activation_1");
  EXPECT_EQ(keys[9], "maxpooling2d_1");
}

// A file written by the wrapper, as h5py sees it: the expected dump is written by hand.
TEST(Hdf5Write, H5pyReadsWhatTheWrapperWrites) {
  TempDir tmp;
  const std::string path = tmp.file("written.h5");
  {
    h5::File f = h5::File::create(path);
    f.write_string_attr("keras_version", "2.15.0");
    f.write_string_attr("backend", "tensorflow", h5::StringFlavour::vlen_ascii);
    f.write_string_list_attr("layer_names", {"dense", "dropout_12"},
                             h5::StringFlavour::fixed_ascii);
    f.write_string_list_attr("weight_names", {"dense/kernel:0", "b"},
                             h5::StringFlavour::vlen_ascii);
    f.write_string_list_attr("utf8_list", {"h\xc3\xa9", ""}, h5::StringFlavour::vlen_utf8);
    f.write_string_attr("fixed_utf8", "\xc3\xa9", h5::StringFlavour::fixed_utf8);
    f.write_string_list_attr("empty", {}, h5::StringFlavour::vlen_utf8);
    f.write_attr("count", Tensor::scalar(7, DType::int64));
    f.write_attr("floats", Tensor::from_vector<float>({1.5f, -2.25f}));
    h5::Group g = f.create_group("model_weights/dense/dense");
    g.create_dataset("kernel:0", Tensor::from_vector<float>({0.5f, -1, 2, 3, 4.25f, -6}, {2, 3}));
    g.create_dataset("f64", Tensor::scalar(-0.125, DType::float64));
    g.create_dataset("f16",
                     Tensor::from_vector<float>({1.5f, -0.25f, 65504}).astype(DType::float16));
    g.create_dataset("i8", Tensor::from_vector<int8_t>({-128, 127}));
    g.create_dataset("i16", Tensor::from_vector<int16_t>({-300, 300}));
    g.create_dataset("i32", Tensor::from_vector<int32_t>({-70000, 70000}));
    g.create_dataset("iteration", Tensor::scalar(42, DType::int64));
    g.create_dataset("u8", Tensor::from_vector<uint8_t>({0, 255}));
    g.create_dataset("flags", Tensor::from_vector<bool>({true, false, true}));
    g.create_dataset("empty", Tensor::zeros({0, 4}));
    g.write_string_attr("note", "x", h5::StringFlavour::fixed_ascii);
    f.require_group("model_weights")
        .write_string_list_attr("layer_names", {"dense"}, h5::StringFlavour::fixed_ascii);
    f.close();
  }
  const std::string expected =
      "F superblock=0\n"
      "G /\n"
      "A / @backend string vlen ascii () = [\"tensorflow\"]\n"
      "A / @count numeric int64 () = [7]\n"
      "A / @empty numeric float64 (0,) = []\n"
      "A / @fixed_utf8 string fixed utf-8 2 () = [\"\\xc3\\xa9\"]\n"
      "A / @floats numeric float32 (2,) = [1.5, -2.25]\n"
      "A / @keras_version string vlen utf-8 () = [\"2.15.0\"]\n"
      "A / @layer_names string fixed ascii 10 (2,) = [\"dense\", \"dropout_12\"]\n"
      "A / @utf8_list string vlen utf-8 (2,) = [\"h\\xc3\\xa9\", \"\"]\n"
      "A / @weight_names string vlen ascii (2,) = [\"dense/kernel:0\", \"b\"]\n"
      "G /model_weights\n"
      "A /model_weights @layer_names string fixed ascii 5 (1,) = [\"dense\"]\n"
      "G /model_weights/dense\n"
      "G /model_weights/dense/dense\n"
      "A /model_weights/dense/dense @note string fixed ascii 1 () = [\"x\"]\n"
      "D /model_weights/dense/dense/empty float32 (0, 4) contiguous filters=0 = []\n"
      "D /model_weights/dense/dense/f16 float16 (3,) contiguous filters=0 = [1.5, -0.25, 65504]\n"
      "D /model_weights/dense/dense/f64 float64 () contiguous filters=0 = [-0.125]\n"
      "D /model_weights/dense/dense/flags bool (3,) contiguous filters=0 = [1, 0, 1]\n"
      "D /model_weights/dense/dense/i16 int16 (2,) contiguous filters=0 = [-300, 300]\n"
      "D /model_weights/dense/dense/i32 int32 (2,) contiguous filters=0 = [-70000, 70000]\n"
      "D /model_weights/dense/dense/i8 int8 (2,) contiguous filters=0 = [-128, 127]\n"
      "D /model_weights/dense/dense/iteration int64 () contiguous filters=0 = [42]\n"
      "D /model_weights/dense/dense/kernel:0 float32 (2, 3) contiguous filters=0 = "
      "[0.5, -1, 2, 3, 4.25, -6]\n"
      "D /model_weights/dense/dense/u8 uint8 (2,) contiguous filters=0 = [0, 255]\n";
  expect_same_dump(expected, h5py_dump(path, tmp), "h5py view of the written file");
  // And the wrapper reads its own file back identically.
  expect_same_dump(expected, wrapper_dump(path), "wrapper view of the written file");
}

TEST(Hdf5Write, RoundTripValuesAndReplaceAttribute) {
  TempDir tmp;
  const std::string path = tmp.file("rt.h5");
  {
    h5::File f = h5::File::create(path);
    h5::Dataset d = f.create_dataset("vars/0", {2, 2}, DType::float32);
    d.write(Tensor::from_vector<double>({1, 2, 3, 4}, {2, 2}));  // converted to the stored dtype
    EXPECT_THROW(d.write(Tensor::zeros({3})), keras::ValueError);
    f.write_string_attr("a", "first");
    f.write_string_list_attr("a", {"x", "yy"}, h5::StringFlavour::fixed_ascii);  // replaces
    EXPECT_TRUE(f.has_attr("a"));
    f.write_string_attr("gone", "x");
    f.delete_attr("gone");
    EXPECT_FALSE(f.has_attr("gone"));
    EXPECT_THROW(
        f.write_string_list_attr("nul", {std::string("a\0b", 3)}, h5::StringFlavour::vlen_utf8),
        keras::ValueError);
    EXPECT_THROW(f.create_dataset("s", Tensor::from_strings({"a"})), keras::TypeError);
    EXPECT_THROW(f.create_group("vars/0"), keras::IOError);  // a dataset is in the way
    f.close();
  }
  h5::File f = h5::File::open(path);
  EXPECT_EQ(f.open_dataset("vars/0").read().to_vector<float>(), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(f.read_string_list_attr("a"), (std::vector<std::string>{"x", "yy"}));
  EXPECT_EQ(f.attr_names(), (std::vector<std::string>{"a"}));
  EXPECT_THROW(f.read_string_attr("a"), keras::FileFormatError);  // two strings, not one
  EXPECT_FALSE(f.writable());
  try {
    f.write_string_attr("b", "x");
    ADD_FAILURE() << "writing into a read-only file did not throw";
  } catch (const keras::IOError& e) {
    EXPECT_NE(std::string(e.what()).find("read-only"), std::string::npos) << e.what();
  }
  EXPECT_THROW(f.create_group("g"), keras::IOError);
}

TEST(Hdf5Write, CreationOrderTracking) {
  TempDir tmp;
  const std::string path = tmp.file("order.h5");
  {
    h5::File f = h5::File::create(path);
    h5::Group t = f.create_group("tracked", /*track_order=*/true);
    h5::Group u = f.create_group("untracked");
    for (const char* name : {"b", "a", "10", "2"}) {
      t.create_group(name);
      u.create_group(name);
    }
    EXPECT_TRUE(t.tracks_creation_order());
    EXPECT_FALSE(u.tracks_creation_order());
    EXPECT_EQ(t.keys(h5::IterOrder::creation), (std::vector<std::string>{"b", "a", "10", "2"}));
    EXPECT_EQ(t.keys(h5::IterOrder::name), (std::vector<std::string>{"10", "2", "a", "b"}));
    EXPECT_EQ(u.keys(), (std::vector<std::string>{"10", "2", "a", "b"}));
    EXPECT_THROW(u.keys(h5::IterOrder::creation), keras::ValueError);
    f.close();
  }
  // h5py lists a tracked group in creation order and an untracked one in name order.
  TempDir out;
  const std::string cmd = kPython +
                          " -c \"import h5py,sys; f=h5py.File(sys.argv[1]); "
                          "print(','.join(f['tracked'])); print(','.join(f['untracked']))\" " +
                          quote(path) + " > " + quote(out.file("keys.txt"));
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_EQ(read_text(out.file("keys.txt")), "b,a,10,2\n10,2,a,b\n");
}

// h5py-written fixtures (tests/io/make_hdf5_fixtures.py) for the type mapping.
class Hdf5Fixtures : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir;
    run_python("make_hdf5_fixtures.py", quote(tmp_->path.string()), *tmp_);
  }
  static void TearDownTestSuite() { delete tmp_; }
  static std::string types() { return tmp_->file("types.h5"); }
  static TempDir* tmp_;
};
TempDir* Hdf5Fixtures::tmp_ = nullptr;

TEST_F(Hdf5Fixtures, NumericTypesAndByteOrders) {
  h5::File f = h5::File::open(types());
  const h5::Group d = f.open_group("d");
  auto read = [&](const char* name) { return d.open_dataset(name).read(); };
  Tensor f16 = read("f16");
  EXPECT_EQ(f16.dtype(), DType::float16);
  EXPECT_EQ(f16.to_vector<float>(), (std::vector<float>{1.5f, -0.25f, 65504.f}));
  Tensor f32 = read("f32_be");
  EXPECT_EQ(f32.dtype(), DType::float32);
  EXPECT_EQ(f32.shape(), (keras::Shape{2, 2}));
  EXPECT_EQ(f32.to_vector<float>(), (std::vector<float>{1, -2, 3.5f, 1e-3f}));
  Tensor f64 = read("f64_be");
  EXPECT_EQ(f64.to_vector<double>(), (std::vector<double>{M_PI, -M_E}));
  EXPECT_EQ(read("i8").to_vector<int64_t>(), (std::vector<int64_t>{-128, 127}));
  EXPECT_EQ(read("i16_be").dtype(), DType::int16);
  EXPECT_EQ(read("i16_be").to_vector<int64_t>(), (std::vector<int64_t>{-300, 300}));
  EXPECT_EQ(read("i32").to_vector<int64_t>(), (std::vector<int64_t>{-70000, 70000}));
  EXPECT_EQ(read("i64_be").to_vector<int64_t>(),
            (std::vector<int64_t>{-(int64_t{1} << 40), int64_t{1} << 62}));
  EXPECT_EQ(read("u8").dtype(), DType::uint8);
  EXPECT_EQ(read("u8").to_vector<int64_t>(), (std::vector<int64_t>{0, 255}));
  EXPECT_EQ(read("u16").dtype(), DType::int32);
  EXPECT_EQ(read("u16").to_vector<int64_t>(), (std::vector<int64_t>{0, 65535}));
  EXPECT_EQ(read("u32").dtype(), DType::int64);
  EXPECT_EQ(read("u32").to_vector<int64_t>(), (std::vector<int64_t>{4294967295}));
  Tensor b = read("bool");
  EXPECT_EQ(b.dtype(), DType::bool_);
  EXPECT_EQ(b.to_vector<int64_t>(), (std::vector<int64_t>{1, 0, 1}));
  Tensor it = read("iteration");
  EXPECT_EQ(it.ndim(), 0);
  EXPECT_EQ(it.item<int64_t>(), 123);
  EXPECT_EQ(read("empty").shape(), (keras::Shape{0, 3}));
  // Chunked + gzip (not what Keras writes, but what h5repack makes of it) still reads.
  const h5::Dataset gz = d.open_dataset("gzip");
  EXPECT_EQ(gz.layout(), h5::Layout::chunked);
  EXPECT_EQ(gz.num_filters(), 1);
  EXPECT_EQ(gz.read().to_vector<float>()[999], 999.f);
  // Soft links resolve; dangling ones do not exist.
  EXPECT_EQ(f.open_dataset("soft").read().to_vector<int64_t>(),
            (std::vector<int64_t>{-70000, 70000}));
  EXPECT_FALSE(f.exists("dangling"));
}

TEST_F(Hdf5Fixtures, UnsupportedTypesAreRejectedClearly) {
  h5::File f = h5::File::open(types());
  const h5::Group d = f.open_group("d");
  struct Case {
    const char* name;
    const char* mentions;
  };
  for (const Case c : {Case{"compound", "compound"}, Case{"vlen_str", "vlen utf-8 string"},
                       Case{"vlen_int", "vlen sequence"}, Case{"fixed_str", "fixed ascii string"},
                       Case{"u64", "uint64"}, Case{"color", "enum"}}) {
    SCOPED_TRACE(c.name);
    const h5::Dataset ds = d.open_dataset(c.name);
    for (int what = 0; what < 2; ++what) {
      try {
        what == 0 ? (void)ds.dtype() : (void)ds.read();
        ADD_FAILURE() << "no exception";
      } catch (const keras::FileFormatError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("types.h5"), std::string::npos) << msg;
        EXPECT_NE(msg.find("'/d/" + std::string(c.name) + "'"), std::string::npos) << msg;
        EXPECT_NE(msg.find(c.mentions), std::string::npos) << msg;
      }
    }
  }
}

TEST_F(Hdf5Fixtures, HostileDatasetsAreRefusedBeforeAllocating) {
  h5::File f = h5::File::open(types());
  // 2^40 float32 elements, never written: the shape is readable, the data would need 4 TiB.
  const h5::Dataset huge = f.open_dataset("d/huge");
  EXPECT_EQ(huge.shape(), (keras::Shape{int64_t{1} << 40}));
  EXPECT_EQ(huge.dtype(), DType::float32);
  EXPECT_THROW(huge.read(), keras::FileFormatError);
  // External raw data and external links would read other files.
  EXPECT_THROW(f.open_dataset("d/external").read(), keras::FileFormatError);
  EXPECT_FALSE(f.exists("ext_link"));
  EXPECT_FALSE(f.exists("ext_link/data"));
  EXPECT_THROW(f.open_group("ext_link"), keras::FileFormatError);
  EXPECT_THROW(f.open_dataset("ext_link/data"), keras::FileFormatError);
}

TEST_F(Hdf5Fixtures, AttributeFlavours) {
  h5::File f = h5::File::open(types());
  const h5::Group a = f.open_group("attrs");
  using F = h5::StringFlavour;
  EXPECT_EQ(a.attr_info("version").flavour, F::vlen_utf8);
  EXPECT_EQ(a.read_string_attr("version"), "2.15.0");
  EXPECT_EQ(a.attr_info("backend").flavour, F::vlen_ascii);
  EXPECT_EQ(a.read_string_attr("backend"), "tensorflow");
  EXPECT_EQ(a.read_string_attr("unicode"), "h\xc3\xa9llo \xe6\x97\xa5\xe6\x9c\xac");
  EXPECT_EQ(a.read_string_list_attr("names_vlen"), (std::vector<std::string>{"dense", "dense_1"}));
  EXPECT_EQ(a.read_string_list_attr("version"), (std::vector<std::string>{"2.15.0"}));
  EXPECT_EQ(a.attr_info("names_fixed").flavour, F::fixed_ascii);
  EXPECT_EQ(a.attr_info("names_fixed").fixed_size, 10u);
  EXPECT_EQ(a.attr_info("names_fixed").shape, (keras::Shape{2}));
  EXPECT_EQ(a.read_string_list_attr("names_fixed"),
            (std::vector<std::string>{"dense", "dropout_12"}));
  EXPECT_TRUE(a.read_string_list_attr("empty").empty());
  EXPECT_TRUE(a.read_string_list_attr("nothing").empty());
  EXPECT_EQ(a.read_string_attr("spacepad"), "abc");
  EXPECT_EQ(a.read_string_attr("nullterm"), "ab");
  EXPECT_EQ(a.attr_info("fixed_utf8").flavour, F::fixed_utf8);
  EXPECT_EQ(a.read_string_attr("fixed_utf8"), "\xc3\xa9t\xc3\xa9");
  // Keras's chunked attributes: the raw pieces, in order.
  EXPECT_FALSE(a.has_attr("layer_names"));
  EXPECT_EQ(a.read_string_list_attr("layer_names0"), (std::vector<std::string>{"a", "bb"}));
  EXPECT_EQ(a.read_string_list_attr("layer_names1"), (std::vector<std::string>{"ccc"}));
  EXPECT_FALSE(a.has_attr("layer_names2"));
  // Numeric attributes.
  EXPECT_EQ(a.read_attr("count").item<int64_t>(), -5);
  EXPECT_EQ(a.read_attr("count").ndim(), 0);
  EXPECT_EQ(a.read_attr("floats_be").to_vector<double>(), (std::vector<double>{0.5, -8}));
  EXPECT_EQ(a.read_attr("flag").dtype(), DType::bool_);
  EXPECT_EQ(a.read_attr("flag").item<int64_t>(), 1);
  EXPECT_EQ(a.attr_info("compound").kind, h5::AttrInfo::Kind::other);
  EXPECT_THROW(a.read_attr("compound"), keras::FileFormatError);
  EXPECT_THROW(a.read_attr("version"), keras::FileFormatError);
  EXPECT_THROW(a.read_string_list_attr("floats_be"), keras::FileFormatError);
  EXPECT_THROW(a.read_string_attr("names_vlen"), keras::FileFormatError);
  try {
    a.read_string_attr("missing");
    ADD_FAILURE() << "no exception";
  } catch (const keras::FileFormatError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open attribute 'missing' of '/attrs'"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(f.open_group("tracked").keys(h5::IterOrder::creation),
            (std::vector<std::string>{"b", "a", "10", "2"}));
}

TEST(Hdf5Errors, MessagesNameFilePathAndOperation) {
  const std::string file = std::string(KERAS_CORPUS_DIR) +
                           "/h5-keras2.3.1-mlp-sparse-xent-dl4j/"
                           "simple_sparse_xent_mlp_keras_2_model.h5";
  h5::File f = h5::File::open(file);
  try {
    f.open_dataset("model_weights/dense/dense/kernel:9");
    ADD_FAILURE() << "no exception";
  } catch (const keras::FileFormatError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind(file + ": cannot open dataset '/model_weights/dense/dense/kernel:9'", 0),
              0u)
        << msg;
  }
  try {
    f.open_group("model_weights").open_group("nope");
    ADD_FAILURE() << "no exception";
  } catch (const keras::FileFormatError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open group '/model_weights/nope'"),
              std::string::npos)
        << e.what();
  }
}
