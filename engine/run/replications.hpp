// Statistics over independent replications of a run (one value per seed): mean, sample standard deviation, the
// 95% confidence half-width of the mean (Student t), and paired differences for common-random-number comparisons.
// Pure functions; only +, -, *, / and IEEE sqrt, so native and WebAssembly give the same digits.
#pragma once
#include <cstddef>
#include <vector>

namespace pg {

// Arithmetic mean; 0 for an empty vector.
double sample_mean(const std::vector<double>& values);
// Sample standard deviation (divisor n - 1); 0 for fewer than two values.
double sample_stddev(const std::vector<double>& values);
// The 0.975 quantile of Student's t with `df` degrees of freedom (df >= 1); 1.96 (the normal's) beyond df 30.
double student_t_975(size_t df);
// Half-width of the two-sided 95% confidence interval of the mean: t(n-1) * s / sqrt(n); 0 for fewer than two.
double ci95_half_width(const std::vector<double>& values);
// b[i] - a[i] for each i; the vectors must be equally long (an empty result otherwise).
std::vector<double> paired_differences(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace pg
