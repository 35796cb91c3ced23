// Portable transcendental functions from IEEE +, -, *, / and sqrt only (no libm calls, no FMA: the build keeps
// -ffp-contract=off), so g++/x86-64 and em++/wasm32 return the same bits.
//
// Method and accuracy (tests/unit/kernel/test_portable_math.cpp checks them against glibc, itself within 1 ulp):
// - pm_log: x = 2^e * m with m in [sqrt(2)/2, sqrt(2)], exponent read from the bits (subnormals scaled first);
//   log(m) = log1p(f) = 2 atanh(s), s = f / (2 + f), |s| <= 0.1716, as an odd Taylor series truncated after s^21
//   (truncation below 1e-18 relative), assembled in the fdlibm order f - f^2/2 + s (f^2/2 + R) with every large
//   term carried as a double-double; e * ln2 is added as an exact high part plus a low part. The double-double
//   result is within about 1e-18 relative of log x; the returned double is within 1 ulp (measured 2.1e-16 relative).
// - pm_exp: k = nearest integer to x / ln2, r = x - k ln2 with a Cody-Waite split of ln2 (k * ln2_high is exact),
//   |r| <= 0.347, e^r as a Taylor polynomial to r^15 (truncation < 1e-19), scaled by 2^k built from bits.
//   Within 1 ulp (measured 2.2e-16 relative) for normal results; subnormal results (x < -708.4) round twice.
// - pm_pow: exp(y log x) with log x as a double-double and y * log x formed exactly (Dekker's product), so the
//   error does not grow with |y log x| as a plain exp(y * log(x)) would (that loses about |y log x| ulp, 1.6e-13
//   near overflow). Measured relative error below 2e-15 for normal results with |y ln x| <= 700.
#include "engine/kernel/portable_math.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace pg {

namespace {

// ln 2 split so that the high part has 32 significant bits: k * ln2_high is exact for |k| < 2^21.
constexpr double ln2_high = 6.93147180369123816490e-01;  // bits 0x3FE62E42FEE00000
constexpr double ln2_low = 1.90821492927058770002e-10;   // ln 2 - ln2_high
constexpr double inverse_ln2 = 1.44269504088896338700e+00;
constexpr double sqrt2 = 1.41421356237309514547e+00;
constexpr double exp_overflow_x = 7.09782712893383973096e+02;    // ln(DBL_MAX)
constexpr double exp_underflow_x = -7.45133219101941108420e+02;  // ln(smallest subnormal / 2)

uint64_t bits_of(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
}

double double_from_bits(uint64_t bits) {
  double x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

// 2^k for -1022 <= k <= 1023, exactly.
double power_of_two(int k) { return double_from_bits((uint64_t)(k + 1023) << 52); }

// A double-double: value = high + low with |low| <= ulp(high) / 2.
struct DoubleDouble {
  double high, low;
};

// Knuth's two-sum: a + b = sum + error exactly.
DoubleDouble two_sum(double a, double b) {
  const double sum = a + b;
  const double b_virtual = sum - a;
  const double a_virtual = sum - b_virtual;
  return {sum, (a - a_virtual) + (b - b_virtual)};
}

// Dekker's product without FMA: a * b = product + error exactly, for |a|, |b| < 2^995.
DoubleDouble two_product(double a, double b) {
  constexpr double splitter = 134217729.0;  // 2^27 + 1
  const double a_scaled = splitter * a, b_scaled = splitter * b;
  const double a_high = a_scaled - (a_scaled - a), a_low = a - a_high;
  const double b_high = b_scaled - (b_scaled - b), b_low = b - b_high;
  const double product = a * b;
  const double error = ((a_high * b_high - product) + a_high * b_low + a_low * b_high) + a_low * b_low;
  return {product, error};
}

// log(x) as a double-double for finite x > 0 (the callers handle the rest).
DoubleDouble log_double_double(double x) {
  int exponent_adjust = 0;
  if (x < 0x1.0p-1022) {  // subnormal: scale into the normal range first
    x *= 0x1.0p54;
    exponent_adjust = -54;
  }
  const uint64_t bits = bits_of(x);
  int exponent = (int)((bits >> 52) & 0x7FF) - 1023 + exponent_adjust;
  double mantissa = double_from_bits((bits & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);  // in [1, 2)
  if (mantissa > sqrt2) {
    mantissa *= 0.5;  // exact
    exponent += 1;
  }
  const double f = mantissa - 1.0;  // exact (Sterbenz)
  // s = f / (2 + f) as s + s_low: its rounding error, times d(log1p)/ds = f^2/2 + 2z/(1 - z), would otherwise
  // be the largest error of the double-double result (about 5e-18 near f = 0.41).
  const DoubleDouble denominator = two_sum(2.0, f);
  const double s = f / denominator.high;
  const DoubleDouble s_times_denominator = two_product(s, denominator.high);
  const double s_low =
      (((f - s_times_denominator.high) - s_times_denominator.low) - s * denominator.low) / denominator.high;
  const double z = s * s;
  // R = sum_{j>=1} 2 z^j / (2j + 1), so that log1p(f) = 2s + s R; terms beyond z^10 are below 1e-18 relative.
  constexpr double atanh_terms[10] = {2.0 / 3,  2.0 / 5,  2.0 / 7,  2.0 / 9,  2.0 / 11,
                                      2.0 / 13, 2.0 / 15, 2.0 / 17, 2.0 / 19, 2.0 / 21};
  double series = atanh_terms[9];
  for (int j = 8; j >= 0; --j) series = atanh_terms[j] + z * series;
  series *= z;
  // log1p(f) = f - f^2/2 + s (f^2/2 + R). The tail s (f^2/2 + R) reaches 0.017, so it too is carried as a
  // double-double: its plain rounding (a few times 2e-18) would dominate pm_pow's error for large |y log x|.
  const DoubleDouble half_f_squared = two_product(0.5 * f, f);
  const DoubleDouble bracket = two_sum(half_f_squared.high, series);
  const DoubleDouble tail = two_product(s, bracket.high);
  const double tail_low = tail.low + s * (bracket.low + half_f_squared.low) - half_f_squared.low +
                          s_low * (half_f_squared.high + 2.0 * z / (1.0 - z));
  const DoubleDouble mantissa_log = two_sum(f, -half_f_squared.high);
  const DoubleDouble mantissa_log_tail = two_sum(mantissa_log.high, tail.high);
  const double mantissa_low = mantissa_log_tail.low + (mantissa_log.low + tail_low);
  const double e = (double)exponent;
  const DoubleDouble total = two_sum(e * ln2_high, mantissa_log_tail.high);  // e * ln2_high is exact
  const double low = total.low + (mantissa_low + e * ln2_low);
  return two_sum(total.high, low);
}

// e^x for x within [exp_underflow_x, exp_overflow_x], plus a small correction: returns e^(x + correction) with
// |correction| tiny relative to 1 (used by pm_pow for the low half of a double-double exponent).
double exp_core(double x, double correction) {
  const double k_real = x * inverse_ln2;
  const int k = (int)(k_real + (k_real >= 0 ? 0.5 : -0.5));
  const double kd = (double)k;
  const double r_high = x - kd * ln2_high;  // exact: kd * ln2_high is exact and close to x
  const double r_low = kd * ln2_low - correction;
  const double r = r_high - r_low;
  // e^r - 1 - r = r^2 (1/2! + r/3! + ... + r^13/15!), Horner from the smallest term.
  double p = 1.0 / 1307674368000.0;  // 1/15!
  p = 1.0 / 87178291200.0 + r * p;    // 1/14!
  p = 1.0 / 6227020800.0 + r * p;     // 1/13!
  p = 1.0 / 479001600.0 + r * p;      // 1/12!
  p = 1.0 / 39916800.0 + r * p;       // 1/11!
  p = 1.0 / 3628800.0 + r * p;        // 1/10!
  p = 1.0 / 362880.0 + r * p;         // 1/9!
  p = 1.0 / 40320.0 + r * p;          // 1/8!
  p = 1.0 / 5040.0 + r * p;           // 1/7!
  p = 1.0 / 720.0 + r * p;            // 1/6!
  p = 1.0 / 120.0 + r * p;            // 1/5!
  p = 1.0 / 24.0 + r * p;             // 1/4!
  p = 1.0 / 6.0 + r * p;              // 1/3!
  p = 0.5 + r * p;                    // 1/2!
  // 1 + r + r^2 p with r's rounding error (r_high - r_low - r) folded back in.
  const double r_error = (r_high - r) - r_low;
  const double y = 1.0 + (r + (r * r * p + r_error));
  if (k > 1023) return y * 2.0 * power_of_two(k - 1);
  if (k < -1022) return y * power_of_two(k + 54) * 0x1.0p-54;  // subnormal result (rounds twice)
  return y * power_of_two(k);
}

}  // namespace

double pm_log(double x) {
  if (x != x) return x;                                            // NaN
  if (x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (x == std::numeric_limits<double>::infinity()) return x;
  const DoubleDouble result = log_double_double(x);
  return result.high;
}

double pm_exp(double x) {
  if (x != x) return x;  // NaN
  if (x > exp_overflow_x) return std::numeric_limits<double>::infinity();
  if (x < exp_underflow_x) return 0.0;
  return exp_core(x, 0.0);
}

double pm_pow(double x, double y) {
  if (y == 0 || x == 1) return 1.0;
  if (x != x || y != y) return std::numeric_limits<double>::quiet_NaN();
  if (x < 0) return std::numeric_limits<double>::quiet_NaN();  // outside the declared domain x > 0
  if (x == 0) return y > 0 ? 0.0 : std::numeric_limits<double>::infinity();
  const double infinity = std::numeric_limits<double>::infinity();
  if (x == infinity) return y > 0 ? infinity : 0.0;
  const DoubleDouble log_x = log_double_double(x);
  const double estimate = y * log_x.high;
  if (estimate != estimate) return std::numeric_limits<double>::quiet_NaN();
  if (estimate > exp_overflow_x + 1) return infinity;  // the margin covers log_x.low; exp_core checks the edge
  if (estimate < exp_underflow_x - 1) return 0.0;
  const DoubleDouble product = two_product(y, log_x.high);
  const double exponent_low = product.low + y * log_x.low;
  const DoubleDouble exponent = two_sum(product.high, exponent_low);
  if (exponent.high > exp_overflow_x) return infinity;
  if (exponent.high < exp_underflow_x) return 0.0;
  return exp_core(exponent.high, exponent.low);
}

double pm_sqrt(double x) {
  // IEEE 754 requires a correctly rounded square root: sqrtsd on x86-64, f64.sqrt on wasm32.
  return std::sqrt(x);
}

}  // namespace pg
