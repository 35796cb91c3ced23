// The scenario the app opens with until the scenario panel and the shared built-in scenario files exist.
#pragma once

namespace pgweb {

// The built-in scenario the page opens on when no link or file says otherwise.
inline constexpr const char* first_scenario_file = "shop-spike.json";

inline constexpr const char* default_scenario_json = R"json({
  "version": 1,
  "name": "Hello shop",
  "seed": 1,
  "duration_s": 60,
  "workload": {"arrivals": {"rate_per_s": 200}},
  "requests": [{"name": "browse", "steps": [{"call": "catalog"}]}],
  "services": [{"name": "catalog", "instances": 2, "workers": 4}]
})json";

}  // namespace pgweb
