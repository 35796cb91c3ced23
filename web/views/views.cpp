// What the mechanism views share with the rest of the app: their statistics as JSON for window.playground, and
// the channel through which a view reports a problem it cannot fix (a shader that does not compile).
#include "web/views/views.hpp"

#include <cstdio>
#include <string>

#include "web/app.hpp"

namespace pgweb {

namespace {
std::string pending_problem;   // shown once in the message banner by the next frame of the main view
}

void report_view_problem(const std::string& text) { pending_problem = text; }

std::string json_quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if ((unsigned char)c < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", (unsigned)c);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string take_view_problem() {
  std::string text;
  text.swap(pending_problem);
  return text;
}

// Built by hand with snprintf: a JSON object of this many keys built with nlohmann::json's initializer lists was
// about 12 KB of the page's WebAssembly. The three texts are quoted with json_quoted.
std::string App::view_stats_json() const {
  const ViewStats& s = views_->stats;
  static const char* const panels[] = {"views", "scenario", "inspector", "log"};
  char numbers[1024];
  std::snprintf(numbers, sizeof numbers,
                "\"architecture\":{\"nodes\":%d,\"edges\":%d,\"flows_live\":%d,\"particles\":%d,"
                "\"static_markers\":%d,\"particles_on_gpu\":%s,\"shader_error\":",
                s.nodes, s.edges, s.flows_live, s.particles, s.static_markers, s.particles_on_gpu ? "true" : "false");
  std::string out = "{\"view\":" + json_quoted(active_view_) + "," + numbers + json_quoted(views_->dots.error());
  std::snprintf(numbers, sizeof numbers,
                "},\"ring\":{\"points\":%d,\"keys\":%d,\"moved_keys\":%d,\"nodes\":%d,\"tooltip\":",
                s.ring_points, s.ring_keys, s.moved_keys, s.ring_nodes);
  out += numbers + json_quoted(s.ring_tooltip);
  std::snprintf(numbers, sizeof numbers,
                "},\"locks\":{\"rows\":%d,\"bars\":%d,\"overlaps\":%d,\"expiries\":%d,\"pauses\":%d,"
                "\"rejected\":%d},\"queues\":{\"bars\":%d,\"consumers\":%d,\"partitions\":%d,\"marks\":%d,"
                "\"depth\":%lld},\"inspector\":{\"cells\":%d,\"clipped\":%d,\"pairs_per_row\":%d},"
                "\"layout\":\"%s\",\"panel\":\"%s\",\"tabs_clipped\":%d,\"engine_ms\":%.17g}",
                s.lock_rows, s.lock_bars, s.lock_overlaps, s.lock_expiries, s.lock_pauses, s.lock_rejected,
                s.queue_bars, s.queue_consumers, s.queue_partitions, s.queue_marks, (long long)s.queue_depth,
                s.inspector_cells, s.inspector_clipped, s.inspector_pairs_per_row, phone_.active ? "phone" : "desktop",
                panels[(int)phone_.panel], s.tabs_clipped, engine_ms_);
  return out + numbers;
}

}  // namespace pgweb
