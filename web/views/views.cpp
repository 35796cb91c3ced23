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

std::string App::view_stats_json() const {
  const ViewStats& s = views_->stats;
  nlohmann::json out = {
      {"view", active_view_},
      {"architecture", {{"nodes", s.nodes}, {"edges", s.edges}, {"flows_live", s.flows_live},
                        {"particles", s.particles}, {"static_markers", s.static_markers},
                        {"particles_on_gpu", s.particles_on_gpu}, {"shader_error", views_->dots.error()}}},
      {"ring", {{"points", s.ring_points}, {"keys", s.ring_keys}, {"moved_keys", s.moved_keys}, {"nodes", s.ring_nodes},
                {"tooltip", s.ring_tooltip}}},
      {"locks", {{"rows", s.lock_rows}, {"bars", s.lock_bars}, {"overlaps", s.lock_overlaps},
                 {"expiries", s.lock_expiries}, {"pauses", s.lock_pauses}, {"rejected", s.lock_rejected}}},
      {"queues", {{"bars", s.queue_bars}, {"consumers", s.queue_consumers}, {"partitions", s.queue_partitions},
                  {"marks", s.queue_marks}, {"depth", s.queue_depth}}},
      {"inspector", {{"cells", s.inspector_cells}, {"clipped", s.inspector_clipped},
                     {"pairs_per_row", s.inspector_pairs_per_row}}},
      {"layout", phone_.active ? "phone" : "desktop"},
      {"panel", phone_.panel == PhonePanel::views       ? "views"
                : phone_.panel == PhonePanel::scenario  ? "scenario"
                : phone_.panel == PhonePanel::inspector ? "inspector"
                                                        : "log"},
      {"tabs_clipped", s.tabs_clipped},
      {"engine_ms", engine_ms_}};
  return out.dump();
}

}  // namespace pgweb
