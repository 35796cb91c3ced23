// Histogram: the bucket layout tiles the non-negative int64 range with bounded relative width; percentiles agree
// with exact nearest-rank percentiles of the recorded samples within 1%; memory is fixed; merging equals recording
// everything into one histogram.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

#include "engine/kernel/distribution.hpp"
#include "engine/kernel/histogram.hpp"

using namespace pg;

TEST_CASE("bucket layout", "[histogram]") {
  // Small values are exact.
  for (int64_t v = 0; v < 256; ++v) {
    REQUIRE(Histogram::bucket_of(v) == v);
    REQUIRE(Histogram::bucket_low((int)v) == v);
    REQUIRE(Histogram::bucket_high((int)v) == v);
  }
  // Buckets are contiguous and narrow: width at most low / 2^sub_bucket_bits.
  const int last = Histogram::bucket_of(INT64_MAX);
  REQUIRE(last < Histogram::bucket_count);
  CHECK(Histogram::bucket_high(last) == INT64_MAX);
  for (int b = 256; b < last; ++b) {
    REQUIRE(Histogram::bucket_high(b) + 1 == Histogram::bucket_low(b + 1));
    const int64_t width = Histogram::bucket_high(b) - Histogram::bucket_low(b) + 1;
    REQUIRE(width <= Histogram::bucket_low(b) >> Histogram::sub_bucket_bits);
  }
  // Every value lands in a bucket that contains it.
  Rng rng = Rng::for_stream(1, "buckets");
  for (int i = 0; i < 100000; ++i) {
    const int64_t v = (int64_t)(rng.next_u64() >> (1 + rng.below(63)));
    const int b = Histogram::bucket_of(v);
    REQUIRE(Histogram::bucket_low(b) <= v);
    REQUIRE(v <= Histogram::bucket_high(b));
  }
  CHECK(Histogram::bucket_of(-5) == 0);
}

namespace {

// The exact nearest-rank q-quantile of sorted samples.
int64_t exact_percentile(const std::vector<int64_t>& sorted, double q) {
  const double rank_real = q * (double)sorted.size();
  size_t rank = (size_t)std::ceil(rank_real);
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

}  // namespace

TEST_CASE("percentiles within 1% of the exact nearest-rank values", "[histogram]") {
  const std::pair<const char*, Distribution> cases[] = {
      {"exponential 5 ms", Distribution::exponential_ms(5)},
      {"lognormal 20 ms cv 2", Distribution::lognormal_ms(20, 2)},
      {"pareto 10 ms shape 1.5", Distribution::pareto_ms(10, 1.5)},
      {"uniform 1..3 ms", Distribution::uniform_ms(1, 3)},
      {"uniform 0..300 ns", Distribution::uniform_ms(0, 0.0003)},
      {"empirical", Distribution::empirical_ms({0.1, 0.2, 50}, {90, 9, 1})},
  };
  for (const auto& [name, distribution] : cases) {
    INFO(name);
    Histogram histogram;
    std::vector<int64_t> samples;
    Rng rng = Rng::for_stream(2, name);
    for (int i = 0; i < 100000; ++i) {
      const time_ns x = distribution.sample(rng);
      histogram.record(x);
      samples.push_back(x);
    }
    std::sort(samples.begin(), samples.end());
    for (const double q : {0.0, 0.5, 0.9, 0.99, 0.999, 1.0}) {
      const int64_t exact = exact_percentile(samples, q);
      const int64_t estimate = histogram.percentile(q);
      INFO("q " << q << " exact " << exact << " estimate " << estimate);
      if (exact == 0) {
        CHECK(estimate == 0);
      } else {
        CHECK(std::fabs((double)(estimate - exact)) / (double)exact < 0.01);
      }
    }
    CHECK(histogram.percentile(0.0) == samples.front());
    CHECK(histogram.percentile(1.0) == samples.back());
    CHECK(histogram.count == samples.size());
  }
}

TEST_CASE("memory is fixed", "[histogram]") {
  STATIC_REQUIRE(std::is_trivially_copyable_v<Histogram>);
  STATIC_REQUIRE(sizeof(Histogram) <= 64 * 1024);
  Histogram histogram;
  for (int64_t v = 0; v < 1'000'000; ++v) histogram.record(v * 997);
  histogram.record(INT64_MAX);
  CHECK(histogram.count == 1'000'001);
  CHECK(histogram.max == INT64_MAX);
}

TEST_CASE("empty, negative values and mean", "[histogram]") {
  Histogram histogram;
  CHECK(histogram.percentile(0.5) == 0);
  CHECK(histogram.mean() == 0.0);
  histogram.record(-10);
  histogram.record(10);
  histogram.record(20);
  CHECK(histogram.min == 0);
  CHECK(histogram.max == 20);
  CHECK(histogram.mean() == 10.0);
  CHECK(histogram.percentile(0.5) == 10);  // rank ceil(1.5) = 2
  histogram.clear();
  CHECK(histogram.count == 0);
  CHECK(histogram.min == INT64_MAX);
}

TEST_CASE("merge equals recording everything in one histogram", "[histogram]") {
  Histogram first, second, both;
  Rng rng = Rng::for_stream(3, "merge");
  const Distribution fast = Distribution::exponential_ms(1), slow = Distribution::lognormal_ms(200, 0.5);
  for (int i = 0; i < 50000; ++i) {
    const time_ns a = fast.sample(rng), b = slow.sample(rng);
    first.record(a);
    second.record(b);
    both.record(a);
  }
  // Record the second half after the first so the sums add in the same order as the merge does.
  Rng replay = Rng::for_stream(3, "merge");
  for (int i = 0; i < 50000; ++i) {
    fast.sample(replay);
    both.record(slow.sample(replay));
  }
  first.merge(second);
  CHECK(first.counts == both.counts);
  CHECK(first.count == both.count);
  CHECK(first.min == both.min);
  CHECK(first.max == both.max);
  CHECK(first.mean() == Approx(both.mean()).epsilon(1e-12));
  for (const double q : {0.5, 0.9, 0.99, 0.999}) CHECK(first.percentile(q) == both.percentile(q));

  Histogram empty;
  empty.merge(Histogram{});
  CHECK(empty.count == 0);
  CHECK(empty.percentile(0.99) == 0);
}
