// The architecture view's automatic layout (web/editor/layout.hpp): for every built-in scenario and several canvas
// sizes — the page's at 1280x720 and 1920x1080, a small laptop's, a phone held upright (layers top to bottom) — no
// two nodes' footprints (box, waiting line, labels) overlap and every one lies inside the canvas. Positions a person
// dragged are kept; one dropped onto another node is moved to the nearest free spot, and the layout is the same
// every time.
#include <string>
#include <vector>

#include "engine/run/world.hpp"
#include "tests/unit/test_support.hpp"
#include "web/editor/layout.hpp"

using namespace pgweb;

namespace {

std::vector<std::string> built_ins() {
  std::vector<std::string> out;
  for (const std::string& file : pg::test::repository_scenarios())
    if (file.rfind("scenarios/", 0) == 0) out.push_back(file);
  return out;
}

struct Canvas {
  const char* what;
  float width, height, unit;
  bool vertical;
};

// The main view's canvas (the architecture tab under its legend) in CSS pixels, with the page's 16 px font; the
// page turns layers top to bottom when the canvas is narrower than 36 font sizes and taller than 20.
const Canvas canvases[] = {
    {"1280x720", 678, 560, 16, false},
    {"1280x720 with a two-line banner", 678, 480, 16, false},
    {"1440x900", 763, 740, 16, false},
    {"1920x1080", 1180, 930, 16, false},
    {"1920x1080, text 1.3x", 1180, 930, 20.8f, false},
    {"phone upright", 390, 620, 16, true},
};

LayoutView view_of(const Canvas& c) {
  LayoutView view;
  view.width = c.width;
  view.height = c.height;
  view.unit = c.unit;
  view.vertical = c.vertical;
  return view;
}

void check_no_overlap(const std::vector<GraphNodeKind>& kinds, const LayoutResult& result, const LayoutView& view,
                      const std::string& where) {
  for (size_t i = 0; i < kinds.size(); ++i) {
    const Footprint a = node_footprint(kinds[i], view.unit);
    const LayoutPoint p = result.centres[i];
    INFO(where << ", node " << i << " at " << p.x << "," << p.y);
    CHECK(p.x - a.left >= 0);
    CHECK(p.x + a.right <= view.width);
    CHECK(p.y - a.top >= 0);
    CHECK(p.y + a.bottom <= view.height);
    for (size_t j = i + 1; j < kinds.size(); ++j) {
      INFO("and node " << j << " at " << result.centres[j].x << "," << result.centres[j].y);
      CHECK_FALSE(footprints_overlap(a, p, node_footprint(kinds[j], view.unit), result.centres[j], 0));
    }
  }
}

}  // namespace

TEST_CASE("every built-in is laid out without overlaps, inside the view, at every size", "[editor]") {
  const std::vector<std::string> files = built_ins();
  REQUIRE(files.size() >= 20);
  for (const std::string& file : files) {
    pg::Simulation sim(pg::test::load(file));
    ArchitectureGraph graph;
    build_graph(sim.world(), graph);
    std::vector<GraphNodeKind> kinds;
    for (const auto& node : graph.nodes) kinds.push_back(node.kind);
    for (const Canvas& canvas : canvases) {
      const LayoutView view = view_of(canvas);
      const LayoutResult result = layered_layout(kinds, graph.edges, {}, view);
      check_no_overlap(kinds, result, view, file + " in " + canvas.what);
      // The same picture every time.
      const LayoutResult again = layered_layout(kinds, graph.edges, {}, view);
      for (size_t i = 0; i < kinds.size(); ++i) {
        CHECK(again.centres[i].x == result.centres[i].x);
        CHECK(again.centres[i].y == result.centres[i].y);
      }
    }
  }
}

TEST_CASE("Black Friday's layers read left to right, and its nodes are where the old overlaps were", "[editor]") {
  pg::Simulation sim(pg::test::load("scenarios/black-friday.json"));
  ArchitectureGraph graph;
  build_graph(sim.world(), graph);
  std::vector<GraphNodeKind> kinds;
  for (const auto& node : graph.nodes) kinds.push_back(node.kind);
  const LayoutView view = view_of(canvases[0]);
  const LayoutResult result = layered_layout(kinds, graph.edges, {}, view);
  auto index = [&](const char* name) {
    for (size_t i = 0; i < graph.nodes.size(); ++i)
      if (graph.nodes[i].name == name) return i;
    FAIL("no node " << name);
    return (size_t)0;
  };
  // Every edge goes rightwards or stays in its column (layers sharing one), never back to the left.
  for (const GraphEdge& e : graph.edges) CHECK(result.centres[e.to].x >= result.centres[e.from].x);
  // The pairs the old layout drew on top of each other at this size.
  const std::pair<const char*, const char*> pairs[] = {{"product-cache", "catalog"}, {"product-cache", "product-db"},
                                                       {"inventory", "order"}, {"orders", "payment"}};
  for (const auto& [a, b] : pairs) {
    INFO(a << " and " << b);
    CHECK_FALSE(footprints_overlap(node_footprint(kinds[index(a)], view.unit), result.centres[index(a)],
                                   node_footprint(kinds[index(b)], view.unit), result.centres[index(b)], 0));
  }
}

TEST_CASE("dragged positions are kept, and one dropped onto another node moves to a free spot", "[editor]") {
  pg::Simulation sim(pg::test::load("scenarios/black-friday.json"));
  ArchitectureGraph graph;
  build_graph(sim.world(), graph);
  std::vector<GraphNodeKind> kinds;
  for (const auto& node : graph.nodes) kinds.push_back(node.kind);
  const size_t n = kinds.size();
  for (const Canvas& canvas : canvases) {
    INFO(canvas.what);
    const LayoutView view = view_of(canvas);
    const LayoutResult automatic = layered_layout(kinds, graph.edges, {}, view);
    // Node 1 dragged to a free corner: it stays exactly there (as normalised), the others make room if needed.
    std::vector<LayoutPin> pins(n);
    pins[1] = LayoutPin{true, 0.0f, 1.0f};
    const LayoutResult dragged = layered_layout(kinds, graph.edges, pins, view);
    float x = 0, y = 0;
    view.to_canvas(0.0f, 1.0f, x, y);
    const Footprint f = node_footprint(kinds[1], view.unit);
    // The corner point itself may put the footprint outside the canvas: it is moved just inside, never further.
    CHECK(std::abs(dragged.centres[1].x - std::clamp(x, f.left, view.width - f.right)) <= view.unit);
    CHECK(std::abs(dragged.centres[1].y - std::clamp(y, f.top, view.height - f.bottom)) <= view.unit);
    check_no_overlap(kinds, dragged, view, "one dragged");

    // Node 2 dropped exactly onto node 3's place, node 3 pinned there too: both shown, apart.
    std::vector<LayoutPin> stacked(n);
    float nx = 0, ny = 0;
    view.to_normalised(automatic.centres[3].x, automatic.centres[3].y, nx, ny);
    stacked[3] = LayoutPin{true, nx, ny};
    stacked[2] = LayoutPin{true, nx, ny};
    const LayoutResult resolved = layered_layout(kinds, graph.edges, stacked, view);
    check_no_overlap(kinds, resolved, view, "one dropped on another");
    CHECK(resolved.centres[3].x == automatic.centres[3].x);   // the first pinned keeps its place
  }
  // The free-spot search alone: a spot taken, the nearest free one is next to it and overlaps nothing.
  const LayoutView view = view_of(canvases[3]);
  const Footprint box = node_footprint(GraphNodeKind::service, view.unit);
  const LayoutPoint taken{400, 400};
  const LayoutPoint spot = nearest_free_spot(box, taken, {box}, {taken}, view);
  CHECK_FALSE(footprints_overlap(box, spot, box, taken, 0));
  CHECK(std::hypot(spot.x - taken.x, spot.y - taken.y) < box.left + box.right + box.top + box.bottom);
  // Normalised points go to the canvas and back unchanged.
  for (const Canvas& canvas : canvases) {
    const LayoutView v = view_of(canvas);
    float px = 0, py = 0, bx = 0, by = 0;
    v.to_canvas(0.3f, 0.6f, px, py);
    v.to_normalised(px, py, bx, by);
    CHECK(bx == Approx(0.3f).margin(1e-5));
    CHECK(by == Approx(0.6f).margin(1e-5));
  }
}
