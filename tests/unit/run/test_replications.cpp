// Replication statistics against values worked out by hand.
#include <catch2/catch.hpp>

#include "engine/run/replications.hpp"

using namespace pg;

TEST_CASE("replications: mean and sample standard deviation", "[replications]") {
  // 1..5: mean 3, squared deviations 4+1+0+1+4 = 10, s = sqrt(10 / 4) = sqrt(2.5).
  std::vector<double> v = {1, 2, 3, 4, 5};
  CHECK(sample_mean(v) == 3.0);
  CHECK(sample_stddev(v) == Approx(1.5811388300841898).epsilon(1e-15));
  // 2,4,4,4,5,5,7,9: mean 5, squared deviations sum to 32, s = sqrt(32 / 7).
  std::vector<double> w = {2, 4, 4, 4, 5, 5, 7, 9};
  CHECK(sample_mean(w) == 5.0);
  CHECK(sample_stddev(w) == Approx(2.1380899352993950).epsilon(1e-15));
  // A constant vector has no spread at all, not a rounding residue.
  CHECK(sample_stddev({7.25, 7.25, 7.25}) == 0.0);
}

TEST_CASE("replications: empty and single values", "[replications]") {
  CHECK(sample_mean({}) == 0.0);
  CHECK(sample_stddev({}) == 0.0);
  CHECK(sample_mean({4.5}) == 4.5);
  CHECK(sample_stddev({4.5}) == 0.0);
  CHECK(ci95_half_width({4.5}) == 0.0);
}

TEST_CASE("replications: Student t quantiles", "[replications]") {
  CHECK(student_t_975(1) == 12.706);
  CHECK(student_t_975(4) == 2.776);
  CHECK(student_t_975(7) == 2.365);
  CHECK(student_t_975(30) == 2.042);
  CHECK(student_t_975(31) == 1.96);
  CHECK(student_t_975(1000) == 1.96);
  for (size_t df = 1; df < 31; ++df) CHECK(student_t_975(df) > student_t_975(df + 1));  // falls towards 1.96
}

TEST_CASE("replications: 95% confidence half-width", "[replications]") {
  // 1..5: t(4) = 2.776, s / sqrt(5) = sqrt(2.5 / 5) = sqrt(0.5).
  CHECK(ci95_half_width({1, 2, 3, 4, 5}) == Approx(2.776 * 0.70710678118654752).epsilon(1e-15));
  // 10, 12: s = sqrt(2), sqrt(n) = sqrt(2), so the half-width is t(1) itself.
  CHECK(ci95_half_width({10, 12}) == Approx(12.706).epsilon(1e-15));
  // 40 values alternating 0 and 2: mean 1, every squared deviation 1, s = sqrt(40 / 39), normal quantile.
  std::vector<double> many;
  for (int i = 0; i < 40; ++i) many.push_back(i % 2 == 0 ? 0 : 2);
  CHECK(ci95_half_width(many) == Approx(1.96 * 1.0127393670836666 / 6.3245553203367587).epsilon(1e-14));
}

TEST_CASE("replications: paired differences", "[replications]") {
  std::vector<double> d = paired_differences({1, 2, 3}, {2, 4, 6});
  REQUIRE(d.size() == 3);
  CHECK(d[0] == 1.0);
  CHECK(d[1] == 2.0);
  CHECK(d[2] == 3.0);
  CHECK(paired_differences({1, 2}, {1, 2, 3}).empty());
  std::vector<double> same = {3.5, 9.25, 1e6};
  for (double x : paired_differences(same, same)) CHECK(x == 0.0);
}
