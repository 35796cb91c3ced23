// Sampling against closed forms. Every tolerance is derived from the sample size: a sample mean is within
// z * sqrt(var / n) of the true mean and a sample variance within z * sqrt((mu4 - var^2) / n) of the true variance
// (mu4 the fourth central moment; the normal approximation of the sample variance's spread, valid when the eighth
// moment exists), with z = 5: a false failure has probability below 1e-6 per check. Seeds are fixed, so the tests
// are repeatable; the bounds are what makes them meaningful rather than tuned.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <vector>

#include "engine/kernel/distribution.hpp"
#include "engine/kernel/portable_math.hpp"

using namespace pg;

namespace {

constexpr double z_score = 5.0;
// Samples are rounded to whole nanoseconds: that moves a mean by at most half a nanosecond.
constexpr double rounding_ms = 0.5e-6;

struct Moments {
  double mean, variance, fourth_central;
};

// Central fourth moment from raw moments E[X], E[X^2], E[X^3], E[X^4].
double fourth_central_from_raw(double m1, double m2, double m3, double m4) {
  return m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 * m1 * m1 * m1;
}

// Draws n samples (in ms) and checks mean and, when asked, variance against the given moments.
void check_moments(const Distribution& distribution, const Moments& expected, int n, bool check_variance,
                   uint64_t seed) {
  Rng rng = Rng::for_stream(seed, "moments");
  std::vector<double> samples_ms(n);
  double sum = 0;
  for (double& x : samples_ms) {
    const time_ns sample = distribution.sample(rng);
    REQUIRE(sample >= 0);
    x = ns_to_ms(sample);
    sum += x;
  }
  const double mean = sum / n;
  double squares = 0;
  for (double x : samples_ms) squares += (x - mean) * (x - mean);
  const double variance = squares / (n - 1);

  const double mean_tolerance = z_score * std::sqrt(expected.variance / n) + rounding_ms;
  INFO("sample mean " << mean << " expected " << expected.mean << " tolerance " << mean_tolerance);
  CHECK(std::fabs(mean - expected.mean) <= mean_tolerance);
  if (check_variance) {
    // Rounding to 1 ns moves each value by at most 0.5e-6 ms, the variance by at most 2 * sd * 0.5e-6 + 0.25e-12.
    const double rounding = std::sqrt(expected.variance) * 2 * rounding_ms + rounding_ms * rounding_ms;
    const double variance_tolerance =
        z_score * std::sqrt((expected.fourth_central - expected.variance * expected.variance) / n) + rounding;
    INFO("sample variance " << variance << " expected " << expected.variance << " tolerance " << variance_tolerance);
    CHECK(std::fabs(variance - expected.variance) <= variance_tolerance);
  }
}

}  // namespace

TEST_CASE("constant", "[distribution]") {
  const Distribution d = Distribution::constant_ms(2.5);
  Rng rng = Rng::for_stream(1, 1);
  for (int i = 0; i < 100; ++i) REQUIRE(d.sample(rng) == 2'500'000);
  CHECK(d.theoretical_mean_ms() == 2.5);
  CHECK(d.theoretical_variance_ms2() == 0.0);
}

TEST_CASE("uniform", "[distribution]") {
  const double a = 2, b = 10;
  const Distribution d = Distribution::uniform_ms(a, b);
  const double width = b - a;
  CHECK(d.theoretical_mean_ms() == 6.0);
  CHECK(d.theoretical_variance_ms2() == Approx(width * width / 12));
  check_moments(d, {6.0, width * width / 12, std::pow(width, 4) / 80}, 200000, true, 11);
  Rng rng = Rng::for_stream(3, 3);
  for (int i = 0; i < 10000; ++i) {
    const time_ns x = d.sample(rng);
    REQUIRE(x >= 2'000'000);
    REQUIRE(x <= 10'000'000);
  }
}

TEST_CASE("exponential", "[distribution]") {
  const double m = 4.0;
  const Distribution d = Distribution::exponential_ms(m);
  CHECK(d.theoretical_variance_ms2() == m * m);
  // Fourth central moment of an exponential: 9 m^4.
  check_moments(d, {m, m * m, 9 * m * m * m * m}, 200000, true, 12);
}

TEST_CASE("lognormal", "[distribution]") {
  for (const double cv : {0.25, 0.5, 1.0}) {
    const double m = 20.0;
    const Distribution d = Distribution::lognormal_ms(m, cv);
    // Parameters: sigma^2 = ln(1 + cv^2), mu = ln(mean) - sigma^2 / 2.
    CHECK(d.sigma * d.sigma == Approx(std::log(1 + cv * cv)).epsilon(1e-12));
    CHECK(d.mu == Approx(std::log(m) - 0.5 * std::log(1 + cv * cv)).epsilon(1e-12));
    const double variance = (cv * m) * (cv * m);
    CHECK(d.theoretical_variance_ms2() == Approx(variance));
    // Raw moments E[X^k] = exp(k mu + k^2 sigma^2 / 2).
    auto raw = [&](double k) { return std::exp(k * d.mu + k * k * d.sigma * d.sigma / 2); };
    const double fourth = fourth_central_from_raw(raw(1), raw(2), raw(3), raw(4));
    INFO("cv " << cv);
    check_moments(d, {m, variance, fourth}, 200000, true, 13);
  }
}

TEST_CASE("pareto", "[distribution]") {
  SECTION("shape 5: mean and variance (the fourth moment exists for shape > 4)") {
    const double m = 10.0, a = 5.0;
    const Distribution d = Distribution::pareto_ms(m, a);
    const double x_m = m * (a - 1) / a;
    CHECK(d.scale_ms == Approx(x_m));
    // Raw moments E[X^k] = a x_m^k / (a - k) for k < a.
    auto raw = [&](double k) { return a * std::pow(x_m, k) / (a - k); };
    const double variance = raw(2) - raw(1) * raw(1);
    CHECK(d.theoretical_variance_ms2() == Approx(variance));
    check_moments(d, {m, variance, fourth_central_from_raw(raw(1), raw(2), raw(3), raw(4))}, 200000, true, 14);
  }
  SECTION("shape 2.5: the mean (finite variance, so the mean's standard error applies)") {
    const Distribution d = Distribution::pareto_ms(10.0, 2.5);
    check_moments(d, {10.0, d.theoretical_variance_ms2(), 0}, 400000, false, 15);
  }
  SECTION("heavy tails: no variance for shape <= 2, samples never below x_m") {
    const Distribution d = Distribution::pareto_ms(3.0, 1.5);
    CHECK(std::isinf(d.theoretical_variance_ms2()));
    Rng rng = Rng::for_stream(4, 4);
    const time_ns x_m_ns = ms_to_ns(1.0);  // 3 * 0.5 / 1.5
    for (int i = 0; i < 100000; ++i) REQUIRE(d.sample(rng) >= x_m_ns);
  }
}

TEST_CASE("empirical", "[distribution]") {
  const std::vector<double> values = {1, 2, 5, 10, 7};
  const std::vector<double> weights = {1, 2, 3, 4, 0};
  const Distribution d = Distribution::empirical_ms(values, weights);
  double mean = 0;
  for (size_t i = 0; i < values.size(); ++i) mean += weights[i] / 10 * values[i];
  double variance = 0, fourth = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    variance += weights[i] / 10 * std::pow(values[i] - mean, 2);
    fourth += weights[i] / 10 * std::pow(values[i] - mean, 4);
  }
  CHECK(d.theoretical_mean_ms() == Approx(mean));
  CHECK(d.theoretical_variance_ms2() == Approx(variance));
  CHECK(d.cumulative.back() == 1.0);
  check_moments(d, {mean, variance, fourth}, 200000, true, 16);

  // Frequencies within binomial tolerance; the zero-weight value never appears.
  constexpr int n = 200000;
  Rng rng = Rng::for_stream(17, "empirical");
  std::vector<int> counts(values.size(), 0);
  for (int i = 0; i < n; ++i) {
    const time_ns x = d.sample(rng);
    for (size_t k = 0; k < values.size(); ++k) counts[k] += x == ms_to_ns(values[k]);
  }
  CHECK(counts[4] == 0);
  for (size_t k = 0; k < 4; ++k) {
    const double p = weights[k] / 10;
    CHECK(std::fabs((double)counts[k] / n - p) <= z_score * std::sqrt(p * (1 - p) / n));
  }

  SECTION("equal weights by default") {
    const Distribution equal = Distribution::empirical_ms({3, 6}, {});
    CHECK(equal.theoretical_mean_ms() == 4.5);
    CHECK(equal.theoretical_variance_ms2() == 2.25);
  }
}

TEST_CASE("standard normal (Marsaglia polar)", "[distribution]") {
  constexpr int n = 200000;
  Rng rng = Rng::for_stream(18, "normal");
  double sum = 0, squares = 0;
  for (int i = 0; i < n; ++i) {
    const double x = sample_standard_normal(rng);
    sum += x;
    squares += x * x;
  }
  const double mean = sum / n;
  const double variance = squares / n - mean * mean;
  CHECK(std::fabs(mean) <= z_score * std::sqrt(1.0 / n));
  CHECK(std::fabs(variance - 1.0) <= z_score * std::sqrt(2.0 / n));  // mu4 - sigma^4 = 3 - 1
}

TEST_CASE("zipf", "[distribution][zipf]") {
  for (const double exponent : {0.0, 0.8, 1.0, 1.2}) {
    INFO("exponent " << exponent);
    constexpr uint32_t ranks = 1000;
    const ZipfSampler zipf(ranks, exponent);
    REQUIRE(zipf.size() == ranks);

    // The pmf is 1 / (k+1)^s normalised.
    double total = 0;
    for (double p : zipf.pmf) total += p;
    CHECK(total == Approx(1.0).epsilon(1e-12));
    CHECK(zipf.pmf[9] / zipf.pmf[0] == Approx(std::pow(10.0, -exponent)).epsilon(1e-12));

    // The alias table represents the pmf exactly (up to rounding): column k keeps probability[k] of its own mass
    // and gives the rest to alias[k].
    std::vector<double> represented(ranks, 0.0);
    for (uint32_t k = 0; k < ranks; ++k) {
      represented[k] += zipf.probability[k] / ranks;
      represented[zipf.alias[k]] += (1.0 - zipf.probability[k]) / ranks;
    }
    for (uint32_t k = 0; k < ranks; ++k) REQUIRE(represented[k] == Approx(zipf.pmf[k]).margin(1e-12));

    // Empirical frequencies of the top ranks within binomial tolerance.
    constexpr int n = 400000;
    Rng rng = Rng::for_stream(19, "zipf");
    std::vector<int> counts(ranks, 0);
    for (int i = 0; i < n; ++i) {
      const uint32_t k = zipf.sample(rng);
      REQUIRE(k < ranks);
      counts[k] += 1;
    }
    for (uint32_t k = 0; k < 10; ++k) {
      const double p = zipf.pmf[k];
      CHECK(std::fabs((double)counts[k] / n - p) <= z_score * std::sqrt(p * (1 - p) / n));
    }
  }
}

TEST_CASE("zipf sampling is O(1): two generator outputs per draw, whatever the size", "[distribution][zipf]") {
  // below(n) rejects with probability < n / 2^64, so for these sizes a draw is one below() and one next_double():
  // exactly two outputs, no search over ranks.
  for (const uint32_t ranks : {10u, 100000u, 1u << 20}) {
    const ZipfSampler zipf(ranks, 1.0);
    Rng rng = Rng::for_stream(20, ranks);
    for (int i = 0; i < 1000; ++i) {
      Rng expected = rng;
      expected.next_u64();
      expected.next_u64();
      zipf.sample(rng);
      REQUIRE(std::memcmp(rng.s, expected.s, sizeof rng.s) == 0);
    }
  }
}

TEST_CASE("golden samples", "[distribution][determinism]") {
  // Computed once from this implementation and confirmed identical under Emscripten/wasm32.
  auto bits_of = [](double x) {
    uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    return bits;
  };
  uint64_t hash = 0;
  Rng rng = Rng::for_stream(2024, "golden/distributions");
  const Distribution distributions[] = {Distribution::constant_ms(3),       Distribution::uniform_ms(1, 5),
                                        Distribution::exponential_ms(10),   Distribution::lognormal_ms(20, 1.5),
                                        Distribution::pareto_ms(5, 2.5),    Distribution::empirical_ms({1, 2, 3}, {1, 0, 2})};
  for (int i = 0; i < 1000; ++i) {
    for (const Distribution& d : distributions) hash = mix64(hash ^ (uint64_t)d.sample(rng));
  }
  const ZipfSampler zipf(1000, 0.99);
  for (int i = 0; i < 1000; ++i) hash = mix64(hash ^ zipf.sample(rng));
  for (int i = 0; i < 1000; ++i) hash = mix64(hash ^ bits_of(sample_standard_normal(rng)));
  CHECK(hash == 0x1B83B1DD9BBBE356ull);
}

TEST_CASE("huge samples are clamped", "[distribution]") {
  // A Pareto with shape just above 1 has an enormous tail; samples stay within 10^15 ns.
  const Distribution d = Distribution::pareto_ms(1e6, 1.01);
  Rng rng = Rng::for_stream(21, 21);
  for (int i = 0; i < 100000; ++i) {
    const time_ns x = d.sample(rng);
    REQUIRE(x >= 0);
    REQUIRE(x <= 1'000'000'000'000'000);
  }
}
