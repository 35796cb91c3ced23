// The queue view: for the selected queue, its backlog now (a bar split into messages waiting and messages
// delivered but not yet acknowledged) and over time (the depth series as an area, so a growing backlog is a rising
// slope), the age of its oldest message, one box per consumer filled with the deliveries it holds (crashed: a red
// cross, paused: blue), for a Kafka-like log one bar per partition (committed, consumed and end offsets; the lag is
// the part past the committed offset), and a strip of the recent redeliveries, duplicates and dead letters.
// Reads only the Queues model's const accessors.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>

#include <imgui.h>

#include "engine/scenario/scenario_fields.hpp"
#include "engine/run/world.hpp"
#include "web/app.hpp"
#include "web/views/chart_widget.hpp"
#include "web/views/views.hpp"
#include "web/strings.hpp"

namespace pgweb {

namespace {

const ImU32 waiting_colour = IM_COL32(240, 170, 60, 255);
const ImU32 in_flight_colour = IM_COL32(90, 170, 240, 255);
const ImU32 redelivery_colour = IM_COL32(250, 210, 80, 255);
const ImU32 duplicate_colour = IM_COL32(255, 90, 80, 255);
const ImU32 dead_letter_colour = IM_COL32(190, 120, 255, 255);

void legend_swatch(ImU32 colour, const char* text) {
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const float size = ImGui::GetFontSize() * 0.7f;
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(at.x, at.y + 3), ImVec2(at.x + size, at.y + 3 + size), colour, 2);
  ImGui::Dummy(ImVec2(size + 2, size));
  ImGui::SameLine();
  ImGui::TextDisabled("%s", text);
  ImGui::SameLine(0, ImGui::GetFontSize());
}

}  // namespace

void App::draw_queues_view() {
  if (!sim()) return;
  const pg::World& world = sim()->world();
  const pg::Queues& queues = world.queues;
  ViewsState& views = *views_;
  ViewStats& stats = views.stats;
  stats.queue_bars = stats.queue_consumers = stats.queue_partitions = stats.queue_marks = 0;
  stats.queue_depth = 0;
  if (queues.specs.empty()) {
    ImGui::TextDisabled("%s", text(StrId::queues_none));
    return;
  }
  views.queue_selected = std::clamp(views.queue_selected, 0, (int)queues.specs.size() - 1);
  if (queues.specs.size() > 1) {
    for (size_t q = 0; q < queues.specs.size(); ++q) {
      if (q > 0) ImGui::SameLine();
      if (ImGui::RadioButton(queues.specs[q].name.c_str(), views.queue_selected == (int)q)) views.queue_selected = (int)q;
    }
  }
  const uint32_t q = (uint32_t)views.queue_selected;
  ImGui::BeginGroup();
  const pg::QueueSpec& spec = queues.specs[q];
  const pg::QueueStats& qs = queues.stats()[q];
  const float unit = ImGui::GetFontSize();
  const pg::time_ns now = world.now();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImU32 faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);

  // ---- backlog now ----
  const int64_t depth = queues.depth(q), waiting = queues.waiting(q);
  const bool log = queues.kind(q) == pg::QueueKind::log;
  stats.queue_depth = depth;
  ImGui::Text(text(StrId::queues_depth), spec.name.c_str(), pg::queue_kind_words[(int)spec.kind], (long long)depth);
  mark_term(Term::backlog);
  ImGui::SameLine(0, unit);
  ImGui::TextDisabled(text(StrId::queues_oldest), format_seconds(pg::ns_to_s(queues.oldest_age_ns(q, now))).c_str());
  if (log) {
    ImGui::SameLine(0, unit);
    ImGui::TextDisabled(text(StrId::queues_lag), (unsigned long long)queues.total_lag(q),
                        queues.rebalancing(q) ? text(StrId::queues_rebalancing) : "");
  }
  double depth_max = 1;
  for (uint64_t i = 0; i < qs.depth.size(); ++i) depth_max = std::max(depth_max, qs.depth.at(i));
  depth_max = std::max(depth_max, (double)depth);
  {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x, height = unit * 1.2f;
    ImGui::Dummy(ImVec2(width, height));
    remember_rect("queue_backlog");
    draw->AddRectFilled(at, ImVec2(at.x + width, at.y + height), IM_COL32(255, 255, 255, 14), 3);
    const float scale = width / (float)depth_max;
    const float waiting_width = (float)std::max<int64_t>(waiting, 0) * scale;
    const float flight_width = (float)std::max<int64_t>(depth - waiting, 0) * scale;
    draw->AddRectFilled(at, ImVec2(at.x + flight_width, at.y + height), in_flight_colour, 3);
    draw->AddRectFilled(ImVec2(at.x + flight_width, at.y), ImVec2(at.x + flight_width + waiting_width, at.y + height),
                        waiting_colour, 3);
    ++stats.queue_bars;
  }
  legend_swatch(in_flight_colour, text(log ? StrId::queues_fetched : StrId::queues_delivered));
  legend_swatch(waiting_colour, text(log ? StrId::queues_not_fetched : StrId::queues_waiting));
  ImGui::NewLine();

  // ---- depth over time: the series as an area, its title on its own line above (the curve reaches the top) ----
  {
    char label[64];
    std::snprintf(label, sizeof label, text(StrId::queues_depth_over_run), depth_max);
    ImGui::TextDisabled("%s", label);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x, height = std::max(unit * 5, ImGui::GetContentRegionAvail().y * 0.3f);
    ImGui::Dummy(ImVec2(width, height));
    draw->AddRectFilled(at, ImVec2(at.x + width, at.y + height), IM_COL32(255, 255, 255, 6), 3);
    const uint64_t points = std::min(qs.depth.size(), world.time_axis.size());
    const double t_max = std::max(world.scenario.duration_s, 1.0);
    for (uint64_t i = 1; i < points; ++i) {
      const float x0 = at.x + width * (float)(world.time_axis.at(i - 1) / t_max);
      const float x1 = at.x + width * (float)(world.time_axis.at(i) / t_max);
      const float y0 = at.y + height * (1 - (float)(qs.depth.at(i - 1) / depth_max));
      const float y1 = at.y + height * (1 - (float)(qs.depth.at(i) / depth_max));
      draw->AddQuadFilled(ImVec2(x0, at.y + height), ImVec2(x0, y0), ImVec2(x1, y1), ImVec2(x1, at.y + height),
                          IM_COL32(240, 170, 60, 90));
      draw->AddLine(ImVec2(x0, y0), ImVec2(x1, y1), waiting_colour, 2);
    }
    const float now_x = at.x + width * (float)(pg::ns_to_s(now) / t_max);
    draw->AddLine(ImVec2(now_x, at.y), ImVec2(now_x, at.y + height), IM_COL32(255, 255, 255, 90));
    ++stats.queue_bars;
  }

  // ---- consumers: one box each, filled with the deliveries it holds ----
  ImGui::TextDisabled(text(StrId::queues_consumers), spec.consumers.prefetch);
  mark_term(Term::prefetch);
  {
    const std::vector<uint32_t>& group = queues.queue_consumers(q);
    const float box = unit * 3.2f, gap = unit * 0.5f;
    const float width = ImGui::GetContentRegionAvail().x;
    const int per_row = std::max(1, (int)((width + gap) / (box + gap)));
    const int rows = ((int)group.size() + per_row - 1) / per_row;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImGui::Dummy(ImVec2(width, (float)std::max(rows, 1) * (box + gap)));
    for (size_t i = 0; i < group.size(); ++i) {
      const pg::QueueConsumer& consumer = queues.consumers()[group[i]];
      const ImVec2 a(at.x + (float)(i % (size_t)per_row) * (box + gap), at.y + (float)(i / (size_t)per_row) * (box + gap));
      const ImVec2 b(a.x + box, a.y + box);
      const bool paused = consumer.paused(now);
      draw->AddRectFilled(a, b, !consumer.active ? IM_COL32(60, 60, 60, 255) : paused ? IM_COL32(50, 70, 130, 255)
                                                                                        : IM_COL32(45, 60, 70, 255), 4);
      const size_t held = queues.in_flight(group[i]);
      const int cells_per_side = 4;
      const float cell = (box - 8) / (float)cells_per_side;
      for (size_t k = 0; k < std::min<size_t>(held, 16); ++k) {
        const ImVec2 c(a.x + 4 + cell * (float)(k % cells_per_side), b.y - 4 - cell * (float)(k / cells_per_side + 1));
        draw->AddRectFilled(ImVec2(c.x + 1, c.y + 1), ImVec2(c.x + cell - 1, c.y + cell - 1), in_flight_colour, 1);
      }
      char label[32];
      std::snprintf(label, sizeof label, "#%u", consumer.index);
      draw->AddText(ImVec2(a.x + 4, a.y + 2), IM_COL32(255, 255, 255, 220), label);
      if (held > 0) {
        std::snprintf(label, sizeof label, "%zu", held);
        draw->AddText(ImVec2(b.x - ImGui::CalcTextSize(label).x - 4, a.y + 2), IM_COL32(255, 255, 255, 220), label);
      }
      if (consumer.crashed) {
        draw->AddLine(a, b, duplicate_colour, 3);
        draw->AddLine(ImVec2(a.x, b.y), ImVec2(b.x, a.y), duplicate_colour, 3);
      }
      if (ImGui::IsMouseHoveringRect(a, b))
        ImGui::SetTooltip(text(StrId::queues_consumer_tooltip), consumer.index, held,
                          (unsigned long long)consumer.processed, (unsigned long long)consumer.crashes,
                          consumer.crashed ? text(StrId::queues_crashed) : "", paused ? text(StrId::queues_paused) : "");
      ++stats.queue_consumers;
    }
  }

  // ---- partitions of a log: base .. committed .. consumed .. end ----
  if (log) {
    ImGui::TextDisabled("%s", text(StrId::queues_partitions));
    mark_term(Term::group);
    const std::vector<pg::QueuePartition>& partitions = queues.partitions(q);
    uint64_t longest = 1;
    for (const pg::QueuePartition& p : partitions) longest = std::max(longest, p.end_offset - p.base_offset);
    for (size_t p = 0; p < partitions.size(); ++p) {
      const pg::QueuePartition& part = partitions[p];
      const ImVec2 at = ImGui::GetCursorScreenPos();
      const float label_width = unit * 7, width = ImGui::GetContentRegionAvail().x - label_width, height = unit * 0.9f;
      ImGui::Dummy(ImVec2(width + label_width, height + 4));
      char label[48];
      if (part.owner == UINT32_MAX) std::snprintf(label, sizeof label, text(StrId::queues_partition_unowned), p);
      else std::snprintf(label, sizeof label, "p%zu  #%u", p, queues.consumers()[part.owner].index);
      draw->AddText(ImVec2(at.x, at.y - 2), part.owner == UINT32_MAX ? duplicate_colour : faint, label);
      const float x0 = at.x + label_width;
      auto x_of = [&](uint64_t offset) {
        return x0 + width * (float)((double)(offset - std::min(offset, part.base_offset)) / (double)longest);
      };
      draw->AddRectFilled(ImVec2(x0, at.y), ImVec2(x_of(part.committed), at.y + height), IM_COL32(120, 120, 120, 200), 2);
      draw->AddRectFilled(ImVec2(x_of(part.committed), at.y), ImVec2(x_of(std::max(part.consumed, part.committed)), at.y + height),
                          in_flight_colour, 0);
      draw->AddRectFilled(ImVec2(x_of(std::max(part.consumed, part.committed)), at.y), ImVec2(x_of(part.end_offset), at.y + height),
                          waiting_colour, 0);
      std::snprintf(label, sizeof label, text(StrId::queues_partition_lag), (unsigned long long)queues.partition_lag(q, (uint32_t)p));
      draw->AddText(ImVec2(x_of(part.end_offset) + 4, at.y - 2), IM_COL32(230, 230, 230, 220), label);
      ++stats.queue_partitions;
    }
  }

  // ---- recent redeliveries, duplicates and dead letters on a 30 s strip ----
  ImGui::TextDisabled("%s", text(StrId::queues_last_30s));
  ImGui::SameLine();
  legend_swatch(redelivery_colour, text(StrId::queues_redelivered));
  legend_swatch(duplicate_colour, text(StrId::queues_duplicate));
  legend_swatch(dead_letter_colour, text(StrId::queues_dead_letter));
  ImGui::NewLine();
  {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x, height = unit * 1.8f;
    ImGui::Dummy(ImVec2(width, height));
    draw->AddRectFilled(at, ImVec2(at.x + width, at.y + height), IM_COL32(255, 255, 255, 10), 3);
    const pg::time_ns span = pg::s_to_ns(30.0);
    auto marks = [&](const std::deque<pg::QueueNote>& notes, ImU32 colour, float lane) {
      for (const pg::QueueNote& note : notes) {
        if (note.time + span < now) continue;
        const float x = at.x + width * (1 - (float)((double)(now - note.time) / (double)span));
        const float y = at.y + height * lane;
        draw->AddLine(ImVec2(x, y), ImVec2(x, y + height / 3 - 1), colour, 2.5f);
        ++stats.queue_marks;
      }
    };
    marks(queues.recent_redeliveries(q), redelivery_colour, 0.0f);
    marks(queues.recent_duplicates(q), duplicate_colour, 1.0f / 3);
    marks(queues.recent_dead_letters(q), dead_letter_colour, 2.0f / 3);
  }
  ImGui::Text(text(StrId::queues_totals),
              format_count(qs.published).c_str(), format_count(qs.acked).c_str(), format_count(qs.redeliveries).c_str(),
              format_count(qs.duplicates).c_str(), format_count(qs.dead_lettered).c_str());
  mark_term(spec.kind == pg::QueueKind::sqs ? Term::dlq : Term::idempotent);
  ImGui::EndGroup();
  remember_rect("queues_view");
}

}  // namespace pgweb
