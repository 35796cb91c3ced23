// Transcendental functions written with IEEE +, -, *, / and sqrt only, so g++ and em++ give bit-identical
// results (libm's log/exp differ between glibc and musl in the last bit). Accuracy is documented per function
// and checked in tests/unit/kernel/test_portable_math.cpp against libm.
#pragma once

namespace pg {

double pm_log(double x);            // natural logarithm, x > 0
double pm_exp(double x);            // e^x; returns 0 below about -745 and +inf above about 709.78
double pm_pow(double x, double y);  // x^y for x > 0, as pm_exp(y * pm_log(x))
double pm_sqrt(double x);           // IEEE sqrt (exact on both targets)

}  // namespace pg
