// The report: one JSON object summarising a run (its fields: README.md, "The report"). Goals read its paths.
#pragma once
#include <nlohmann/json.hpp>

#include "engine/kernel/histogram.hpp"
#include "engine/kernel/metrics.hpp"

namespace pg {

// {"count","mean","p50","p90","p99","p999","max"} in milliseconds (count is an integer).
nlohmann::json histogram_ms_json(const Histogram& histogram);
// The kept points of a series as an array of numbers.
nlohmann::json series_json(const Series& series);
// Rounds a decimal for the report so that text output is short and identical on every platform.
double report_round(double value);

}  // namespace pg
