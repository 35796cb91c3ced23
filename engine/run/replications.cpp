#include "engine/run/replications.hpp"

#include "engine/kernel/portable_math.hpp"

namespace pg {

double sample_mean(const std::vector<double>& values) {
  if (values.empty()) return 0;
  double sum = 0;
  for (double v : values) sum += v;  // in order, so the result does not depend on anything but the values
  return sum / static_cast<double>(values.size());
}

double sample_stddev(const std::vector<double>& values) {
  if (values.size() < 2) return 0;
  // Two passes (mean first, then squared deviations) rather than sum of squares, which cancels badly when the
  // values are large and close together, as latencies of one scenario under different seeds are.
  double mean = sample_mean(values);
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return pm_sqrt(squares / static_cast<double>(values.size() - 1));
}

double student_t_975(size_t df) {
  // Two-sided 95% critical values t(0.975, df), rounded to three decimals, as printed in the NIST/SEMATECH
  // e-Handbook of Statistical Methods, section 1.3.6.7.2 "Critical Values of the Student's t Distribution".
  static const double table[30] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                   2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                   2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (df == 0) return 0;
  if (df <= 30) return table[df - 1];
  return 1.96;
}

double ci95_half_width(const std::vector<double>& values) {
  size_t n = values.size();
  if (n < 2) return 0;
  return student_t_975(n - 1) * sample_stddev(values) / pm_sqrt(static_cast<double>(n));
}

std::vector<double> paired_differences(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> out;
  if (a.size() != b.size()) return out;
  out.reserve(a.size());
  for (size_t i = 0; i < a.size(); ++i) out.push_back(b[i] - a[i]);
  return out;
}

}  // namespace pg
