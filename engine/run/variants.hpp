// Variants of a scenario for a sweep (playground-cli sweep and the page's Sweep window use the same code, so they
// give the same numbers): one number field, named by its parameter path as in an exercise's `allowed` list, set to a
// value given as text, the result read again by the parser so that every range and rule between fields holds.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/scenario/parameter_path.hpp"
#include "engine/scenario/scenario.hpp"

namespace pg {

struct Variant {
  std::optional<Scenario> scenario;
  std::vector<std::string> errors;   // why not: each names the path (and the value)
};

// The scenario with the number field at `path` set to `value_text` (plain decimal text: "4", "0.5", "1e3").
Variant scenario_with_number(const Scenario& base, const std::string& path, const std::string& value_text);

// The fields a sweep can set: the scenario's number fields (integer, count and number rows), in table order.
std::vector<FieldAddress> sweepable_fields(const Scenario& scenario);

// Without named metrics: every request type's mean and p99 latency (the report's keys are sorted, so the order is
// fixed). Names with a dot cannot be written as a dotted path and are left out.
std::vector<std::string> default_report_metrics(const nlohmann::json& report);

// A sweep's CSV, as playground-cli sweep prints it: the raw replications `value,seed,<metric>...`, one row per value
// and seed, or with `summary` one row per value `value,<metric>_mean,<metric>_ci95...` (Student t 95% half-width
// over the seeds; 0 with one seed). runs[v * seeds + i] holds the metrics of value v under seed seed_base + i.
std::string sweep_csv(const std::vector<std::string>& values, uint64_t seeds, uint64_t seed_base,
                      const std::vector<std::string>& metrics, const std::vector<std::vector<double>>& runs,
                      bool summary);
// The number as the CSV writes it (15 significant digits: the same bits read back).
std::string csv_number(double value);

// "2,4,8" -> {"2", "4", "8"} (blanks around each value dropped; empty parts kept, for the caller to refuse).
std::vector<std::string> split_values(const std::string& text);

}  // namespace pg
