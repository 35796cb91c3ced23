// The lock timeline: one row per lock key, time running left to right over the last few seconds. Each holder's
// belief that it holds the key (Locks: LockInterval, from the grant it saw to the release it sent) is a bar,
// coloured by the service instance it runs in; a bar that overlapped another is red, and so is the stretch where
// two bars overlap. A holder's process pause (a GC pause) is shaded blue over its bar, a lease expiry is a
// vertical tick (orange: the holder was paused and still believes), and with fencing a write the store rejected
// as stale is marked with a cross at the end of its bar. The right column shows the key's stock, holders and
// waiters now. Only const accessors of the Locks model are read.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <vector>

#include <imgui.h>

#include "engine/scenario/scenario_fields.hpp"
#include "engine/run/world.hpp"
#include "web/app.hpp"
#include "web/views/chart_widget.hpp"
#include "web/views/views.hpp"
#include "web/strings.hpp"

namespace pgweb {

namespace {

constexpr size_t rows_max = 16;

struct Row {
  uint32_t lock = 0, key = 0;
  std::vector<const pg::LockInterval*> intervals;
};

// The intervals the view can draw: the recent ones, and the overlapped ones kept after the recent ones moved on
// (each once: an overlapped interval still among the recent ones is taken from there).
std::vector<const pg::LockInterval*> drawable_intervals(const pg::LockState& lock) {
  std::vector<const pg::LockInterval*> out;
  std::set<std::pair<uint32_t, pg::time_ns>> recent;   // (flow, start) of the recent ones
  for (uint64_t i = 0; i < lock.intervals.size(); ++i) {
    out.push_back(&lock.intervals.at(i));
    recent.insert({out.back()->flow, out.back()->start_ns});
  }
  for (uint64_t i = 0; i < lock.overlapped_intervals.size(); ++i) {
    const pg::LockInterval& kept = lock.overlapped_intervals.at(i);
    if (!recent.count({kept.flow, kept.start_ns})) out.push_back(&kept);
  }
  return out;
}

// When the last interval that overlapped another ended (-1 when none did), over every lock's drawable intervals.
pg::time_ns last_overlap_end(const std::vector<std::vector<const pg::LockInterval*>>& per_lock, pg::time_ns now) {
  pg::time_ns last = -1;
  for (const auto& intervals : per_lock)
    for (const pg::LockInterval* interval : intervals)
      if (interval->overlapped) last = std::max(last, interval->end_ns == pg::time_never ? now : interval->end_ns);
  return last;
}

}  // namespace

void App::draw_locks_view() {
  if (!sim()) return;
  const pg::World& world = sim()->world();
  const pg::Locks& locks = world.locks;
  ViewsState& views = *views_;
  ViewStats& stats = views.stats;
  stats.lock_rows = stats.lock_bars = stats.lock_overlaps = stats.lock_expiries = stats.lock_pauses =
      stats.lock_rejected = 0;
  if (locks.locks().empty()) {
    ImGui::TextDisabled("%s", pgweb::text(StrId::locks_none));
    return;
  }
  const float unit = ImGui::GetFontSize();
  ImGui::SetNextItemWidth(unit * 8);
  ImGui::SliderFloat(pgweb::text(StrId::locks_window), &views.lock_window_s, 0.5f, 20.0f,
                     pgweb::text(StrId::locks_window_format), ImGuiSliderFlags_Logarithmic);
  ImGui::SameLine();
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("%s", pgweb::text(StrId::locks_legend));
  mark_term(Term::lease);
  ImGui::PopTextWrapPos();

  const pg::time_ns now = world.now();
  const pg::time_ns window_ns = pg::s_to_ns((double)views.lock_window_s);
  // The window ends now, except when the run stands still with every overlap before it: then it ends just after
  // the last overlap, so a run jumped to its end still shows what its totals count (the note below says so).
  // Each lock's drawable intervals, gathered once for the frame (the window's end and the rows both read them).
  std::vector<std::vector<const pg::LockInterval*>> per_lock;
  for (const pg::LockState& lock : locks.locks()) per_lock.push_back(drawable_intervals(lock));
  const pg::time_ns last_overlap = last_overlap_end(per_lock, now);
  const bool moved_back = !playing_ && last_overlap >= 0 && last_overlap < now - window_ns;
  const pg::time_ns window_end = moved_back ? std::min(now, last_overlap + window_ns / 5) : now;
  const pg::time_ns from_ns = std::max<pg::time_ns>(0, window_end - window_ns);
  const pg::time_ns to_ns = std::max(from_ns + window_ns, window_end);
  if (moved_back) {
    ImGui::TextColored(ImVec4(1.0f, 0.55f, 0.45f, 1.0f), "%s",
                       text_format(StrId::locks_moved_back, format_seconds(pg::ns_to_s(last_overlap)).c_str(),
                                   format_seconds(pg::ns_to_s(now)).c_str()).c_str());
  }

  // Rows: every key with an interval in the window, in (lock, key) order; the most recently active when too many.
  std::map<std::pair<uint32_t, uint32_t>, Row> rows;
  for (uint32_t l = 0; l < locks.locks().size(); ++l) {
    const pg::LockState& lock = locks.locks()[l];
    for (const pg::LockInterval* interval : per_lock[l]) {
      const pg::time_ns end = interval->end_ns == pg::time_never ? now : interval->end_ns;
      if (end < from_ns || interval->start_ns > to_ns) continue;
      Row& row = rows[{l, interval->key}];
      row.lock = l;
      row.key = interval->key;
      row.intervals.push_back(interval);
    }
    for (const auto& [key, state] : lock.keys)   // keys with waiters or holders but no interval yet
      if (state.waiters > 0 || !state.believers.empty()) rows[{l, key}].lock = l, rows[{l, key}].key = key;
  }
  std::vector<Row*> shown;
  for (auto& [id, row] : rows) shown.push_back(&row);
  if (shown.size() > rows_max) shown.resize(rows_max);

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float label_width = unit * 6, info_width = unit * 9.5f, axis_height = unit * 1.4f;
  const float row_height =
      std::clamp((avail.y - axis_height) / (float)std::max<size_t>(shown.size(), 1), unit * 1.6f, unit * 4.0f);
  const ImVec2 canvas(avail.x, std::min(avail.y, axis_height + row_height * (float)std::max<size_t>(shown.size(), 1)));
  if (canvas.x < 100 || canvas.y < 40) return;
  ImGui::InvisibleButton("locks_canvas", canvas);
  remember_rect("locks_canvas");
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float plot_left = origin.x + label_width, plot_right = origin.x + canvas.x - info_width;
  const float plot_width = std::max(plot_right - plot_left, 10.0f);
  auto x_of = [&](pg::time_ns t) {
    return plot_left + plot_width * (float)((double)(t - from_ns) / (double)std::max<pg::time_ns>(to_ns - from_ns, 1));
  };
  const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  draw->PushClipRect(origin, ImVec2(origin.x + canvas.x, origin.y + canvas.y), true);

  // Time axis: a tick per nice step, labelled in seconds.
  const double span_s = pg::ns_to_s(to_ns - from_ns);
  const double step_s = span_s <= 1.5 ? 0.25 : span_s <= 4 ? 0.5 : span_s <= 10 ? 1 : span_s <= 25 ? 2.5 : 5;
  for (double t = std::ceil(pg::ns_to_s(from_ns) / step_s) * step_s; t <= pg::ns_to_s(to_ns); t += step_s) {
    const float x = x_of(pg::s_to_ns(t));
    draw->AddLine(ImVec2(x, origin.y + axis_height - 4), ImVec2(x, origin.y + canvas.y), IM_COL32(255, 255, 255, 18));
    char label[32];
    std::snprintf(label, sizeof label, pgweb::text(StrId::locks_axis_tick), t);
    // Centred on its tick, but never past the plot's right edge, where the columns' header starts.
    const float label_width = ImGui::CalcTextSize(label).x;
    draw->AddText(ImVec2(std::min(x - label_width * 0.5f, plot_right - label_width), origin.y), faint, label);
  }
  draw->AddLine(ImVec2(x_of(now), origin.y + axis_height - 4), ImVec2(x_of(now), origin.y + canvas.y),
                IM_COL32(255, 255, 255, 120), 1.5f);
  draw->AddText(ImVec2(plot_right + unit * 0.4f, origin.y), faint, pgweb::text(StrId::locks_columns));

  for (size_t r = 0; r < shown.size(); ++r) {
    const Row& row = *shown[r];
    const pg::LockState& lock = locks.locks()[row.lock];
    const float top = origin.y + axis_height + row_height * (float)r;
    const float bar_top = top + row_height * 0.15f, bar_bottom = top + row_height * 0.85f;
    if (r % 2 == 1) draw->AddRectFilled(ImVec2(origin.x, top), ImVec2(origin.x + canvas.x, top + row_height), IM_COL32(255, 255, 255, 7));
    char label[64];
    std::snprintf(label, sizeof label, "%ssku-%u", locks.locks().size() > 1 ? (lock.spec.name + " ").c_str() : "", row.key);
    draw->AddText(ImVec2(origin.x + 2, top + (row_height - unit) * 0.5f), text, label);

    // Process pauses of holders of this key, shaded under the bars.
    for (uint64_t p = 0; p < lock.pauses.size(); ++p) {
      const pg::LockPause& pause = lock.pauses.at(p);
      if (pause.key != row.key || pause.until_ns < from_ns || pause.from_ns > to_ns) continue;
      draw->AddRectFilled(ImVec2(x_of(std::max(pause.from_ns, from_ns)), top + 1),
                          ImVec2(x_of(std::min({pause.until_ns, to_ns, now})), top + row_height - 1), IM_COL32(90, 130, 255, 70));
      ++stats.lock_pauses;
    }
    // Holders: up to `lanes` stacked sub-rows so two holders at once are both visible.
    const int lanes = 2;
    const float lane_height = (bar_bottom - bar_top) / lanes;
    std::vector<pg::time_ns> lane_end(lanes, INT64_MIN);
    for (const pg::LockInterval* interval : row.intervals) {
      const pg::time_ns end = interval->end_ns == pg::time_never ? now : interval->end_ns;
      int lane = 0;
      while (lane < lanes - 1 && lane_end[(size_t)lane] > interval->start_ns) ++lane;
      lane_end[(size_t)lane] = std::max(lane_end[(size_t)lane], end);
      const float y0 = bar_top + lane_height * (float)lane + 1, y1 = y0 + lane_height - 2;
      const float x0 = x_of(std::max(interval->start_ns, from_ns)), x1 = std::max(x_of(std::min(end, to_ns)), x0 + 1.5f);
      const ImU32 colour = interval->overlapped ? IM_COL32(230, 70, 60, 255)
                           : interval->holder_instance == pg::no_id
                               ? IM_COL32(160, 160, 160, 255)
                               : chart_colour(interval->holder_instance - world.services.first_instance()[
                                                  world.services.instances()[interval->holder_instance].service]);
      draw->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, y1), colour, 2);
      if (interval->end_ns == pg::time_never) draw->AddRect(ImVec2(x0, y0), ImVec2(x1, y1), IM_COL32(255, 255, 255, 200), 2);
      ++stats.lock_bars;
      if (interval->overlapped) ++stats.lock_overlaps;
      // A write rejected as stale: with fencing, a newer token was seen by the store before this holder wrote.
      if (lock.spec.fencing && interval->end_ns != pg::time_never) {
        bool rejected = false;
        for (const pg::LockInterval* other : row.intervals)
          if (other->token > interval->token && other->start_ns < interval->end_ns) rejected = true;
        if (rejected) {
          const float cx = x1, cy = (y0 + y1) * 0.5f, s = std::min(lane_height * 0.45f, unit * 0.45f);
          draw->AddLine(ImVec2(cx - s, cy - s), ImVec2(cx + s, cy + s), IM_COL32(255, 255, 255, 255), 2.5f);
          draw->AddLine(ImVec2(cx - s, cy + s), ImVec2(cx + s, cy - s), IM_COL32(255, 255, 255, 255), 2.5f);
          ++stats.lock_rejected;
        }
      }
    }
    // Where two holders overlap: a red band across the row.
    for (size_t i = 0; i < row.intervals.size(); ++i)
      for (size_t j = i + 1; j < row.intervals.size(); ++j) {
        const pg::LockInterval& a = *row.intervals[i];
        const pg::LockInterval& b = *row.intervals[j];
        const pg::time_ns a_end = a.end_ns == pg::time_never ? now : a.end_ns;
        const pg::time_ns b_end = b.end_ns == pg::time_never ? now : b.end_ns;
        const pg::time_ns start = std::max(a.start_ns, b.start_ns), end = std::min(a_end, b_end);
        if (end <= start || a.flow == b.flow) continue;
        draw->AddRectFilled(ImVec2(x_of(std::max(start, from_ns)), top + 1),
                            ImVec2(std::max(x_of(std::min(end, to_ns)), x_of(std::max(start, from_ns)) + 2), top + 4),
                            IM_COL32(255, 60, 50, 255));
        draw->AddRectFilled(ImVec2(x_of(std::max(start, from_ns)), top + row_height - 4),
                            ImVec2(std::max(x_of(std::min(end, to_ns)), x_of(std::max(start, from_ns)) + 2), top + row_height - 1),
                            IM_COL32(255, 60, 50, 255));
      }
    // Lease expiries: ticks (orange when the holder was paused and still believed it held the lock).
    for (uint64_t e = 0; e < lock.expiries.size(); ++e) {
      const pg::LockExpiry& expiry = lock.expiries.at(e);
      if (expiry.key != row.key || expiry.at_ns < from_ns || expiry.at_ns > to_ns) continue;
      const float x = x_of(expiry.at_ns);
      const ImU32 colour = expiry.holder_paused ? IM_COL32(255, 160, 40, 255) : IM_COL32(230, 230, 230, 200);
      draw->AddLine(ImVec2(x, top + 1), ImVec2(x, top + row_height - 1), colour, 2.0f);
      draw->AddTriangleFilled(ImVec2(x - 4, top + 1), ImVec2(x + 4, top + 1), ImVec2(x, top + 7), colour);
      ++stats.lock_expiries;
    }
    // Now: stock, holders and waiters.
    const int64_t stock = locks.stock(row.lock, row.key);
    const size_t holders = locks.holders(row.lock, row.key).size(), waiters = locks.waiters(row.lock, row.key).size();
    std::snprintf(label, sizeof label, "%lld", (long long)stock);
    draw->AddText(ImVec2(plot_right + unit * 0.4f, top + (row_height - unit) * 0.5f),
                  stock <= 0 ? IM_COL32(255, 120, 100, 255) : text, label);
    std::snprintf(label, sizeof label, "%zu / %zu", holders, waiters);
    draw->AddText(ImVec2(plot_right + unit * 4.2f, top + (row_height - unit) * 0.5f),
                  holders > 1 ? IM_COL32(255, 90, 80, 255) : text, label);
  }
  stats.lock_rows = (int)shown.size();
  if (shown.empty())
    draw->AddText(ImVec2(plot_left, origin.y + axis_height + 4), faint,
                  pgweb::text(StrId::locks_no_activity));
  draw->PopClipRect();

  // Totals under the timeline.
  const pg::LockState& first = locks.locks()[0];
  ImGui::Text(pgweb::text(StrId::locks_totals),
              first.spec.name.c_str(), pg::lock_kind_words[(int)first.spec.kind], first.spec.fencing ? pgweb::text(StrId::locks_fencing) : "",
              format_count(first.stats.acquired).c_str(), format_count(first.stats.overlaps).c_str(),
              format_count(first.stats.oversold).c_str(), format_count(first.stats.stale_rejected).c_str());
  mark_term(first.spec.fencing ? Term::fencing : first.spec.kind == pg::LockKind::redlock ? Term::redlock : Term::ttl);
}

}  // namespace pgweb
