// Dots drawn by the GPU: one point sprite per dot (a request particle on an edge of the architecture view, a key on
// the ring view), all of a batch in one GL_POINTS draw from one buffer upload, with the GLSL ES 3.00 shaders of
// shaders/particles.vert and shaders/particles.frag, embedded by the build. (Points rather than instanced quads:
// SwiftShader, the software WebGL of headless Chromium, pays per instance.) A view fills a DotBatch during its frame
// and calls draw(): that queues an ImDrawList callback which, when the backend renders, uploads the batch and draws
// it clipped to the view, then asks the backend to restore its own GL state (ImDrawCallback_ResetRenderState). When
// WebGL2 cannot compile or link the shaders (or its point sprites are too small), the error goes to the console and
// the event log once, available() turns false, and draw() falls back to ImDrawList circles.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <imgui.h>

namespace pgweb {

struct DotInstance {
  float from_x, from_y, to_x, to_y;      // the path, in CSS pixels (from == to: a dot standing still)
  float progress;                        // 0..1 along the path
  float lane_px;                         // sideways offset in the middle of the path
  float radius_px;
  float ring_px;                         // > 0: an outline this thick instead of a filled dot
  uint32_t colour;                       // ImU32 (RGBA bytes in memory order)
};

class DotRenderer;

// One view's dots for one frame. Lives as long as the view (the callback reads it during ImGui's render).
struct DotBatch {
  std::vector<DotInstance> dots;
  ImVec4 clip{0, 0, 0, 0};               // CSS pixels: min x, min y, max x, max y
  DotRenderer* renderer = nullptr;       // set by DotRenderer::draw: the draw callback's way back to it
};

class DotRenderer {
 public:
  // Compiles the shaders on first use; false (and an error message) when they do not compile or link.
  bool available();
  const std::string& error() const { return error_; }
  // Queues the batch on the draw list; falls back to ImDrawList when the GPU path is unavailable.
  // Returns true when the batch goes through the shader.
  bool draw(ImDrawList* draw_list, DotBatch& batch);
  // The WebGL context was lost and restored: the old program, vertex array and buffer are gone with it (nothing to
  // delete), so they are forgotten and made again on next use.
  void context_restored();

 private:
  static void render_callback(const ImDrawList* list, const ImDrawCmd* command);
  void render(const DotBatch& batch, ImVec4 window_clip);
  bool initialise();

  bool tried_ = false;
  bool ok_ = false;
  std::string error_;
  unsigned program_ = 0, vertex_array_ = 0, dot_buffer_ = 0;
  int display_size_location_ = -1, pixel_ratio_location_ = -1;
  float max_point_size_ = 0;             // GL_ALIASED_POINT_SIZE_RANGE's upper end, framebuffer pixels
  static constexpr float min_point_size_needed = 64;
};

// Position of point t (0..1) on the path with the shader's lane curve: for the ImDrawList fallback and hit tests.
ImVec2 dot_position(const DotInstance& dot);

}  // namespace pgweb
