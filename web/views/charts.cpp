// The Charts tab: throughput, latency p50/p99 and failures per request type, waiting-line depth per service, and
// (when the scenario has them) cache hit ratio, lock waiters and message-queue depth. Requests and services are
// read straight from the engine's const series; the other models' series come from the cached report
// (report(with_series) refreshed a few times a second, never every frame: it is expensive).
#include <algorithm>
#include <cmath>

#include <imgui.h>

#include "engine/run/world.hpp"
#include "web/app.hpp"
#include "web/views/chart_widget.hpp"
#include "web/views/views.hpp"
#include "web/strings.hpp"

namespace pgweb {

namespace {

constexpr size_t points_per_line_max = 600;

std::vector<float> json_values(const nlohmann::json& array, size_t stride) {
  std::vector<float> out;
  if (!array.is_array()) return out;
  for (size_t i = 0; i < array.size(); i += stride)
    out.push_back(array[i].is_number() ? array[i].get<float>() : 0.0f);
  return out;
}

// One chart per report series field across the entities of a model: series[model][entity][field].
ChartData chart_from_report(const nlohmann::json& report, const char* model, std::initializer_list<const char*> fields,
                            std::string title, std::string unit, float t_max_s) {
  ChartData chart;
  chart.title = std::move(title);
  chart.unit = std::move(unit);
  chart.t_max_s = t_max_s;
  chart.empty_text = text(StrId::charts_no_series);
  if (!report.is_object() || !report.contains("series")) return chart;
  const nlohmann::json& series = report["series"];
  if (!series.contains(model) || !series[model].is_object() || !series.contains("t_s")) return chart;
  const size_t count = series["t_s"].size();
  const size_t stride = std::max<size_t>(1, count / points_per_line_max);
  chart.t_s = json_values(series["t_s"], stride);
  size_t colour = 0;
  for (auto it = series[model].begin(); it != series[model].end(); ++it) {
    for (const char* field : fields) {
      if (!it.value().is_object() || !it.value().contains(field)) continue;
      chart.lines.push_back({it.key(), chart_colour(colour++), json_values(it.value()[field], stride)});
      break;
    }
  }
  return chart;
}

std::vector<ChartData> build_charts(const pg::World& world, const nlohmann::json& report) {
  const float t_max_s = (float)pg::ns_to_s(world.end_ns());
  const uint64_t count = world.time_axis.size();
  const uint64_t stride = std::max<uint64_t>(1, count / points_per_line_max);
  const std::vector<float> t_s = series_values(world.time_axis, stride);
  auto base = [&](StrId title, StrId unit) {
    ChartData chart;
    chart.title = text(title);
    chart.unit = text(unit);
    chart.t_s = t_s;
    chart.t_max_s = t_max_s;
    return chart;
  };
  std::vector<ChartData> charts;
  ChartData throughput = base(StrId::charts_throughput, StrId::charts_unit_req_s);
  ChartData latency = base(StrId::charts_latency, StrId::charts_unit_ms);
  ChartData failures = base(StrId::charts_failures, StrId::charts_unit_per_s);
  for (size_t i = 0; i < world.request_stats.size(); ++i) {
    const pg::RequestStats& r = world.request_stats[i];
    const std::string& name = world.scenario.requests[i].name;
    throughput.lines.push_back({name, chart_colour(i), series_values(r.throughput, stride)});
    latency.lines.push_back({name + " p99", chart_colour(i), series_values(r.p99_ms, stride)});
    latency.lines.back().label = name;
    failures.lines.push_back({name, chart_colour(i), series_values(r.failures, stride)});
  }
  for (size_t i = 0; i < world.request_stats.size(); ++i) {
    ChartLine p50{world.scenario.requests[i].name + " p50", chart_colour(i),
                  series_values(world.request_stats[i].p50_ms, stride), true, false};
    latency.lines.push_back(std::move(p50));
  }
  ChartData depth = base(StrId::charts_waiting_line, StrId::charts_unit_requests);
  for (size_t s = 0; s < world.services.series().size(); ++s)
    depth.lines.push_back({world.services.specs[s].name, chart_colour(s), series_values(world.services.series()[s].line_length, stride)});
  charts.push_back(std::move(throughput));
  charts.push_back(std::move(latency));
  charts.push_back(std::move(failures));
  charts.push_back(std::move(depth));
  if (!world.scenario.caches.empty()) {
    charts.push_back(chart_from_report(report, "caches", {"hit_ratio"}, text(StrId::charts_cache_hit_ratio), "", t_max_s));
    charts.back().y_max_min = 1;
  }
  if (!world.scenario.locks.empty())
    charts.push_back(chart_from_report(report, "locks", {"waiters", "waiting"}, text(StrId::charts_lock_waiters),
                                         text(StrId::charts_unit_clients), t_max_s));
  if (!world.scenario.queues.empty())
    charts.push_back(chart_from_report(report, "queues", {"depth", "backlog"}, text(StrId::charts_queue_depth),
                                         text(StrId::charts_unit_messages), t_max_s));
  return charts;
}

}  // namespace

void App::draw_charts() {
  // Chart data survives between frames under reduced motion, where it is rebuilt once a second.
  std::vector<ChartData>& chart_cache = views_->charts;
  if (!sim()) {
    ImGui::TextDisabled("%s", text(StrId::charts_no_run));
    return;
  }
  const nlohmann::json& report = cached_report();
  const bool rebuild = !options_.reduced_motion || charts_built_s_ < 0 || real_time_s_ - charts_built_s_ >= 1.0 ||
                       !playing_;
  if (rebuild) {
    chart_cache = build_charts(sim()->world(), report);
    charts_built_s_ = real_time_s_;
    // Comparing without a split: B's lines over A's, dashed, in the same colours (each chart has the same lines in
    // A and B unless B's change added or removed an item; lines are matched by label).
    if (compare_.active() && !compare_ui_.split && !drawing_b_ && compare_.sim_b()) {
      const std::vector<ChartData> b_charts =
          build_charts(compare_.sim_b()->world(), compare_.report_b(options_.reduced_motion ? 1.0 : report_refresh_s));
      for (size_t c = 0; c < chart_cache.size() && c < b_charts.size(); ++c) {
        if (b_charts[c].title != chart_cache[c].title) continue;
        chart_cache[c].note = text(StrId::charts_ab_note);
        const size_t a_lines = chart_cache[c].lines.size();
        for (const ChartLine& b_line : b_charts[c].lines) {
          ChartLine line = b_line;
          for (size_t i = 0; i < a_lines; ++i)
            if (chart_cache[c].lines[i].label == b_line.label && chart_cache[c].lines[i].faint == b_line.faint)
              line.colour = chart_cache[c].lines[i].colour;
          line.dashed = true;
          line.in_legend = false;
          line.label += " (B)";
          line.t_s = b_charts[c].t_s;
          chart_cache[c].lines.push_back(std::move(line));
        }
      }
    }
  }
  const ImVec2 available = ImGui::GetContentRegionAvail();
  const ImGuiStyle& style = ImGui::GetStyle();
  const int columns = available.x >= 620 ? 2 : 1;
  const int rows = ((int)chart_cache.size() + columns - 1) / columns;
  const float chart_width = (available.x - style.ItemSpacing.x * (float)(columns - 1)) / (float)columns;
  const float fit_height = (available.y - style.ItemSpacing.y * (float)(rows - 1)) / (float)std::max(rows, 1);
  const float chart_height = std::max(fit_height, ImGui::GetTextLineHeight() * 9);
  chart_points_.clear();
  for (size_t i = 0; i < chart_cache.size(); ++i) {
    if (i % (size_t)columns != 0) ImGui::SameLine();
    time_series_chart(chart_cache[i].title.c_str(), chart_cache[i], ImVec2(chart_width, std::floor(chart_height)),
                      views_->chart_cursor);
    if (i == 0) remember_rect("chart0");
    chart_points_.push_back({chart_cache[i].title, chart_cache[i].t_s.size()});
  }
}

}  // namespace pgweb
