// State the mechanism views (web/views/*.cpp) keep between frames: the GPU dots renderer and each view's batch,
// the architecture graph's layout (rebuilt only when the scenario changes, so nodes stay put), the ring view's
// animation of moved keys, and the numbers each view drew last (window.playground.viewStats(), for tests).
// Views read the engine through const accessors only; what they change goes through the App's scenario path.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include "engine/kernel/sim_time.hpp"
#include "web/editor/layout.hpp"   // GraphNodeKind, GraphEdge: the graph and its layout, without ImGui
#include "web/views/chart_widget.hpp"
#include "web/platform/gl_particles.hpp"

namespace pgweb {

// What the views drew in the last frame they were shown.
// `text` as a JSON string, quotes included (for JSON the page builds by hand, which costs less download than
// nlohmann::json's initializer lists).
std::string json_quoted(const std::string& text);

struct ViewStats {
  // architecture
  int nodes = 0, edges = 0;
  int flows_live = 0;          // the World's live flows
  int particles = 0;           // dots drawn for them (0 with reduced motion: static markers instead)
  int static_markers = 0;
  bool particles_on_gpu = false;
  // ring
  int ring_points = 0, ring_keys = 0, moved_keys = 0, ring_nodes = 0;
  std::string ring_tooltip;    // the node whose tooltip is shown, or ""
  // locks
  int lock_rows = 0, lock_bars = 0, lock_overlaps = 0, lock_expiries = 0, lock_pauses = 0, lock_rejected = 0;
  // queues
  int queue_bars = 0, queue_consumers = 0, queue_partitions = 0, queue_marks = 0;
  int64_t queue_depth = 0;
  // inspector: its number cells drawn, and how many of them did not fit their column (tests want none)
  int inspector_cells = 0, inspector_clipped = 0, inspector_pairs_per_row = 0;
  // tabs (the main view's, and the phone's panel buttons) whose name did not fit them
  int tabs_clipped = 0;
};

struct GraphNode {
  GraphNodeKind kind = GraphNodeKind::service;
  uint32_t model_id = 0;       // service / cache / lock / queue id
  std::string name;
  int layer = 0;
  int row = 0;
  ImVec2 position{0, 0};       // normalised 0..1 in the view (centre); from view.positions when present
};

struct ArchitectureLayout {
  std::string built_for;       // the run, its program, its view and the canvas' size it was built for
  std::vector<GraphNode> nodes;
  std::vector<GraphEdge> edges;
  // Per program op: the graph node it happens at and the node the flow came from (UINT32_MAX: none).
  std::vector<uint32_t> op_node, op_from;
  std::vector<int> op_edge;    // per op: the index in edges of (op_from, op_node), -1 when there is none
  // Scratch reused every frame (no allocation per frame): flows per edge, colour per request type.
  std::vector<int> edge_counts;
  std::vector<ImU32> request_colours;
  int dragging = -1;           // node index being dragged
  ImVec2 drag_offset{0, 0};
};

struct RingAnimation {
  uint64_t change_count = 0;   // the cache's changes when last seen: a new one restarts the animation
  double started_real_s = -1;
};

struct ViewsState {
  DotRenderer dots;
  DotBatch architecture_dots, ring_dots;
  ArchitectureLayout architecture;
  std::vector<RingAnimation> ring_animations;   // per cache
  int ring_cache = 0;
  int queue_selected = 0;
  float lock_window_s = 4;
  ViewStats stats;
  double real_time_s = 0;
  std::vector<ChartData> charts;   // the Charts tab's data, kept between frames (rebuilt once a second under reduced motion)
  ChartCursor chart_cursor;
};

// 0.5 .. 1: colour ramp from calm to busy, used for utilisation.
ImU32 utilisation_colour(double utilisation, bool errors);

}  // namespace pgweb
