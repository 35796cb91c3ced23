// The architecture view: the shop as a graph. Services are boxes (one slot per instance, filled by its busy
// workers; its waiting line as a bar under it; the box coloured by utilisation, outlined red while calls fail, and
// ringed red or amber while a circuit breaker towards it is open or half-open); caches, locks and queues are their
// own glyphs; edges come from the compiled step programs (World::program), services' own steps included (a call
// tree), so they are exactly the paths requests take. Every live flow of the World is one particle: a flow running at a
// service moves along the edge into it as its job progresses, a flow waiting in a line sits in that service's line,
// a flow backing off before a retry waits at the start of its edge. Particles are drawn by the GPU
// (web/platform/gl_particles.cpp, shaders/particles.*); with reduced motion, edges carry a static count instead.
//
// Layout (web/editor/layout.hpp, native-tested): layered by step order (longest path from the clients) into columns
// that fit the canvas, no two nodes overlapping, so the same scenario in the same view always gets the same picture.
// Dragging a node stores its position in the scenario's `view.positions` (normalised 0..1; a drop onto another node
// lands on the nearest free spot), which a link carries; it is not a simulation parameter, so nothing is
// re-simulated, and it can be undone. Clicking a service selects it in the Inspector.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "engine/run/world.hpp"
#include "web/app.hpp"
#include "web/editor/compose.hpp"
#include "web/views/chart_widget.hpp"
#include "web/views/views.hpp"
#include "web/strings.hpp"

namespace pgweb {

namespace {

constexpr uint32_t none = UINT32_MAX;

uint32_t hash32(uint32_t x) {   // a cheap integer mix: stable per-flow jitter
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return x;
}

float fraction_of(uint32_t h) { return (float)(h & 0xffffU) / 65535.0f; }

ImU32 with_alpha(ImU32 colour, int alpha) { return (colour & ~IM_COL32_A_MASK) | ((ImU32)alpha << IM_COL32_A_SHIFT); }

// ---- layout (the graph and where its nodes go: web/editor/layout.hpp, without ImGui) ----------------------------

LayoutView layout_view(ImVec2 size, float unit, bool vertical) {
  LayoutView view;
  view.width = size.x;
  view.height = size.y;
  view.unit = unit;
  view.vertical = vertical;
  return view;
}

// The graph of the world, laid out in a canvas of `size` pixels; nodes a person dragged stay where view.positions
// has them (normalised 0..1), unless that would overlap a node placed before.
void build_layout(const pg::World& world, const nlohmann::json& view, const LayoutView& canvas,
                  ArchitectureLayout& layout) {
  ArchitectureGraph graph;
  build_graph(world, graph);
  layout.edges = std::move(graph.edges);
  layout.op_node = std::move(graph.op_node);
  layout.op_from = std::move(graph.op_from);
  layout.op_edge = std::move(graph.op_edge);
  const nlohmann::json* positions = nullptr;
  if (view.is_object() && view.contains("positions") && view["positions"].is_object()) positions = &view["positions"];
  std::vector<GraphNodeKind> kinds;
  std::vector<LayoutPin> pins(graph.nodes.size());
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    kinds.push_back(graph.nodes[i].kind);
    if (!positions || !positions->contains(graph.nodes[i].name)) continue;
    const nlohmann::json& p = (*positions)[graph.nodes[i].name];
    if (p.is_array() && p.size() == 2 && p[0].is_number() && p[1].is_number())
      pins[i] = LayoutPin{true, p[0].get<float>(), p[1].get<float>()};
  }
  const LayoutResult placed = layered_layout(kinds, layout.edges, pins, canvas);
  layout.nodes.clear();
  for (size_t i = 0; i < graph.nodes.size(); ++i) {
    GraphNode node;
    node.kind = graph.nodes[i].kind;
    node.model_id = graph.nodes[i].model_id;
    node.name = std::move(graph.nodes[i].name);
    node.layer = placed.layer[i];
    node.row = placed.row[i];
    canvas.to_normalised(placed.centres[i].x, placed.centres[i].y, node.position.x, node.position.y);
    layout.nodes.push_back(std::move(node));
  }
}

// Where a node dropped at `normalised` goes: there, or the nearest spot where it overlaps no other node.
ImVec2 dropped_position(const ArchitectureLayout& layout, size_t dropped, ImVec2 normalised, const LayoutView& canvas) {
  std::vector<Footprint> others;
  std::vector<LayoutPoint> centres;
  for (size_t i = 0; i < layout.nodes.size(); ++i) {
    if (i == dropped) continue;
    LayoutPoint at;
    canvas.to_canvas(layout.nodes[i].position.x, layout.nodes[i].position.y, at.x, at.y);
    others.push_back(node_footprint(layout.nodes[i].kind, canvas.unit));
    centres.push_back(at);
  }
  LayoutPoint wanted;
  canvas.to_canvas(normalised.x, normalised.y, wanted.x, wanted.y);
  const LayoutPoint free = nearest_free_spot(node_footprint(layout.nodes[dropped].kind, canvas.unit), wanted, others,
                                             centres, canvas);
  ImVec2 out;
  canvas.to_normalised(free.x, free.y, out.x, out.y);
  return out;
}

// ---- geometry -----------------------------------------------------------------------------------------------------

// The view's rectangle. Layers run left to right; on a tall, narrow view (a phone held upright) where they would not
// fit side by side they run top to bottom instead (`vertical`: a node's normalised x and y are swapped on screen).
struct Frame {
  ImVec2 origin, size;
  float unit;   // font size: every length scales with the text
  bool vertical = false;
  LayoutView canvas() const { return layout_view(size, unit, vertical); }
  ImVec2 at(ImVec2 normalised) const {
    float x = 0, y = 0;
    canvas().to_canvas(normalised.x, normalised.y, x, y);
    return ImVec2(origin.x + x, origin.y + y);
  }
  ImVec2 to_normalised(ImVec2 point) const {
    ImVec2 out;
    canvas().to_normalised(point.x - origin.x, point.y - origin.y, out.x, out.y);
    return out;
  }
};

ImVec2 node_half_size(const GraphNode& node, float unit) {
  ImVec2 half;
  pgweb::node_half_size(node.kind, unit, half.x, half.y);   // web/editor/layout.cpp: the layout uses the same sizes
  return half;
}

// The rectangle in a service box where its waiting particles sit (and its line bar is drawn).
void line_rect(ImVec2 centre, ImVec2 half, float unit, ImVec2& min, ImVec2& max) {
  min = ImVec2(centre.x - half.x, centre.y + half.y + unit * 0.25f);
  max = ImVec2(centre.x + half.x, centre.y + half.y + unit * 0.85f);
}

// ---- drawing the nodes ----------------------------------------------------------------------------------------------

void draw_service(ImDrawList* draw, const pg::World& world, uint32_t s, ImVec2 centre, ImVec2 half, float unit,
                  bool selected) {
  const pg::Services& services = world.services;
  const pg::ServiceSpec& spec = services.specs[s];
  const pg::ServiceStats& stats = services.stats()[s];
  const uint32_t first = services.first_instance()[s];
  int busy = 0, capacity = 0, line = 0, crashed = 0;
  const pg::time_ns now = world.now();
  for (int k = 0; k < spec.instances; ++k) {
    const pg::Instance& instance = services.instances()[first + (uint32_t)k];
    line += (int)instance.line.size();
    if (instance.crashed) {
      ++crashed;
      continue;
    }
    busy += instance.busy;
    capacity += spec.workers;
  }
  const double utilisation = capacity > 0 ? (double)busy / capacity : 1.0;
  const bool failing = stats.interval_failed > 0 || crashed > 0;
  const ImVec2 min(centre.x - half.x, centre.y - half.y), max(centre.x + half.x, centre.y + half.y);
  draw->AddRectFilled(min, max, utilisation_colour(utilisation, false), unit * 0.35f);
  draw->AddRect(min, max, failing ? IM_COL32(255, 90, 80, 255) : selected ? IM_COL32(255, 255, 255, 230)
                                                                           : IM_COL32(255, 255, 255, 60),
                unit * 0.35f, 0, failing || selected ? 2.5f : 1.0f);
  // Circuit breakers towards this service: an outer ring, red while one of them is open, amber while half-open.
  if (spec.circuit_breaker.failure_rate > 0) {
    int worst = 0;
    for (uint32_t caller = 0; caller <= services.specs.size(); ++caller)
      if (const pg::BreakerState* b = services.breaker_of(caller == 0 ? pg::no_id : caller - 1, s))
        worst = std::max(worst, b->phase == pg::BreakerPhase::open ? 2 : b->phase == pg::BreakerPhase::half_open ? 1 : 0);
    if (worst > 0)
      draw->AddRect(ImVec2(min.x - 4, min.y - 4), ImVec2(max.x + 4, max.y + 4),
                    worst == 2 ? IM_COL32(255, 70, 40, 255) : IM_COL32(255, 190, 60, 255), unit * 0.45f, 0, 2.0f);
  }
  char label[96];
  std::snprintf(label, sizeof label, "%s  %.0f%%", spec.name.c_str(), utilisation * 100);
  draw->AddText(ImVec2(min.x + unit * 0.4f, min.y + unit * 0.2f), IM_COL32(255, 255, 255, 240), label);
  // One slot per instance, filled bottom-up by its busy workers.
  const int shown = std::min(spec.instances, 16);
  const float slots_top = min.y + unit * 1.4f, slots_bottom = max.y - unit * 0.35f;
  const float slot_width = (half.x * 2 - unit * 0.8f) / (float)shown;
  for (int k = 0; k < shown; ++k) {
    const pg::Instance& instance = services.instances()[first + (uint32_t)k];
    const ImVec2 a(min.x + unit * 0.4f + slot_width * (float)k + 1, slots_top);
    const ImVec2 b(a.x + slot_width - 3, slots_bottom);
    draw->AddRectFilled(a, b, IM_COL32(0, 0, 0, 90), 2);
    if (instance.crashed) {
      draw->AddLine(a, b, IM_COL32(255, 90, 80, 255), 2);
      draw->AddLine(ImVec2(a.x, b.y), ImVec2(b.x, a.y), IM_COL32(255, 90, 80, 255), 2);
      continue;
    }
    const float fill = std::clamp((float)instance.busy / (float)std::max(spec.workers, 1), 0.0f, 1.0f);
    draw->AddRectFilled(ImVec2(a.x, b.y - (b.y - a.y) * fill), b,
                        instance.paused(now) ? IM_COL32(120, 160, 255, 230) : IM_COL32(255, 255, 255, 200), 2);
    if (instance.paused(now)) draw->AddRect(a, b, IM_COL32(120, 160, 255, 255), 2, 0, 1.5f);
  }
  // The waiting line: a bar under the box, full at the line's capacity (log scale: 1 waiting job is visible too).
  ImVec2 line_min, line_max;
  line_rect(centre, half, unit, line_min, line_max);
  const int line_capacity = std::max(1, spec.queue_max * spec.instances);
  const float line_fill =
      line > 0 ? std::clamp((float)(std::log1p((double)line) / std::log1p((double)line_capacity)), 0.04f, 1.0f) : 0;
  draw->AddRectFilled(line_min, line_max, IM_COL32(255, 255, 255, 18), 2);
  if (line_fill > 0)
    draw->AddRectFilled(line_min, ImVec2(line_min.x + (line_max.x - line_min.x) * line_fill, line_max.y),
                        line * 2 > line_capacity ? IM_COL32(240, 110, 60, 170) : IM_COL32(240, 190, 70, 150), 2);
  if (line > 0) {
    std::snprintf(label, sizeof label, text(StrId::arch_line), line);
    draw->AddText(ImVec2(line_min.x, line_max.y + 1), IM_COL32(240, 200, 120, 230), label);
  }
}

// The clients' node is named "clients" in the scenario's saved layout; on screen it is in the page's language.
const char* shown_name(const GraphNode& node) {
  return node.kind == GraphNodeKind::clients ? pgweb::text(StrId::arch_clients) : node.name.c_str();
}

// The numbers a glyph shows under it (and its tooltip too): the arrival rate, a cache's hits, a lock's holders, a
// queue's depth.
std::string glyph_line(const pg::World& world, const GraphNode& node) {
  char line[96] = "";
  switch (node.kind) {
    case GraphNodeKind::clients:
      std::snprintf(line, sizeof line, pgweb::text(StrId::arch_clients_rate), world.rate_per_s);
      break;
    case GraphNodeKind::cache: {
      const pg::CacheState& cache = world.caches.cache(node.model_id);
      const uint64_t lookups = cache.hits + cache.misses;
      std::snprintf(line, sizeof line, pgweb::text(StrId::arch_cache_glyph),
                    lookups ? 100.0 * (double)cache.hits / (double)lookups : 0.0, cache.live.size());
      break;
    }
    case GraphNodeKind::lock: {
      const pg::LockState& lock = world.locks.locks()[node.model_id];
      std::snprintf(line, sizeof line, pgweb::text(StrId::arch_lock_glyph), lock.holders, lock.waiters);
      break;
    }
    case GraphNodeKind::queue:
      std::snprintf(line, sizeof line, pgweb::text(StrId::arch_queue_glyph),
                    (long long)world.queues.depth(node.model_id));
      break;
    case GraphNodeKind::service: break;
  }
  return line;
}

void draw_glyph(ImDrawList* draw, const pg::World& world, const GraphNode& node, ImVec2 centre, ImVec2 half,
                float unit) {
  const ImVec2 min(centre.x - half.x, centre.y - half.y), max(centre.x + half.x, centre.y + half.y);
  const ImU32 text = IM_COL32(255, 255, 255, 235);
  switch (node.kind) {
    case GraphNodeKind::clients: {
      draw->AddRectFilled(min, max, IM_COL32(70, 80, 95, 255), half.y);
      break;
    }
    case GraphNodeKind::cache: {   // a cylinder: the classic store glyph
      const float ry = unit * 0.35f;
      draw->AddRectFilled(min, max, IM_COL32(20, 120, 120, 255), ry * 2);
      draw->AddRectFilled(min, ImVec2(max.x, min.y + ry * 2), IM_COL32(60, 170, 165, 255), ry * 2);
      break;
    }
    case GraphNodeKind::lock: {   // a padlock: shackle arc over a body
      const pg::LockState& lock = world.locks.locks()[node.model_id];
      const bool overlapping = lock.holders > 1 || lock.stats.overlaps > 0;
      const ImU32 body = overlapping ? IM_COL32(170, 70, 60, 255) : IM_COL32(150, 120, 40, 255);
      draw->PathArcTo(ImVec2(centre.x, min.y + unit * 0.6f), unit * 0.55f, 3.14159f, 2 * 3.14159f, 12);
      draw->PathStroke(IM_COL32(220, 200, 140, 255), 0, unit * 0.18f);
      draw->AddRectFilled(ImVec2(min.x, min.y + unit * 0.6f), max, body, unit * 0.25f);
      break;
    }
    case GraphNodeKind::queue: {  // a row of cells, filled with the backlog
      const int64_t depth = world.queues.depth(node.model_id);
      const int cells = 8;
      const float cell_width = half.x * 2 / (float)cells;
      const int limit = std::max(1, world.queues.specs[node.model_id].max_length);
      const float filled = (float)(std::log1p((double)depth) / std::log1p((double)limit)) * (float)cells;
      for (int c = 0; c < cells; ++c) {
        const ImVec2 a(min.x + cell_width * (float)c + 1, min.y + unit * 0.2f), b(a.x + cell_width - 2, max.y);
        draw->AddRectFilled(a, b, (float)c < filled ? IM_COL32(180, 120, 220, 255) : IM_COL32(80, 60, 100, 255), 2);
      }
      break;
    }
    case GraphNodeKind::service: break;
  }
  draw->AddText(ImVec2(min.x + unit * 0.3f, min.y + (node.kind == GraphNodeKind::lock ? unit * 0.75f : unit * 0.15f)),
                text, shown_name(node));
  draw->AddText(ImVec2(min.x, max.y + 2), IM_COL32(220, 220, 220, 200), glyph_line(world, node).c_str());
}

void draw_arrow(ImDrawList* draw, ImVec2 a, ImVec2 b, ImU32 colour, float unit) {
  draw->AddLine(a, b, colour, 1.5f);
  const float dx = b.x - a.x, dy = b.y - a.y, length = std::sqrt(dx * dx + dy * dy);
  if (length < 1) return;
  const float ux = dx / length, uy = dy / length, s = unit * 0.45f;
  draw->AddTriangleFilled(b, ImVec2(b.x - ux * s - uy * s * 0.6f, b.y - uy * s + ux * s * 0.6f),
                          ImVec2(b.x - ux * s + uy * s * 0.6f, b.y - uy * s - ux * s * 0.6f), colour);
}

// Where an edge leaves its source and enters its target: the boxes' left and right sides.
void edge_points(const std::vector<ImVec2>& centres, const std::vector<ImVec2>& halves, const GraphEdge& edge,
                 bool vertical, ImVec2& a, ImVec2& b) {
  const ImVec2 from = centres[edge.from], to = centres[edge.to];
  // One above the other (layers sharing a column, or a tall view): from the bottom of one box to the top of the next.
  if (vertical || std::fabs(to.x - from.x) < halves[edge.from].x + halves[edge.to].x) {
    const bool down = to.y >= from.y;
    a = ImVec2(from.x, from.y + (down ? halves[edge.from].y : -halves[edge.from].y));
    b = ImVec2(to.x, to.y + (down ? -halves[edge.to].y : halves[edge.to].y));
    return;
  }
  const bool forward = to.x >= from.x;
  a = ImVec2(from.x + (forward ? halves[edge.from].x : -halves[edge.from].x), from.y);
  b = ImVec2(to.x + (forward ? -halves[edge.to].x : halves[edge.to].x), to.y);
}

// ---- composing (the palette, handles and selection: web/panels/compose.cpp) --------------------------------------

// The element a box stands for, as the editor's selection names it.
std::string node_pointer(const GraphNode& node) {
  static const char* const lists[] = {"/workload", "/services/", "/caches/", "/locks/", "/queues/"};
  if (node.kind == GraphNodeKind::clients) return lists[0];
  return lists[(int)node.kind] + std::to_string(node.model_id);
}

// Where a box's handle is (the dot a call is dragged from): the middle of its right side. Caches and locks call
// nothing, so they have none.
bool has_handle(const GraphNode& node) {
  return node.kind == GraphNodeKind::clients || node.kind == GraphNodeKind::service || node.kind == GraphNodeKind::queue;
}

int node_named(const ArchitectureLayout& layout, pg::StepKind step, const std::string& name) {
  const GraphNodeKind kind = step == pg::StepKind::cache  ? GraphNodeKind::cache
                             : step == pg::StepKind::lock ? GraphNodeKind::lock
                             : step == pg::StepKind::publish ? GraphNodeKind::queue
                                                             : GraphNodeKind::service;
  for (size_t i = 0; i < layout.nodes.size(); ++i)
    if (layout.nodes[i].kind == kind && layout.nodes[i].name == name) return (int)i;
  return -1;
}

// The edges a request type's steps walk, from the clients (as trace_program follows the compiled program).
void flow_edges(const std::vector<pg::StepSpec>& steps, int from, const ArchitectureLayout& layout,
                std::vector<GraphEdge>& out) {
  for (const pg::StepSpec& step : steps) {
    if (step.kind == pg::StepKind::parallel) {
      for (const std::vector<pg::StepSpec>& branch : step.branches) flow_edges(branch, from, layout, out);
      continue;
    }
    const int node = node_named(layout, step.kind, step.target);
    if (node < 0) continue;
    if (from >= 0 && from != node) out.push_back({(uint32_t)from, (uint32_t)node});
    flow_edges(step.kind == pg::StepKind::cache ? step.on_miss : step.inside, node, layout, out);
    from = node;
  }
}

}  // namespace

ImU32 utilisation_colour(double utilisation, bool errors) {
  if (errors) return IM_COL32(150, 50, 45, 255);
  const float u = (float)std::clamp(utilisation, 0.0, 1.0);
  // calm teal -> amber -> red, dark enough for white text
  const float r = u < 0.6f ? 30 + u / 0.6f * 130 : 160 + (u - 0.6f) / 0.4f * 30;
  const float g = u < 0.6f ? 95 + u / 0.6f * 25 : 120 - (u - 0.6f) / 0.4f * 75;
  const float b = u < 0.6f ? 110 - u / 0.6f * 80 : 30;
  return IM_COL32((int)r, (int)g, (int)b, 255);
}

void App::draw_architecture_view() {
  if (!sim()) return;
  const pg::World& world = sim()->world();
  ViewsState& views = *views_;
  ArchitectureLayout& layout = views.architecture;
  ViewStats& stats = views.stats;

  // Header: composing's switch, the legend, and a reset for hand-placed nodes.
  const bool can_compose = !options_.readonly && !options_.embed && !phone_.active;
  if (can_compose) {
    ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(compose_.active ? ImGuiCol_ButtonActive : ImGuiCol_Button));
    if (ImGui::SmallButton(text(StrId::compose_toggle))) compose_.active = !compose_.active;
    ImGui::PopStyleColor();
    remember_rect("compose_toggle");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::compose_toggle_tip));
    ImGui::SameLine();
  }
  const bool composing = can_compose && compose_.active;
  ImGui::PushTextWrapPos(0);   // a phone's width breaks it into lines instead of cutting it
  ImGui::TextDisabled("%s", text(StrId::arch_legend));
  ImGui::PopTextWrapPos();
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", text(StrId::arch_legend_tooltip));
  const bool has_positions = scenario().view.is_object() && scenario().view.contains("positions");
  if (has_positions) {
    ImGui::SameLine();
    if (ImGui::SmallButton(text(StrId::arch_reset_layout))) {
      nlohmann::json view = scenario().view;
      view.erase("positions");
      set_scenario_view(view);
      layout.built_for.clear();
    }
  }
  if (composing) draw_compose_palette();
  Frame frame;
  frame.origin = ImGui::GetCursorScreenPos();
  frame.size = ImGui::GetContentRegionAvail();
  frame.unit = ImGui::GetFontSize();
  // Composing: the selection's panel at the right of the canvas.
  const float panel_width = composing ? std::clamp(frame.size.x * 0.36f, frame.unit * 17, frame.unit * 28) : 0;
  if (composing) frame.size.x -= panel_width + ImGui::GetStyle().ItemSpacing.x;
  frame.vertical = frame.size.x < frame.unit * 36 && frame.size.y > frame.unit * 20;
  if (frame.size.x < 50 || frame.size.y < 50) return;
  {   // The layout fits the canvas (web/editor/layout.hpp): built again when the run, the view or the canvas changes.
    char key[96];
    std::snprintf(key, sizeof key, "%p/%zu/%.0fx%.0f/%.1f/%d/", (const void*)&world, world.program.ops.size(),
                  frame.size.x, frame.size.y, frame.unit, frame.vertical ? 1 : 0);
    std::string built_for = key + scenario().view.dump();
    if (layout.built_for != built_for && layout.dragging < 0) {
      build_layout(world, scenario().view, frame.canvas(), layout);
      layout.built_for = std::move(built_for);
    }
  }
  ImGui::InvisibleButton("architecture_canvas", frame.size);
  remember_rect("architecture_canvas");
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 clip_max(frame.origin.x + frame.size.x, frame.origin.y + frame.size.y);
  draw->PushClipRect(frame.origin, clip_max, true);
  draw->AddRectFilled(frame.origin, clip_max, IM_COL32(255, 255, 255, 6), 4);

  const size_t n = layout.nodes.size();
  std::vector<ImVec2> centres(n), halves(n);
  for (size_t i = 0; i < n; ++i) {
    centres[i] = frame.at(layout.nodes[i].position);
    halves[i] = node_half_size(layout.nodes[i], frame.unit);
  }

  // Interaction: hover, click to inspect, drag to move (stored in the scenario's view on release).
  int hovered_node = -1;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (size_t i = 0; i < n; ++i)
    if (std::fabs(mouse.x - centres[i].x) <= halves[i].x && std::fabs(mouse.y - centres[i].y) <= halves[i].y)
      hovered_node = (int)i;
  int hovered_handle = -1;
  if (composing) {
    compose_.keys_frame = ImGui::GetFrameCount();
    compose_.boxes.clear();
    for (size_t i = 0; i < n; ++i) {
      const GraphNode& node = layout.nodes[i];
      compose_.boxes.push_back({node_pointer(node), centres[i].x, centres[i].y});
      remember_rect_at("node:" + node.name, centres[i].x - halves[i].x, centres[i].y - halves[i].y, halves[i].x * 2,
                       halves[i].y * 2);
      if (!has_handle(node)) continue;
      const float r = frame.unit * 0.55f, hx = centres[i].x + halves[i].x, hy = centres[i].y;
      remember_rect_at("handle:" + node.name, hx - r, hy - r, r * 2, r * 2);
      if (std::fabs(mouse.x - hx) <= r && std::fabs(mouse.y - hy) <= r) hovered_handle = (int)i;
    }
    // A box dragged from the palette and let go over the canvas is added where it was let go.
    if (compose_.palette_drag >= 0 && !ImGui::IsMouseDown(0)) {
      const int kind = compose_.palette_drag;
      compose_.palette_drag = -1;
      if (mouse.x >= frame.origin.x && mouse.y >= frame.origin.y && mouse.x < clip_max.x && mouse.y < clip_max.y) {
        const ImVec2 at = frame.to_normalised(mouse);
        compose_apply(compose::add_element(scenario(), (compose::Kind)kind, at.x, at.y));
      }
    }
  }
  if (hovered && ImGui::IsMouseClicked(0) && composing && hovered_handle >= 0) {
    compose_.connect_from = hovered_handle;
  } else if (hovered && ImGui::IsMouseClicked(0) && composing && hovered_node < 0) {
    editor_selection_.clear();
  } else if (hovered && ImGui::IsMouseClicked(0) && hovered_node >= 0) {
    if (composing) editor_selection_ = node_pointer(layout.nodes[(size_t)hovered_node]);
    layout.dragging = hovered_node;
    layout.drag_offset = ImVec2(mouse.x - centres[(size_t)hovered_node].x, mouse.y - centres[(size_t)hovered_node].y);
    const GraphNode& node = layout.nodes[(size_t)hovered_node];
    if (node.kind == GraphNodeKind::service) {
      selected_service_ = (int)node.model_id;
      selected_instance_ = -1;
    }
  }
  // A long press (a finger held on a box) opens the inspector on it: on a phone that is another panel.
  if (hovered && long_press_ && hovered_node >= 0 &&
      layout.nodes[(size_t)hovered_node].kind == GraphNodeKind::service) {
    selected_service_ = (int)layout.nodes[(size_t)hovered_node].model_id;
    selected_instance_ = -1;
    layout.dragging = -1;
    if (phone_.active) phone_.panel = PhonePanel::inspector;
  }
  if (layout.dragging >= 0) {
    GraphNode& node = layout.nodes[(size_t)layout.dragging];
    if (ImGui::IsMouseDragging(0, 3.0f)) {
      node.position = frame.to_normalised(ImVec2(mouse.x - layout.drag_offset.x, mouse.y - layout.drag_offset.y));
      centres[(size_t)layout.dragging] = frame.at(node.position);
    }
    if (!ImGui::IsMouseDown(0)) {
      if (ImGui::GetMouseDragDelta(0, 3.0f).x != 0 || ImGui::GetMouseDragDelta(0, 3.0f).y != 0) {
        nlohmann::json view = scenario().view.is_object() ? scenario().view : nlohmann::json::object();
        if (!view.contains("positions") || !view["positions"].is_object()) view["positions"] = nlohmann::json::object();
        node.position = dropped_position(layout, (size_t)layout.dragging, node.position, frame.canvas());
        view["positions"][node.name] = {std::round(node.position.x * 1000) / 1000,
                                        std::round(node.position.y * 1000) / 1000};
        set_scenario_view(view);
      }
      layout.dragging = -1;
    }
  }

  // Edges, under everything.
  std::vector<ImVec2> edge_a(layout.edges.size()), edge_b(layout.edges.size());
  for (size_t e = 0; e < layout.edges.size(); ++e) {
    edge_points(centres, halves, layout.edges[e], frame.vertical, edge_a[e], edge_b[e]);
    draw_arrow(draw, edge_a[e], edge_b[e], IM_COL32(255, 255, 255, 70), frame.unit);
  }
  // Composing: the selected request type's flow, drawn over the other edges.
  size_t request = 0;
  if (composing && compose::kind_of(compose_.request, &request) == compose::Kind::request &&
      request < scenario().requests.size()) {
    std::vector<GraphEdge> flow;
    flow_edges(scenario().requests[request].steps, 0, layout, flow);
    for (const GraphEdge& edge : flow) {
      ImVec2 a, b;
      edge_points(centres, halves, edge, frame.vertical, a, b);
      draw->AddLine(a, b, IM_COL32(255, 200, 80, 120), frame.unit * 0.4f);
      draw_arrow(draw, a, b, IM_COL32(255, 210, 90, 255), frame.unit);
    }
  }
  // Nodes.
  for (size_t i = 0; i < n; ++i) {
    const GraphNode& node = layout.nodes[i];
    if (node.kind == GraphNodeKind::service)
      draw_service(draw, world, node.model_id, centres[i], halves[i], frame.unit,
                   (int)node.model_id == selected_service_);
    else draw_glyph(draw, world, node, centres[i], halves[i], frame.unit);
    remember_rect_at("arch_node:" + node.name, centres[i].x - halves[i].x, centres[i].y - halves[i].y,
                     halves[i].x * 2, halves[i].y * 2);   // the box, for tests (layout: docs/editor.md)
  }

  if (composing) {
    for (size_t i = 0; i < n; ++i) {
      const GraphNode& node = layout.nodes[i];
      if (node_pointer(node) == editor_selection_) {
        remember_rect_at("selected:" + node.name, centres[i].x - halves[i].x, centres[i].y - halves[i].y,
                         halves[i].x * 2, halves[i].y * 2);
        draw->AddRect(ImVec2(centres[i].x - halves[i].x - 5, centres[i].y - halves[i].y - 5),
                      ImVec2(centres[i].x + halves[i].x + 5, centres[i].y + halves[i].y + 5), IM_COL32(255, 210, 90, 255),
                      frame.unit * 0.45f, 0, 2.5f);
      }
      if (!has_handle(node)) continue;
      const ImVec2 handle(centres[i].x + halves[i].x, centres[i].y);
      draw->AddCircleFilled(handle, frame.unit * ((int)i == hovered_handle ? 0.5f : 0.38f), IM_COL32(255, 200, 80, 255));
      draw->AddCircle(handle, frame.unit * 0.38f, IM_COL32(40, 30, 10, 255), 0, 1.5f);
    }
    // A call being dragged from a handle: a line to the pointer; let go over a box, it becomes a step.
    if (compose_.connect_from >= 0 && (size_t)compose_.connect_from < n) {
      const size_t from = (size_t)compose_.connect_from;
      draw_arrow(draw, ImVec2(centres[from].x + halves[from].x, centres[from].y), mouse, IM_COL32(255, 210, 90, 255),
                 frame.unit);
      if (!ImGui::IsMouseDown(0)) {
        compose_.connect_from = -1;
        if (hovered_node >= 0 && (size_t)hovered_node != from)
          compose_apply(compose::add_call(scenario(), node_pointer(layout.nodes[from]),
                                          node_pointer(layout.nodes[(size_t)hovered_node]), compose_.request));
      }
    } else {
      compose_.connect_from = -1;
    }
  }

  // Requests in flight: one pass over the World's flows, reading per-op and per-edge tables prepared above (no
  // search, no allocation: the batch and the counts keep their capacity from frame to frame).
  DotBatch& batch = views.architecture_dots;
  batch.clip = ImVec4(frame.origin.x, frame.origin.y, clip_max.x, clip_max.y);
  std::vector<int>& edge_counts = layout.edge_counts;
  edge_counts.assign(layout.edges.size(), 0);
  const std::vector<pg::Flow>& flows = world.flows();
  const std::vector<pg::Job>& jobs = world.services.jobs();
  const std::vector<pg::Op>& ops = world.program.ops;
  const pg::time_ns now = world.now();
  const float radius = std::max(2.5f, frame.unit * 0.22f);
  const float lane_width = frame.unit * 1.4f;
  const bool draw_dots = !options_.reduced_motion;
  std::vector<ImU32>& request_colours = layout.request_colours;
  request_colours.resize(world.request_stats.size());
  for (size_t r = 0; r < request_colours.size(); ++r) request_colours[r] = with_alpha(chart_colour(r), 235);
  constexpr ImU32 consumer_colour = IM_COL32(200, 150, 240, 230), retry_colour = IM_COL32(255, 120, 70, 240);
  batch.dots.resize(draw_dots ? flows.size() : 0);   // an upper bound; trimmed to what was drawn below
  DotInstance* out = batch.dots.data();
  int live = 0;
  for (uint32_t id = 0; id < flows.size(); ++id) {
    const pg::Flow& flow = flows[id];
    if (!flow.live) continue;
    ++live;
    if (flow.pc >= layout.op_node.size()) continue;
    const uint32_t node = layout.op_node[flow.pc];
    if (node == none) continue;
    const int e = layout.op_edge[flow.pc];
    const pg::Op& op = ops[flow.pc];
    const bool in_service = op.kind == pg::OpKind::call && flow.job != none && flow.job < jobs.size() &&
                            jobs[flow.job].live;
    const bool waiting = in_service && !jobs[flow.job].running;
    if (e < 0 && !waiting) continue;   // fill, release, fork parents: drawn where the flow's other part is
    if (e >= 0) ++edge_counts[(size_t)e];
    if (!draw_dots) continue;
    const uint32_t h = hash32(id * 2654435761U + flow.generation);
    ImU32 colour = flow.owner == pg::FlowOwner::consumer ? consumer_colour
                   : flow.request < request_colours.size() ? request_colours[flow.request]
                                                           : with_alpha(chart_colour(flow.request), 235);
    DotInstance& dot = *out++;
    dot.radius_px = radius;
    dot.ring_px = 0;
    dot.lane_px = (fraction_of(h) - 0.5f) * lane_width;
    if (in_service) {
      const pg::Job& job = jobs[flow.job];
      if (waiting) {
        // Waiting in the service's line: a dot in the line bar, spread so a long line looks long.
        ImVec2 min, max;
        line_rect(centres[node], halves[node], frame.unit, min, max);
        const float x = min.x + (max.x - min.x) * fraction_of(h), y = min.y + (max.y - min.y) * fraction_of(h >> 16);
        dot.from_x = dot.to_x = x;
        dot.from_y = dot.to_y = y;
        dot.progress = 0;
        dot.lane_px = 0;
        dot.radius_px = radius * 0.8f;
        colour = with_alpha(colour, 200);
      } else {
        const double span = (double)std::max<pg::time_ns>(job.done_ns - job.arrive_ns, 1);
        dot.progress = (float)std::clamp((double)(now - job.arrive_ns) / span, 0.0, 1.0);
        dot.from_x = edge_a[(size_t)e].x, dot.from_y = edge_a[(size_t)e].y;
        dot.to_x = edge_b[(size_t)e].x, dot.to_y = edge_b[(size_t)e].y;
      }
      if (flow.attempt > 0) colour = retry_colour;   // a retry
    } else {
      // Not in a service: backing off before a retry (at the start of the edge), or at a cache, lock or queue
      // (near its glyph), spread along the last part of the edge so a crowd is visible.
      dot.from_x = edge_a[(size_t)e].x, dot.from_y = edge_a[(size_t)e].y;
      dot.to_x = edge_b[(size_t)e].x, dot.to_y = edge_b[(size_t)e].y;
      if (op.kind == pg::OpKind::call) {
        dot.progress = 0.04f + 0.08f * fraction_of(h >> 8);
        colour = retry_colour;
      } else {
        dot.progress = 0.8f + 0.2f * fraction_of(h >> 8);
      }
    }
    dot.colour = colour;
  }
  batch.dots.resize((size_t)(out - batch.dots.data()));
  stats.flows_live = live;
  stats.nodes = (int)n;
  stats.edges = (int)layout.edges.size();
  stats.static_markers = 0;
  if (options_.reduced_motion) {
    // No motion: a count on each edge instead of moving dots; the lines' bars still show where requests wait.
    stats.particles = 0;
    stats.particles_on_gpu = false;
    for (size_t e = 0; e < layout.edges.size(); ++e) {
      if (edge_counts[e] == 0) continue;
      const ImVec2 middle((edge_a[e].x + edge_b[e].x) * 0.5f, (edge_a[e].y + edge_b[e].y) * 0.5f);
      char text[32];
      std::snprintf(text, sizeof text, "%d", edge_counts[e]);
      const ImVec2 size = ImGui::CalcTextSize(text);
      draw->AddRectFilled(ImVec2(middle.x - size.x * 0.5f - 4, middle.y - size.y * 0.5f - 1),
                          ImVec2(middle.x + size.x * 0.5f + 4, middle.y + size.y * 0.5f + 1), IM_COL32(40, 60, 90, 240),
                          size.y * 0.5f);
      draw->AddText(ImVec2(middle.x - size.x * 0.5f, middle.y - size.y * 0.5f), IM_COL32(255, 255, 255, 255), text);
      ++stats.static_markers;
    }
    batch.dots.clear();
  } else {
    stats.particles = (int)batch.dots.size();
    stats.particles_on_gpu = views.dots.draw(draw, batch);
  }
  draw->PopClipRect();
  if (composing) {
    ImGui::SetCursorScreenPos(ImVec2(clip_max.x + ImGui::GetStyle().ItemSpacing.x, frame.origin.y));
    ImGui::BeginChild("compose_panel", ImVec2(panel_width, frame.size.y), true);
    draw_compose_panel();
    ImGui::EndChild();
    remember_rect("compose_panel");
  }

  // Tooltip for the node under the mouse.
  if (hovered && hovered_node >= 0 && layout.dragging < 0) {
    const GraphNode& node = layout.nodes[(size_t)hovered_node];
    // What the box is, then its numbers now.
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 22);
    ImGui::TextUnformatted(shown_name(node));
    if (node.kind == GraphNodeKind::service) {
      const pg::ServiceSpec& spec = world.services.specs[node.model_id];
      const pg::ServiceStats& s = world.services.stats()[node.model_id];
      ImGui::Text(text(StrId::arch_what_service), spec.instances, spec.workers, spec.queue_max);
      ImGui::TextDisabled(text(StrId::arch_service_tooltip), (long long)s.in_flight,
                          format_count(s.completed).c_str(),
                          format_count(s.rejected + s.timed_out + s.crashed + s.unreachable).c_str());
      ImGui::TextDisabled("%s", text(StrId::arch_click_or_drag));
    } else {
      const StrId what = node.kind == GraphNodeKind::clients ? StrId::arch_what_clients
                         : node.kind == GraphNodeKind::cache ? StrId::arch_what_cache
                         : node.kind == GraphNodeKind::lock  ? StrId::arch_what_lock
                                                             : StrId::arch_what_queue;
      ImGui::TextUnformatted(text(what));
      ImGui::TextDisabled("%s", glyph_line(world, node).c_str());
      ImGui::TextDisabled("%s", text(StrId::arch_drag));
    }
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
  (void)now;
}

}  // namespace pgweb
