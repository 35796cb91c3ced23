// The ring view: one cache's key placement as a circle. The hash space runs clockwise from the top; each live
// node's points (its virtual nodes, Placement::ring_points) are ticks and the arcs they own are a coloured band, so
// uneven arcs are uneven load at a glance. Keys are dots at their hash, coloured by the node that owns them now
// (Caches::owner), the most looked-up keys larger. For the schemes without a ring (modulo, jump, rendezvous,
// maglev) the dots are still at their hash and coloured by owner: the colours come out scattered, which is the point.
// After a membership change the keys it moved fly in from the rim in their new owner's colour (reduced motion: no
// flight) and keep a white outline until the next change. A side table compares each node's keys with its fair
// share. The algorithm selector edits the scenario (the run is rebuilt and replayed to now) to compare schemes.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "engine/scenario/scenario_fields.hpp"
#include "engine/run/world.hpp"
#include "web/app.hpp"
#include "web/views/chart_widget.hpp"
#include "web/views/views.hpp"
#include "web/strings.hpp"

namespace pgweb {

namespace {

constexpr float pi = 3.14159265f;
constexpr size_t key_dots_max = 3000;       // enough to see the pattern, few enough for the slowest machine
constexpr double moved_animation_s = 2.5;

// The colour of a node, by its place among the cache's node records (stable across membership changes).
ImU32 node_colour(const pg::CacheState& cache, uint32_t node_id) {
  if (node_id == pg::no_id) return IM_COL32(120, 120, 120, 255);
  for (size_t i = 0; i < cache.node_ids.size(); ++i)
    if (cache.node_ids[i] == node_id) return chart_colour(i);
  return IM_COL32(200, 200, 200, 255);
}

// Angle of a hash on the ring: 0 at the top, clockwise. ketama rings are 32-bit, the fast hash's 64-bit.
float hash_angle(uint64_t hash, pg::PlacementHash kind) {
  const double turn = kind == pg::PlacementHash::ketama ? (double)(hash & 0xffffffffULL) / 4294967296.0
                                                        : (double)(hash >> 11) / 9007199254740992.0;
  return (float)(turn * 2 * (double)pi) - pi / 2;
}

ImVec2 on_circle(ImVec2 centre, float radius, float angle) {
  return ImVec2(centre.x + radius * std::cos(angle), centre.y + radius * std::sin(angle));
}

}  // namespace

void App::draw_ring_view() {
  if (!sim()) return;
  const pg::World& world = sim()->world();
  const pg::Caches& caches = world.caches;
  ViewsState& views = *views_;
  ViewStats& stats = views.stats;
  stats.ring_points = stats.ring_keys = stats.moved_keys = stats.ring_nodes = 0;
  if (caches.cache_count() == 0) {
    ImGui::TextDisabled("%s", text(StrId::ring_no_cache));
    return;
  }
  views.ring_cache = std::clamp(views.ring_cache, 0, (int)caches.cache_count() - 1);
  views.ring_animations.resize(caches.cache_count());
  // Which cache, and which placement algorithm it uses (an edit of the scenario: rebuilt and replayed). A control
  // that would not fit the rest of the row (a phone) starts the next one.
  const ImGuiStyle& style = ImGui::GetStyle();
  auto same_line_if_fits = [&](float width) {
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    if (ImGui::GetItemRectMax().x + style.ItemSpacing.x + width <= right) ImGui::SameLine();
  };
  for (size_t c = 0; c < caches.cache_count(); ++c) {
    if (c > 0)
      same_line_if_fits(ImGui::CalcTextSize(caches.cache((uint32_t)c).spec.name.c_str()).x + ImGui::GetFrameHeight() +
                        style.ItemInnerSpacing.x);
    if (ImGui::RadioButton(caches.cache((uint32_t)c).spec.name.c_str(), views.ring_cache == (int)c))
      views.ring_cache = (int)c;
  }
  const uint32_t c = (uint32_t)views.ring_cache;
  const pg::CacheState& cache = caches.cache(c);
  same_line_if_fits(ImGui::GetFontSize() * 8.5f + ImGui::CalcTextSize(text(StrId::ring_placement)).x);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
  const std::string current(pg::placement_algorithm_name(cache.spec.placement.algorithm));
  if (ImGui::BeginCombo(text(StrId::ring_placement), current.c_str())) {
    for (pg::PlacementAlgorithm algorithm : pg::placement_algorithms) {
      const std::string name(pg::placement_algorithm_name(algorithm));
      if (ImGui::Selectable(name.c_str(), name == current) && name != current && c < scenario().caches.size()) {
        pg::Scenario edit = scenario();
        edit.caches[c].placement.algorithm = algorithm;
        if (apply_scenario(edit).empty())
          set_message(text_format(StrId::ring_placement_changed, cache.spec.name.c_str(), name.c_str()), false);
        ImGui::EndCombo();
        return;   // the world was rebuilt: draw it next frame
      }
    }
    ImGui::EndCombo();
  }
  remember_rect("ring_placement");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", text(StrId::ring_placement_tooltip));

  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float unit = ImGui::GetFontSize();
  // Narrow (a phone): the table goes under the ring instead of beside it.
  const bool stacked = avail.x < unit * 30;
  const float table_width = stacked ? avail.x : std::min(unit * 17, avail.x * 0.42f);
  const ImVec2 ring_size(stacked ? avail.x : avail.x - table_width,
                         stacked ? avail.x * 0.85f : avail.y);   // stacked: the panel scrolls
  if (ring_size.x < 60 || ring_size.y < 60) return;
  ImGui::InvisibleButton("ring_canvas", ring_size);
  remember_rect("ring_canvas");
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 clip_max(origin.x + ring_size.x, origin.y + ring_size.y);
  draw->PushClipRect(origin, clip_max, true);
  const ImVec2 centre(origin.x + ring_size.x * 0.5f, origin.y + ring_size.y * 0.5f);
  const float radius = std::min(ring_size.x, ring_size.y) * 0.5f - unit * 2.2f;
  const pg::PlacementHash hash_kind = cache.params.hash;
  const pg::Placement* placement = caches.placement(c);
  const std::vector<uint32_t>& live = caches.live_nodes(c);

  // The rim and, for ring schemes, the owned arcs as a band and each point as a tick.
  draw->AddCircle(centre, radius, IM_COL32(255, 255, 255, 50), 128, 1.0f);
  if (placement && !placement->ring_points().empty()) {
    const auto points = placement->ring_points();
    const float band = unit * 0.55f;
    for (size_t i = 0; i < points.size(); ++i) {
      const float end = hash_angle(points[i].position, hash_kind);
      float start = hash_angle(points[i == 0 ? points.size() - 1 : i - 1].position, hash_kind);
      if (start > end || (i == 0 && points.size() == 1)) start -= 2 * pi;   // the arc that wraps past the top
      const uint32_t node_id = points[i].node < live.size() ? live[points[i].node] : pg::no_id;
      const ImU32 colour = node_colour(cache, node_id);
      const int segments = std::max(1, (int)((end - start) / (2 * pi) * 180));
      draw->PathArcTo(centre, radius + band * 0.5f, start, end, segments);
      draw->PathStroke(colour & 0xB0FFFFFF, 0, band);
      draw->AddLine(on_circle(centre, radius + band, end), on_circle(centre, radius + band * 1.7f, end), colour, 1.0f);
    }
    stats.ring_points = (int)points.size();
  } else {
    const std::string note = text_format(StrId::ring_no_ring, current.c_str());
    draw->AddText(ImVec2(origin.x + 4, clip_max.y - unit * 1.3f), IM_COL32(200, 200, 200, 200), note.c_str());
  }

  // Keys as dots: a stride through the key space plus the hot keys, coloured by owner. Keys the last membership
  // change moved are drawn by the animation below instead (same stride, so the density tells the moved fraction).
  const uint32_t key_count = (uint32_t)cache.owner.size();
  DotBatch& batch = views.ring_dots;
  batch.dots.clear();
  batch.clip = ImVec4(origin.x, origin.y, clip_max.x, clip_max.y);
  uint64_t most_requests = 1;
  for (uint32_t requests : cache.key_requests) most_requests = std::max<uint64_t>(most_requests, requests);
  const uint32_t stride = std::max<uint32_t>(1, (uint32_t)((key_count + key_dots_max - 1) / key_dots_max));
  const float inner = radius - unit * 0.6f, spread = std::max(radius * 0.3f, unit * 2);
  const pg::MembershipChange* change = caches.last_change(c);
  const bool after_start = change && change->at_ns > 0;
  std::vector<bool> moved_now(after_start ? key_count : 0, false);
  for (const pg::MovedKey& moved : cache.last_moved)
    if (moved.key < moved_now.size()) moved_now[moved.key] = true;
  auto key_place = [&](uint32_t key) {
    const float angle = hash_angle(caches.key_hash(c, key), hash_kind);
    const float r = inner - spread * (float)(((key * 2654435761U) >> 8) & 0xff) / 255.0f;
    return std::make_pair(angle, on_circle(centre, r, angle));
  };
  auto key_radius = [&](uint32_t key) {
    const double heat = key < cache.key_requests.size() ? (double)cache.key_requests[key] / (double)most_requests : 0;
    return std::max(1.6f, unit * 0.13f) * (1.0f + 2.2f * (float)std::sqrt(heat));
  };
  std::vector<uint32_t> drawn_keys;
  for (uint32_t key = 0; key < key_count; key += stride) drawn_keys.push_back(key);
  for (const auto& [key, lookups] : caches.hot_keys(c, 24))
    if (lookups > 0 && key % stride != 0) drawn_keys.push_back(key);
  for (uint32_t key : drawn_keys) {
    if (key < moved_now.size() && moved_now[key]) continue;
    const ImVec2 p = key_place(key).second;
    DotInstance dot{};
    dot.from_x = dot.to_x = p.x;
    dot.from_y = dot.to_y = p.y;
    dot.radius_px = key_radius(key);
    dot.colour = node_colour(cache, caches.owner(c, key));
    batch.dots.push_back(dot);
  }
  stats.ring_keys = (int)batch.dots.size();

  // The last membership change: moved keys fly in from the rim in their new owner's colour, then keep an outline.
  RingAnimation& animation = views.ring_animations[c];
  if (animation.change_count != cache.change_count) {
    animation.change_count = cache.change_count;
    animation.started_real_s = view_clock_s();
  }
  const double since_s = view_clock_s() - animation.started_real_s;
  const bool animate = after_start && !options_.reduced_motion && since_s < moved_animation_s &&
                       world.now() - change->at_ns < pg::s_to_ns(10.0);
  if (after_start) {
    const float t = animate ? (float)(since_s / moved_animation_s) : 1.0f;
    const float ease = 1 - (1 - t) * (1 - t) * (1 - t);
    int shown = 0;
    for (uint32_t key : drawn_keys) {
      if (key >= moved_now.size() || !moved_now[key]) continue;
      const auto [angle, target] = key_place(key);
      const ImVec2 rim = on_circle(centre, radius + unit * 1.6f, angle);
      DotInstance dot{};
      dot.from_x = rim.x, dot.from_y = rim.y, dot.to_x = target.x, dot.to_y = target.y;
      dot.progress = ease;
      dot.radius_px = key_radius(key);
      dot.colour = node_colour(cache, caches.owner(c, key));
      batch.dots.push_back(dot);
      DotInstance outline = dot;
      outline.from_x = outline.to_x = target.x;
      outline.from_y = outline.to_y = target.y;
      outline.radius_px = dot.radius_px + 2.0f;
      outline.ring_px = 1.2f;
      outline.colour = IM_COL32(255, 255, 255, (int)(170 * t));
      batch.dots.push_back(outline);
      ++shown;
    }
    stats.moved_keys = shown;
  }
  views.dots.draw(draw, batch);

  // A node's tooltip: hovering its arc on the ring (ring schemes), or its name in the side table (every scheme).
  auto node_tooltip = [&](uint32_t node_id) {
    const pg::CacheNode& node = caches.nodes()[node_id];
    uint64_t weights = 0;
    for (uint32_t id : live) weights += caches.nodes()[id].weight;
    const bool even = cache.params.algorithm == pg::PlacementAlgorithm::jump;
    const double share = even ? 1.0 / (double)std::max<size_t>(live.size(), 1)
                              : (double)node.weight / (double)std::max<uint64_t>(weights, 1);
    const double fair = !node.live() || weights == 0 ? 0 : (double)key_count * share;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(unit * 20);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(node_colour(cache, node_id)), "%s", node.name.c_str());
    if (!node.live())
      ImGui::TextDisabled(text(StrId::ring_node_not_live), node.name.c_str(),
                          text(node.member ? StrId::ring_node_down : StrId::ring_node_out));
    ImGui::Text(text(StrId::ring_node_tooltip), (unsigned long long)node.owned_keys,
                fair > 0 ? 100.0 * (double)node.owned_keys / fair : 0.0, node.weight);
    const uint64_t lookups = node.hits + node.misses;
    ImGui::TextDisabled(text(StrId::ring_node_lookups), (unsigned long long)lookups,
                        lookups ? 100.0 * (double)node.hits / (double)lookups : 0.0);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
    stats.ring_tooltip = node.name;
  };
  stats.ring_tooltip.clear();
  if (ImGui::IsItemHovered() && placement && !placement->ring_points().empty()) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const float dx = mouse.x - centre.x, dy = mouse.y - centre.y, distance = std::sqrt(dx * dx + dy * dy);
    if (distance > radius - unit * 0.6f && distance < radius + unit * 1.2f) {
      // The arc under the mouse belongs to the first point clockwise from it (wrapping past the top to the first).
      const auto points = placement->ring_points();
      float angle = std::atan2(dy, dx);
      if (angle < -pi / 2) angle += 2 * pi;
      size_t owner = 0;
      for (size_t i = 0; i < points.size(); ++i)
        if (hash_angle(points[i].position, hash_kind) >= angle) {
          owner = i;
          break;
        }
      if (points[owner].node < live.size()) node_tooltip(live[points[owner].node]);
    }
  }

  // The centre: what changed last, in the hole the key dots leave free, on a dark plate so that on a small ring it
  // never sits unreadably on top of the dots.
  char lines[2][160];
  int line_count = 0;
  std::snprintf(lines[line_count++], sizeof lines[0], text(StrId::ring_live_nodes), live.size());
  if (change)
    std::snprintf(lines[line_count++], sizeof lines[0], text(StrId::ring_last_change), pg::membership_change_name(change->kind),
                  change->node.c_str(), pg::ns_to_s(change->at_ns));
  float widest = 0;
  for (int i = 0; i < line_count; ++i) widest = std::max(widest, ImGui::CalcTextSize(lines[i]).x);
  const float line_h = ImGui::GetTextLineHeight();
  const bool fits = widest < (inner - spread) * 2 - unit;
  float y = centre.y - line_h * (float)line_count * 0.5f;
  for (int i = 0; i < line_count; ++i, y += line_h) {
    const ImVec2 size = ImGui::CalcTextSize(lines[i]);
    const ImVec2 at(centre.x - size.x * 0.5f, y);
    if (!fits)
      draw->AddRectFilled(ImVec2(at.x - 4, at.y), ImVec2(at.x + size.x + 4, at.y + size.y), IM_COL32(20, 22, 26, 220), 3);
    draw->AddText(at, i == 0 ? IM_COL32(255, 255, 255, 220) : IM_COL32(220, 220, 220, 200), lines[i]);
  }
  draw->PopClipRect();

  // The side table: keys per node against the fair share.
  if (!stacked) ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + table_width - 8);
  ImGui::TextDisabled("%s", text(StrId::ring_keys_per_node));
  uint64_t live_weight = 0;
  for (uint32_t node_id : live) live_weight += caches.nodes()[node_id].weight;
  const bool jump = cache.params.algorithm == pg::PlacementAlgorithm::jump;
  if (ImGui::BeginTable("ring_load", 3, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg,
                        ImVec2(table_width - 8, 0))) {
    for (uint32_t node_id : cache.node_ids) {
      const pg::CacheNode& node = caches.nodes()[node_id];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      const ImVec2 swatch = ImGui::GetCursorScreenPos();
      ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(swatch.x, swatch.y + 3),
                                                ImVec2(swatch.x + unit * 0.7f, swatch.y + unit * 0.7f + 3),
                                                node_colour(cache, node_id), 2);
      ImGui::Dummy(ImVec2(unit * 0.8f, unit * 0.7f));
      ImGui::SameLine();
      if (node.live()) ImGui::TextUnformatted(node.name.c_str());
      else ImGui::TextDisabled(text(StrId::ring_node_not_live), node.name.c_str(),
                          text(node.member ? StrId::ring_node_down : StrId::ring_node_out));
      if (ImGui::IsItemHovered()) node_tooltip(node_id);
      ImGui::TableNextColumn();
      ImGui::Text("%llu", (unsigned long long)node.owned_keys);
      ImGui::TableNextColumn();
      if (!node.live() || live_weight == 0) continue;
      const double fair = (double)key_count * (jump ? 1.0 / (double)live.size() : (double)node.weight / (double)live_weight);
      const double ratio = fair > 0 ? (double)node.owned_keys / fair : 0;
      const ImVec2 at = ImGui::GetCursorScreenPos();
      const float width = ImGui::GetContentRegionAvail().x, height = unit * 0.8f;
      ImDrawList* cell = ImGui::GetWindowDrawList();
      const float full = width / 2;   // the bar's middle is the fair share; the right end twice it
      cell->AddRectFilled(ImVec2(at.x, at.y + 3), ImVec2(at.x + std::min((float)ratio, 2.0f) * full, at.y + 3 + height),
                          ratio > 1.25 ? IM_COL32(240, 120, 80, 220) : node_colour(cache, node_id), 2);
      cell->AddLine(ImVec2(at.x + full, at.y), ImVec2(at.x + full, at.y + height + 6), IM_COL32(255, 255, 255, 200), 1.5f);
      ImGui::Dummy(ImVec2(width, height + 4));
      if (ImGui::IsItemHovered()) ImGui::SetTooltip(text(StrId::ring_fair_share), ratio, fair);
      ++stats.ring_nodes;
    }
    ImGui::EndTable();
  }
  // Only the ring and bounded-load schemes place points per node: a modulo cache has no vnodes to count.
  const pg::PlacementAlgorithm algorithm = cache.spec.placement.algorithm;
  const char* hash_word = pg::placement_hash_words[(int)cache.spec.placement.hash];
  if (algorithm == pg::PlacementAlgorithm::ring || algorithm == pg::PlacementAlgorithm::bounded)
  {
    ImGui::TextDisabled(text(StrId::ring_scheme), current.c_str(), hash_word, cache.spec.placement.vnodes);
    mark_term(Term::vnode);
  } else
    ImGui::TextDisabled(text(StrId::ring_scheme_plain), current.c_str(), hash_word);
  remember_rect("ring_scheme");
  if (change) {
    ImGui::TextWrapped(text(StrId::ring_moved),
                       format_count(change->moved).c_str(), format_count(change->keys).c_str(),
                       change->ideal_fraction * 100);
  }
  ImGui::TextDisabled("%s", text(StrId::ring_dot_size));
  if (scenario().workload.popularity == pg::KeyPopularity::zipf) mark_term(Term::zipf);
  ImGui::PopTextWrapPos();
  ImGui::EndGroup();
}

}  // namespace pgweb
