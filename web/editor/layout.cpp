// The architecture graph and its layout (see layout.hpp).
#include "web/editor/layout.hpp"

#include <algorithm>
#include <cmath>

#include "engine/run/world.hpp"

namespace pgweb {

namespace {

constexpr uint32_t none = UINT32_MAX;

uint32_t node_of(const pg::World& world, const pg::Op& op) {
  const uint32_t services = (uint32_t)world.services.specs.size();
  const uint32_t caches = (uint32_t)world.caches.cache_count();
  const uint32_t locks = (uint32_t)world.locks.locks().size();
  switch (op.kind) {
    case pg::OpKind::call: return 1 + op.target;
    case pg::OpKind::cache_lookup:
    case pg::OpKind::cache_fill: return 1 + services + op.target;
    case pg::OpKind::lock_acquire:
    case pg::OpKind::lock_release: return 1 + services + caches + op.target;
    case pg::OpKind::publish: return 1 + services + caches + locks + op.target;
    default: return none;
  }
}

// Walks the program from each entry, recording per op the node it happens at and the node the flow comes from,
// and the edges between them. First visit wins (a cache hit and a miss may reach the same op from two places).
void trace_program(const pg::World& world, ArchitectureGraph& graph) {
  const std::vector<pg::Op>& ops = world.program.ops;
  graph.op_node.assign(ops.size(), none);
  graph.op_from.assign(ops.size(), none);
  std::vector<bool> visited(ops.size(), false);
  std::vector<std::pair<uint32_t, uint32_t>> stack;   // (op, from node)
  auto add_edge = [&](uint32_t from, uint32_t to) {
    if (from == none || to == none || from == to) return;
    for (const GraphEdge& e : graph.edges)
      if (e.from == from && e.to == to) return;
    graph.edges.push_back({from, to});
  };
  auto walk = [&](uint32_t entry, uint32_t from) {
    stack.push_back({entry, from});
    while (!stack.empty()) {
      auto [pc, came_from] = stack.back();
      stack.pop_back();
      if (pc >= ops.size() || visited[pc]) continue;
      visited[pc] = true;
      const pg::Op& op = ops[pc];
      const uint32_t node = node_of(world, op);
      graph.op_node[pc] = node;
      graph.op_from[pc] = came_from;
      uint32_t onward = came_from;
      switch (op.kind) {
        case pg::OpKind::call:
        case pg::OpKind::lock_acquire:
        case pg::OpKind::publish:
          add_edge(came_from, node);
          onward = node;
          break;
        case pg::OpKind::cache_lookup:
          add_edge(came_from, node);
          onward = node;
          stack.push_back({op.alt, node});
          break;
        case pg::OpKind::fork:
          for (uint32_t b = 0; b < op.branch_count; ++b)
            stack.push_back({world.program.branch_entries[op.first_branch + b], came_from});
          break;
        case pg::OpKind::join:
        case pg::OpKind::end: continue;
        default: break;   // fill and release happen where the flow already is
      }
      stack.push_back({op.next, onward});
    }
  };
  for (uint32_t entry : world.request_entry) walk(entry, 0);
  for (size_t q = 0; q < world.consumer_entry.size(); ++q)
    if (world.consumer_entry[q] != none) walk(world.consumer_entry[q], node_of(world, pg::Op{pg::OpKind::publish, (uint32_t)q}));
  // A service's own steps (a call tree) leave from the service, so the graph shows gateway -> order -> inventory.
  for (size_t s = 0; s < world.service_entry.size(); ++s)
    if (world.service_entry[s] != none) walk(world.service_entry[s], node_of(world, pg::Op{pg::OpKind::call, (uint32_t)s}));
  // Per op, the edge a flow there is drawn on (-1: none), so a frame's particles need no edge search.
  graph.op_edge.assign(ops.size(), -1);
  for (size_t pc = 0; pc < ops.size(); ++pc) {
    if (graph.op_node[pc] == none || graph.op_from[pc] == none) continue;
    for (size_t e = 0; e < graph.edges.size(); ++e)
      if (graph.edges[e].from == graph.op_from[pc] && graph.edges[e].to == graph.op_node[pc]) {
        graph.op_edge[pc] = (int)e;
        break;
      }
  }
}

}  // namespace

void build_graph(const pg::World& world, ArchitectureGraph& graph) {
  graph.nodes.clear();
  graph.edges.clear();
  graph.nodes.push_back({GraphNodeKind::clients, 0, "clients"});
  for (size_t s = 0; s < world.services.specs.size(); ++s)
    graph.nodes.push_back({GraphNodeKind::service, (uint32_t)s, world.services.specs[s].name});
  for (size_t c = 0; c < world.caches.cache_count(); ++c)
    graph.nodes.push_back({GraphNodeKind::cache, (uint32_t)c, world.caches.cache((uint32_t)c).spec.name});
  for (size_t l = 0; l < world.locks.locks().size(); ++l)
    graph.nodes.push_back({GraphNodeKind::lock, (uint32_t)l, world.locks.locks()[l].spec.name});
  for (size_t q = 0; q < world.queues.specs.size(); ++q)
    graph.nodes.push_back({GraphNodeKind::queue, (uint32_t)q, world.queues.specs[q].name});
  trace_program(world, graph);
}

// ---- sizes ----------------------------------------------------------------------------------------------------------

void node_half_size(GraphNodeKind kind, float unit, float& half_x, float& half_y) {
  switch (kind) {
    case GraphNodeKind::service: half_x = unit * 4.4f, half_y = unit * 1.9f; return;
    case GraphNodeKind::clients: half_x = unit * 2.4f, half_y = unit * 1.2f; return;
    default: half_x = unit * 2.8f, half_y = unit * 1.4f; return;
  }
}

// What architecture.cpp draws around a centre: a service's breaker ring (4 px out), its waiting line (0.25 .. 0.85
// font sizes under the box) and the line's count under that; a glyph's numbers under it, left-aligned with the
// glyph and wider than it ("hit 93% · 4096 live" is about 17 characters).
Footprint node_footprint(GraphNodeKind kind, float unit) {
  float half_x = 0, half_y = 0;
  node_half_size(kind, unit, half_x, half_y);
  const float label = unit * 1.15f;   // a line of text under the box
  switch (kind) {
    case GraphNodeKind::service: return {half_x + 4, half_y + 4, half_x + 4, half_y + unit * 0.85f + label};
    case GraphNodeKind::clients: return {half_x, half_y, half_x, half_y + 2 + label};
    case GraphNodeKind::cache: return {half_x, half_y, unit * 7.5f, half_y + 2 + label};
    case GraphNodeKind::lock: return {half_x, half_y, unit * 6.5f, half_y + 2 + label};
    case GraphNodeKind::queue: return {half_x, half_y, unit * 4.5f, half_y + 2 + label};
  }
  return {half_x, half_y, half_x, half_y};
}

void LayoutView::to_canvas(float nx, float ny, float& x, float& y) const {
  if (vertical) {
    std::swap(nx, ny);
    nx = std::clamp((nx - 0.5f) * across_stretch + 0.5f, 0.0f, 1.0f);
  }
  x = margin_x() + nx * std::max(width - 2 * margin_x(), 1.0f);
  y = margin_y() + ny * std::max(height - 2 * margin_y(), 1.0f);
}

void LayoutView::to_normalised(float x, float y, float& nx, float& ny) const {
  nx = std::clamp((x - margin_x()) / std::max(width - 2 * margin_x(), 1.0f), 0.0f, 1.0f);
  ny = std::clamp((y - margin_y()) / std::max(height - 2 * margin_y(), 1.0f), 0.0f, 1.0f);
  if (vertical) {
    nx = (nx - 0.5f) / across_stretch + 0.5f;
    std::swap(nx, ny);
  }
}

bool footprints_overlap(const Footprint& a, LayoutPoint at_a, const Footprint& b, LayoutPoint at_b, float gap) {
  return at_a.x - a.left < at_b.x + b.right + gap && at_b.x - b.left < at_a.x + a.right + gap &&
         at_a.y - a.top < at_b.y + b.bottom + gap && at_b.y - b.top < at_a.y + a.bottom + gap;
}

namespace {

// Where a node's centre may be: its footprint inside the canvas, and the centre between the margins (where a
// normalised position can say it).
void centre_range(const Footprint& f, const LayoutView& view, float& x0, float& x1, float& y0, float& y1) {
  x0 = std::max(view.margin_x(), f.left);
  x1 = std::min(view.width - view.margin_x(), view.width - f.right);
  y0 = std::max(view.margin_y(), f.top);
  y1 = std::min(view.height - view.margin_y(), view.height - f.bottom);
  if (x1 < x0) x0 = x1 = (x0 + x1) * 0.5f;
  if (y1 < y0) y0 = y1 = (y0 + y1) * 0.5f;
}

bool collides(const Footprint& mine, LayoutPoint at, const std::vector<Footprint>& others,
              const std::vector<LayoutPoint>& centres, float gap) {
  for (size_t i = 0; i < others.size(); ++i)
    if (footprints_overlap(mine, at, others[i], centres[i], gap)) return true;
  return false;
}

}  // namespace

LayoutPoint nearest_free_spot(const Footprint& mine, LayoutPoint wanted, const std::vector<Footprint>& others,
                              const std::vector<LayoutPoint>& other_centres, const LayoutView& view) {
  const float gap = view.unit * 0.5f;
  float x0, x1, y0, y1;
  centre_range(mine, view, x0, x1, y0, y1);
  wanted.x = std::clamp(wanted.x, x0, x1);
  wanted.y = std::clamp(wanted.y, y0, y1);
  if (!collides(mine, wanted, others, other_centres, gap)) return wanted;
  // Rings of candidates around the wanted point, a step apart, until no ring can hold a nearer free one.
  const float step = std::max(view.unit * 0.5f, 2.0f);
  const int reach = (int)std::ceil(std::max(x1 - x0, y1 - y0) / step) + 1;
  LayoutPoint best = wanted;
  float best_d2 = -1;
  for (int r = 1; r <= reach; ++r) {
    if (best_d2 >= 0 && (float)r * step * (float)r * step > best_d2) break;
    for (int i = -r; i <= r; ++i)
      for (int j = -r; j <= r; ++j) {
        if (std::abs(i) != r && std::abs(j) != r) continue;   // the ring's edge only
        const LayoutPoint at{wanted.x + (float)i * step, wanted.y + (float)j * step};
        if (at.x < x0 || at.x > x1 || at.y < y0 || at.y > y1) continue;
        const float d2 = (at.x - wanted.x) * (at.x - wanted.x) + (at.y - wanted.y) * (at.y - wanted.y);
        if (best_d2 >= 0 && d2 >= best_d2) continue;
        if (collides(mine, at, others, other_centres, gap)) continue;
        best = at;
        best_d2 = d2;
      }
  }
  return best;
}

LayoutResult layered_layout(const std::vector<GraphNodeKind>& kinds, const std::vector<GraphEdge>& edges,
                            const std::vector<LayoutPin>& pins, const LayoutView& view) {
  const size_t n = kinds.size();
  LayoutResult out;
  out.layer.assign(n, -1);
  out.row.assign(n, 0);
  out.centres.assign(n, LayoutPoint{});
  if (n == 0) return out;

  // Layers: the longest path from the clients (relaxed at most once per node, so a cycle cannot loop forever).
  std::vector<int>& layer = out.layer;
  layer[0] = 0;
  for (size_t round = 0; round < n; ++round) {
    bool changed = false;
    for (const GraphEdge& e : edges)
      if (e.from < n && e.to < n && layer[e.from] >= 0 && layer[e.to] < layer[e.from] + 1 &&
          layer[e.from] + 1 < (int)n) {
        layer[e.to] = layer[e.from] + 1;
        changed = true;
      }
    if (!changed) break;
  }
  int layers = 1;
  for (int l : layer) layers = std::max(layers, l + 1);
  for (size_t i = 0; i < n; ++i)
    if (layer[i] < 0) layer[i] = layers;   // not on any path: a column of its own at the right
  layers = 1;
  for (int l : layer) layers = std::max(layers, l + 1);
  std::vector<int> per_layer((size_t)layers, 0);
  for (size_t i = 0; i < n; ++i) out.row[i] = per_layer[(size_t)layer[i]]++;

  // Columns along the layers' axis (x; y when vertical), each as wide as its widest node; places across, every one
  // as tall as the tallest node, with gaps. As many columns as fit, up to one per layer; when fewer fit,
  // neighbouring layers share a column.
  std::vector<Footprint> footprints(n);
  Footprint largest;
  for (size_t i = 0; i < n; ++i) {
    footprints[i] = node_footprint(kinds[i], view.unit);
    largest.left = std::max(largest.left, footprints[i].left);
    largest.right = std::max(largest.right, footprints[i].right);
    largest.top = std::max(largest.top, footprints[i].top);
    largest.bottom = std::max(largest.bottom, footprints[i].bottom);
  }
  const bool v = view.vertical;
  auto along_lo = [&](const Footprint& f) { return v ? f.top : f.left; };
  auto along_hi = [&](const Footprint& f) { return v ? f.bottom : f.right; };
  const float along_size = v ? view.height : view.width, along_margin = v ? view.margin_y() : view.margin_x();
  const float gap_along = view.unit * (v ? 0.6f : 1.0f), gap_across = view.unit * (v ? 1.0f : 0.6f);
  float x0, x1, y0, y1;
  centre_range(largest, view, x0, x1, y0, y1);
  const float across0 = v ? x0 : y0, across1 = v ? x1 : y1;
  const float cell_across = (v ? largest.left + largest.right : largest.top + largest.bottom) + gap_across;
  const int places_fit = (int)std::floor((across1 - across0) / cell_across) + 1;

  std::vector<std::vector<size_t>> column;
  std::vector<float> column_at;   // each column's centre along
  for (int columns = std::min(layers, (int)n); columns >= 1; --columns) {
    // Layers to columns, in layer then scenario order.
    column.assign((size_t)columns, {});
    for (int l = 0; l < layers; ++l)
      for (size_t i = 0; i < n; ++i)
        if (layer[i] == l) column[(size_t)(layers <= columns ? l : l * columns / layers)].push_back(i);
    // A column with more nodes than places gives its last ones to the nearest column with room.
    for (int c = 0; c < columns; ++c)
      while ((int)column[(size_t)c].size() > places_fit) {
        int target = -1;
        for (int d = 1; d < columns && target < 0; ++d)
          for (int other : {c + d, c - d})
            if (other >= 0 && other < columns && (int)column[(size_t)other].size() < places_fit) {
              target = other;
              break;
            }
        if (target < 0) break;   // the view is full: the free-spot search below does what it can
        column[(size_t)target].push_back(column[(size_t)c].back());
        column[(size_t)c].pop_back();
      }
    // Does it fit? The columns' centres from the first's lowest place to the last's highest, a gap apart; what is
    // left over goes between them, so the drawing fills the view.
    std::vector<float> lo((size_t)columns, 0), hi((size_t)columns, 0);
    for (int c = 0; c < columns; ++c)
      for (size_t i : column[(size_t)c]) {
        lo[(size_t)c] = std::max(lo[(size_t)c], along_lo(footprints[i]));
        hi[(size_t)c] = std::max(hi[(size_t)c], along_hi(footprints[i]));
      }
    const float first = std::max(along_margin, lo[0]);
    const float last = along_size - std::max(along_margin, hi[(size_t)columns - 1]);
    float needed = 0;
    for (int c = 0; c + 1 < columns; ++c) needed += hi[(size_t)c] + gap_along + lo[(size_t)c + 1];
    if (needed > last - first && columns > 1) continue;
    column_at.assign((size_t)columns, (first + last) * 0.5f);
    if (columns > 1) {
      const float extra = std::max(last - first - needed, 0.0f) / (float)(columns - 1);
      column_at[0] = first;
      for (int c = 1; c < columns; ++c)
        column_at[(size_t)c] = column_at[(size_t)c - 1] + hi[(size_t)c - 1] + gap_along + lo[(size_t)c] + extra;
    }
    break;
  }
  const int columns = (int)column.size();

  // Each column's order: by where the nodes calling it are (fewer crossing edges), else as listed.
  std::vector<float> across_rank(n, -1);
  for (int c = 0; c < columns; ++c) {
    std::vector<size_t>& members = column[(size_t)c];
    const size_t k = members.size();
    std::vector<std::pair<float, size_t>> keyed;
    for (size_t m = 0; m < k; ++m) {
      float sum = 0;
      int count = 0;
      for (const GraphEdge& e : edges)
        if (e.to == members[m] && e.from < n && across_rank[e.from] >= 0) sum += across_rank[e.from], ++count;
      keyed.push_back({count ? sum / (float)count : ((float)m + 0.5f) / (float)k, members[m]});
    }
    for (size_t a = 1; a < k; ++a)   // insertion sort: stable, and a column is short (std::stable_sort costs 3 KB)
      for (size_t b = a; b > 0 && keyed[b].first < keyed[b - 1].first; --b) std::swap(keyed[b], keyed[b - 1]);
    const float along = column_at[(size_t)c];
    const float span = across1 - across0;
    for (size_t m = 0; m < k; ++m) {
      const size_t i = keyed[m].second;
      members[m] = i;
      // Evenly spread; from edge to edge only when the centred spread would put them closer than a cell.
      float across = across0 + span * 0.5f;
      if (k > 1) across = span / (float)k >= cell_across ? across0 + span * ((float)m + 0.5f) / (float)k
                                                         : across0 + span * (float)m / (float)(k - 1);
      across_rank[i] = ((float)m + 0.5f) / (float)k;
      out.centres[i] = v ? LayoutPoint{across, along} : LayoutPoint{along, across};
    }
  }

  // Dragged nodes where they were left, first; then every node that would overlap one placed before it moves to
  // the nearest free spot.
  std::vector<Footprint> placed;
  std::vector<LayoutPoint> placed_at;
  auto place = [&](size_t i) {
    out.centres[i] = nearest_free_spot(footprints[i], out.centres[i], placed, placed_at, view);
    placed.push_back(footprints[i]);
    placed_at.push_back(out.centres[i]);
  };
  const bool any_pins = pins.size() == n;
  if (any_pins)
    for (size_t i = 0; i < n; ++i)
      if (pins[i].pinned) {
        view.to_canvas(std::clamp(pins[i].nx, 0.0f, 1.0f), std::clamp(pins[i].ny, 0.0f, 1.0f), out.centres[i].x,
                       out.centres[i].y);
        place(i);
      }
  for (size_t i = 0; i < n; ++i)
    if (!any_pins || !pins[i].pinned) place(i);
  return out;
}

}  // namespace pgweb
