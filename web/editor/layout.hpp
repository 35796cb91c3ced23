// The architecture view's graph and its automatic layout, without ImGui (tested natively, tests/unit/web/
// test_layout.cpp; drawn by web/views/architecture.cpp). docs/editor.md, "Layout".
//
// The graph: one node for the clients, then each service, cache, lock and queue in scenario order; the edges are
// the paths requests take, traced from the compiled step programs (World::program).
//
// The layout works in the canvas' pixels, because what must not overlap is what is drawn, and that is sized by the
// text (a service box is 8.8 font sizes wide whatever the view's width). Layers by step order (the longest path from
// the clients) become columns left to right (top to bottom on a tall, narrow view); when there are more layers than
// columns fit, neighbouring layers share a column. Every column is a stack of cells at least one footprint apart, so
// no two nodes overlap. Positions a person dragged (the scenario's view.positions, normalised 0..1) are kept; a node
// that would overlap one placed before it goes to the nearest free spot. The same scenario in the same view always
// gets the same picture.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace pg {
class World;
}

namespace pgweb {

// A box or glyph of the architecture graph.
enum class GraphNodeKind : uint8_t { clients, service, cache, lock, queue };

struct GraphEdge {
  uint32_t from = 0, to = 0;   // node indices
};

struct ArchitectureGraph {
  struct Node {
    GraphNodeKind kind = GraphNodeKind::service;
    uint32_t model_id = 0;   // service / cache / lock / queue id
    std::string name;
  };
  std::vector<Node> nodes;
  std::vector<GraphEdge> edges;
  // Per program op: the graph node it happens at and the node the flow came from (UINT32_MAX: none), and the index
  // in edges of (op_from, op_node), -1 when there is none.
  std::vector<uint32_t> op_node, op_from;
  std::vector<int> op_edge;
};

// The graph of a world's scenario.
void build_graph(const pg::World& world, ArchitectureGraph& graph);

// Half the width and height of a node's box, for a font size of `unit` pixels.
void node_half_size(GraphNodeKind kind, float unit, float& half_x, float& half_y);

// What a node draws around its centre, box and labels (a service's waiting line and its count, a glyph's numbers
// under it), in pixels from the centre to each side.
struct Footprint {
  float left = 0, top = 0, right = 0, bottom = 0;
};
Footprint node_footprint(GraphNodeKind kind, float unit);

// The canvas: its size in pixels, the font size, and whether layers run top to bottom. Maps view.positions'
// normalised points (0..1 between the margins) to pixels from the canvas' top-left, and back (clamped).
struct LayoutView {
  float width = 0, height = 0, unit = 13;
  bool vertical = false;
  static constexpr float across_stretch = 1.5f;   // vertical: the boxes of one layer side by side need the width
  float margin_x() const { return unit * 5.0f; }
  float margin_y() const { return unit * (vertical ? 3.2f : 2.6f); }
  void to_canvas(float nx, float ny, float& x, float& y) const;
  void to_normalised(float x, float y, float& nx, float& ny) const;
};

struct LayoutPoint {
  float x = 0, y = 0;
};

// A node's place: pinned at a normalised point (dragged there), or free.
struct LayoutPin {
  bool pinned = false;
  float nx = 0, ny = 0;
};

struct LayoutResult {
  std::vector<int> layer, row;        // the layered order (row: position in the layer, scenario order)
  std::vector<LayoutPoint> centres;   // pixels from the canvas' top-left
};

// Lays out the graph's nodes (kinds and edges) in the view; `pins` may be empty or one per node.
LayoutResult layered_layout(const std::vector<GraphNodeKind>& kinds, const std::vector<GraphEdge>& edges,
                            const std::vector<LayoutPin>& pins, const LayoutView& view);

// Whether two nodes' footprints, at their centres, come closer than `gap` pixels.
bool footprints_overlap(const Footprint& a, LayoutPoint at_a, const Footprint& b, LayoutPoint at_b, float gap);

// The free spot nearest to `wanted` for a node of footprint `mine` among `others` (footprints and centres), inside
// the view; `wanted` itself when it is free, or when there is no free spot at all.
LayoutPoint nearest_free_spot(const Footprint& mine, LayoutPoint wanted, const std::vector<Footprint>& others,
                              const std::vector<LayoutPoint>& other_centres, const LayoutView& view);

}  // namespace pgweb
