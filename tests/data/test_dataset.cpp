// keras::data::Dataset: element order and values, batching, tf.data's shuffle-buffer semantics,
// repeat/take/cardinality (tf.data's rules), map, and the no-copy batching of tensor slices.
// Expected values are derived by hand from the inputs (arange data, so element i holds i).
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <set>

#include "keras/core/random.hpp"
#include "keras/data/dataset.hpp"

namespace keras::data {
namespace {

Tensor arange_f(int64_t n, Shape shape = {}) {
  Tensor t = Tensor::arange(0.0, static_cast<double>(n), 1.0, DType::float32);
  return shape.empty() ? t : t.reshape(shape);
}

// The first value of component `c` of every element, in order.
std::vector<float> firsts(const Dataset& ds, size_t c = 0) {
  std::vector<float> out;
  for (const auto& el : ds.elements()) out.push_back(el.at(c).to_vector<float>().at(0));
  return out;
}

std::vector<float> range_vec(int n, int start = 0) {
  std::vector<float> v(n);
  std::iota(v.begin(), v.end(), static_cast<float>(start));
  return v;
}

TEST(DatasetTest, FromTensorSlicesYieldsRowsInOrder) {
  Tensor x = arange_f(12, {4, 3});
  Tensor y = Tensor::from_vector<int32_t>({10, 11, 12, 13});
  Dataset ds = Dataset::from_tensor_slices(x, y);
  EXPECT_EQ(ds.cardinality(), 4);
  auto els = ds.elements();
  ASSERT_EQ(els.size(), 4u);
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(els[i].size(), 2u);
    EXPECT_EQ(els[i][0].shape(), (Shape{3}));
    EXPECT_EQ(els[i][0].to_vector<float>(),
              (std::vector<float>{3.0f * i, 3.0f * i + 1, 3.0f * i + 2}));
    EXPECT_EQ(els[i][1].shape(), Shape{});
    EXPECT_EQ(els[i][1].dtype(), DType::int32);
    EXPECT_EQ(els[i][1].item<int>(), 10 + i);
    // Rows are views of the input, not copies.
    EXPECT_TRUE(els[i][0].shares_storage(x));
  }
}

TEST(DatasetTest, FromTensorSlicesRejectsBadComponents) {
  EXPECT_THROW(Dataset::from_tensor_slices(std::vector<Tensor>{}), ValueError);
  EXPECT_THROW(Dataset::from_tensor_slices(Tensor::scalar(1.0)), ValueError);
  try {
    Dataset::from_tensor_slices(arange_f(4), arange_f(5));
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("(5,)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(4,)"), std::string::npos) << e.what();
  }
}

TEST(DatasetTest, BatchWithAndWithoutRemainder) {
  Tensor x = arange_f(10, {5, 2});
  Tensor y = arange_f(5);
  Dataset ds = Dataset::from_tensor_slices(x, y);

  Dataset b = ds.batch(2);
  EXPECT_EQ(b.cardinality(), 3);
  auto els = b.elements();
  ASSERT_EQ(els.size(), 3u);
  EXPECT_EQ(els[0][0].shape(), (Shape{2, 2}));
  EXPECT_EQ(els[0][0].to_vector<float>(), (std::vector<float>{0, 1, 2, 3}));
  EXPECT_EQ(els[1][1].to_vector<float>(), (std::vector<float>{2, 3}));
  EXPECT_EQ(els[2][0].shape(), (Shape{1, 2}));
  EXPECT_EQ(els[2][0].to_vector<float>(), (std::vector<float>{8, 9}));
  EXPECT_EQ(els[2][1].to_vector<float>(), (std::vector<float>{4}));
  // Consecutive rows of in-memory tensors are batched as views: nothing is copied.
  EXPECT_TRUE(els[1][0].shares_storage(x));

  Dataset d = ds.batch(2, /*drop_remainder=*/true);
  EXPECT_EQ(d.cardinality(), 2);
  auto dels = d.elements();
  ASSERT_EQ(dels.size(), 2u);
  EXPECT_EQ(dels[1][0].to_vector<float>(), (std::vector<float>{4, 5, 6, 7}));

  EXPECT_EQ(ds.batch(5).cardinality(), 1);
  EXPECT_EQ(ds.batch(7, true).cardinality(), 0);
  EXPECT_TRUE(ds.batch(7, true).elements().empty());
  EXPECT_THROW(ds.batch(0), ValueError);
}

TEST(DatasetTest, BatchAfterMapStacksCopies) {
  Tensor x = arange_f(6, {3, 2});
  Dataset ds = Dataset::from_tensor_slices(x).map([](const Element& e) {
    return Element{e[0], e[0].astype(DType::float64)};
  });
  auto els = ds.batch(2).elements();
  ASSERT_EQ(els.size(), 2u);
  EXPECT_EQ(els[0][0].shape(), (Shape{2, 2}));
  EXPECT_EQ(els[0][0].to_vector<float>(), (std::vector<float>{0, 1, 2, 3}));
  EXPECT_EQ(els[0][1].dtype(), DType::float64);
  EXPECT_EQ(els[0][1].to_vector<double>(), (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(els[1][0].shape(), (Shape{1, 2}));
  EXPECT_EQ(els[1][1].to_vector<double>(), (std::vector<double>{4, 5}));
}

TEST(DatasetTest, BatchOfDifferentShapesIsAValueError) {
  Tensor x = arange_f(4);
  Dataset ds = Dataset::from_tensor_slices(x).map([](const Element& e) {
    const int n = static_cast<int>(e[0].item<float>()) + 1;
    return Element{Tensor::zeros({n})};
  });
  try {
    ds.batch(2).elements();
    FAIL() << "expected ValueError";
  } catch (const ValueError& e) {
    EXPECT_NE(std::string(e.what()).find("Cannot batch tensors with different shapes"),
              std::string::npos)
        << e.what();
  }
}

TEST(DatasetTest, MapAppliesLazilyInOrder) {
  int calls = 0;
  Dataset ds = Dataset::from_tensor_slices(arange_f(4)).map([&calls](const Element& e) {
    ++calls;
    return Element{Tensor::scalar(e[0].item<float>() * 10.0f + 1.0f)};
  });
  EXPECT_EQ(calls, 0);  // nothing runs before iteration
  EXPECT_EQ(ds.cardinality(), 4);
  EXPECT_EQ(firsts(ds), (std::vector<float>{1, 11, 21, 31}));
  EXPECT_EQ(calls, 4);
}

TEST(DatasetTest, RepeatTakeAndCardinality) {
  Dataset ds = Dataset::from_tensor_slices(arange_f(3));
  EXPECT_EQ(firsts(ds.repeat(2)), (std::vector<float>{0, 1, 2, 0, 1, 2}));
  EXPECT_EQ(ds.repeat(2).cardinality(), 6);
  EXPECT_EQ(ds.repeat(0).cardinality(), 0);
  EXPECT_TRUE(ds.repeat(0).elements().empty());
  EXPECT_EQ(ds.repeat().cardinality(), -1);
  EXPECT_THROW(ds.repeat().elements(), ValueError);
  EXPECT_EQ(firsts(ds.repeat().take(7)), (std::vector<float>{0, 1, 2, 0, 1, 2, 0}));
  EXPECT_EQ(ds.repeat().take(7).cardinality(), 7);
  EXPECT_EQ(firsts(ds.take(2)), (std::vector<float>{0, 1}));
  EXPECT_EQ(ds.take(2).cardinality(), 2);
  EXPECT_EQ(ds.take(10).cardinality(), 3);
  EXPECT_EQ(firsts(ds.take(10)), (std::vector<float>{0, 1, 2}));
  EXPECT_EQ(ds.take(-1).cardinality(), 3);
  EXPECT_EQ(ds.take(0).cardinality(), 0);
  EXPECT_TRUE(ds.take(0).elements().empty());
  // batch of an infinite dataset stays infinite; a batch of repeat(2) counts 6 rows.
  EXPECT_EQ(ds.repeat().batch(2).cardinality(), -1);
  EXPECT_EQ(ds.repeat(2).batch(4).cardinality(), 2);
  EXPECT_EQ(firsts(ds.repeat(2).batch(4)), (std::vector<float>{0, 1}));  // [0,1,2,0], [1,2]
  // An empty dataset repeated forever has no elements (tf.data): iteration ends.
  Dataset empty = ds.take(0).repeat();
  EXPECT_EQ(empty.cardinality(), 0);
  EXPECT_TRUE(empty.elements().empty());
}

TEST(DatasetTest, IteratorsArePassesAndOutliveTheDataset) {
  std::unique_ptr<Dataset::Iterator> it;
  {
    Dataset ds = Dataset::from_tensor_slices(arange_f(3)).map([](const Element& e) {
      return Element{Tensor::scalar(e[0].item<float>() + 100.0f)};
    });
    it = ds.iterator();
  }
  std::vector<float> seen;
  while (auto el = it->next()) seen.push_back((*el)[0].item<float>());
  EXPECT_EQ(seen, (std::vector<float>{100, 101, 102}));
  EXPECT_FALSE(it->next().has_value());
}

TEST(DatasetTest, ShuffleIsAPermutationAndDeterministicWithASeed) {
  Dataset ds = Dataset::from_tensor_slices(arange_f(50));
  Dataset a = ds.shuffle(50, /*seed=*/1234);
  Dataset b = ds.shuffle(50, /*seed=*/1234);
  EXPECT_EQ(a.cardinality(), 50);
  auto pa = firsts(a), pb = firsts(b);
  auto sorted = pa;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, range_vec(50));
  EXPECT_NE(pa, range_vec(50));
  EXPECT_EQ(pa, pb);  // same seed, same order
  EXPECT_NE(pa, firsts(ds.shuffle(50, /*seed=*/99)));
}

TEST(DatasetTest, ShuffleReshufflesEachIterationUnlessAskedNotTo) {
  Dataset ds = Dataset::from_tensor_slices(arange_f(40));
  Dataset r = ds.shuffle(40, 7);
  auto first = firsts(r), second = firsts(r);
  EXPECT_NE(first, second);
  // A new Dataset with the same seed replays the same sequence of passes.
  Dataset r2 = ds.shuffle(40, 7);
  EXPECT_EQ(firsts(r2), first);
  EXPECT_EQ(firsts(r2), second);

  Dataset f = ds.shuffle(40, 7, /*reshuffle_each_iteration=*/false);
  auto f1 = firsts(f);
  EXPECT_EQ(firsts(f), f1);
  EXPECT_NE(f1, range_vec(40));
  // repeat() over a reshuffling shuffle gives differently ordered epochs.
  auto two = firsts(r.repeat(2));
  ASSERT_EQ(two.size(), 80u);
  EXPECT_NE(std::vector<float>(two.begin(), two.begin() + 40),
            std::vector<float>(two.begin() + 40, two.end()));
}

TEST(DatasetTest, ShuffleBufferOfOneKeepsOrder) {
  Dataset ds = Dataset::from_tensor_slices(arange_f(20));
  EXPECT_EQ(firsts(ds.shuffle(1, 5)), range_vec(20));
  EXPECT_THROW(ds.shuffle(0), ValueError);
}

// tf.data's buffer semantics: the k-th output is drawn from a buffer holding at most
// buffer_size elements out of the first k + buffer_size inputs, so output k is < k + buffer_size;
// and the first output is one of the first buffer_size inputs.
TEST(DatasetTest, ShuffleBufferBoundsHowFarElementsMove) {
  const int n = 200, buffer = 5;
  Dataset ds = Dataset::from_tensor_slices(arange_f(n));
  std::set<float> first_outputs;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    auto out = firsts(ds.shuffle(buffer, seed));
    ASSERT_EQ(out.size(), static_cast<size_t>(n));
    for (int k = 0; k < n; ++k)
      EXPECT_LT(out[k], static_cast<float>(k + buffer)) << "seed " << seed;
    auto sorted = out;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, range_vec(n));
    first_outputs.insert(out[0]);
  }
  // Over 20 seeds the first output takes several of the 5 possible values, and only those.
  EXPECT_GE(first_outputs.size(), 3u);
  EXPECT_LE(*first_outputs.rbegin(), static_cast<float>(buffer - 1));
}

TEST(DatasetTest, UnseededShuffleFollowsTheGlobalSeed) {
  Dataset ds = Dataset::from_tensor_slices(arange_f(30));
  random::set_seed(42);
  auto a = firsts(ds.shuffle(30));
  random::set_seed(42);
  auto b = firsts(ds.shuffle(30));
  EXPECT_EQ(a, b);
}

TEST(DatasetTest, ShuffleThenBatchGathersRows) {
  Tensor x = arange_f(20, {10, 2});
  Tensor y = arange_f(10);
  auto els = Dataset::from_tensor_slices(x, y).shuffle(10, 3).batch(4).elements();
  ASSERT_EQ(els.size(), 3u);
  std::vector<float> ys;
  for (const auto& el : els) {
    auto xv = el[0].to_vector<float>();
    auto yv = el[1].to_vector<float>();
    ASSERT_EQ(xv.size(), 2 * yv.size());
    // Each row of x still matches its label: x[i] = (2 y, 2 y + 1).
    for (size_t r = 0; r < yv.size(); ++r) {
      EXPECT_EQ(xv[2 * r], 2 * yv[r]);
      EXPECT_EQ(xv[2 * r + 1], 2 * yv[r] + 1);
    }
    ys.insert(ys.end(), yv.begin(), yv.end());
  }
  std::sort(ys.begin(), ys.end());
  EXPECT_EQ(ys, range_vec(10));
  EXPECT_EQ(els[2][0].shape(), (Shape{2, 2}));
}

}  // namespace
}  // namespace keras::data
