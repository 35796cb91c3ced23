// What the mechanism views share with the rest of the app: their statistics as JSON for window.playground, and
// the channel through which a view reports a problem it cannot fix (a shader that does not compile).
#include "web/views/views.hpp"

#include <string>

#include "web/app.hpp"

namespace pgweb {

namespace {
std::string pending_problem;   // shown once in the message banner by the next frame of the main view
}

void report_view_problem(const std::string& text) { pending_problem = text; }

std::string take_view_problem() {
  std::string text;
  text.swap(pending_problem);
  return text;
}

// A table of numbers rather than nested initialiser lists: each of those is code, and this is only for tests.
std::string App::view_stats_json() const {
  const ViewStats& s = views_->stats;
  const struct {
    const char* group;
    const char* name;
    double value;
  } numbers[] = {
      {"architecture", "nodes", (double)s.nodes},          {"architecture", "edges", (double)s.edges},
      {"architecture", "flows_live", (double)s.flows_live}, {"architecture", "particles", (double)s.particles},
      {"architecture", "static_markers", (double)s.static_markers},
      {"ring", "points", (double)s.ring_points},          {"ring", "keys", (double)s.ring_keys},
      {"ring", "moved_keys", (double)s.moved_keys},       {"ring", "nodes", (double)s.ring_nodes},
      {"locks", "rows", (double)s.lock_rows},             {"locks", "bars", (double)s.lock_bars},
      {"locks", "overlaps", (double)s.lock_overlaps},     {"locks", "expiries", (double)s.lock_expiries},
      {"locks", "pauses", (double)s.lock_pauses},         {"locks", "rejected", (double)s.lock_rejected},
      {"queues", "bars", (double)s.queue_bars},           {"queues", "consumers", (double)s.queue_consumers},
      {"queues", "partitions", (double)s.queue_partitions}, {"queues", "marks", (double)s.queue_marks},
      {"queues", "depth", (double)s.queue_depth},
      {"inspector", "cells", (double)s.inspector_cells},  {"inspector", "clipped", (double)s.inspector_clipped},
      {"inspector", "pairs_per_row", (double)s.inspector_pairs_per_row},
  };
  nlohmann::json out = nlohmann::json::object();
  for (const auto& n : numbers) out[n.group][n.name] = (int64_t)n.value;   // whole numbers, written as such
  out["architecture"]["particles_on_gpu"] = s.particles_on_gpu;
  out["architecture"]["shader_error"] = views_->dots.error();
  out["view"] = active_view_;
  out["engine_ms"] = engine_ms_;
  return out.dump();
}

}  // namespace pgweb
