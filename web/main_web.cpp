// The browser platform layer, the only file that knows the main loop: creates the GLFW window (Emscripten's JS
// GLFW on the page's #canvas) and a WebGL2 context, keeps the canvas' backing store at CSS size x device pixel ratio,
// runs one App frame per animation frame, and exports the C functions window.playground (web/glue.js) calls.
//
// HiDPI: Emscripten 3.1.6's GLFW reports sizes and cursor positions in backing-store pixels. ImGui here works in
// CSS pixels instead (so a 16 px font is 16 CSS px on every screen): after the GLFW backend's NewFrame, the display
// size, framebuffer scale and mouse position are rewritten in CSS units.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include "web/app.hpp"
#include "web/theme.hpp"

namespace {

constexpr const char* canvas_selector = "#canvas";

struct Platform {
  GLFWwindow* window = nullptr;
  std::unique_ptr<pgweb::App> app;
  float pixel_ratio = 1.0f;       // the ratio the font atlas was built for
  double last_frame_s = 0.0;
  uint64_t frames = 0;
  std::string text_result;        // backs the strings returned to JS until the next call
};

Platform platform;

struct CanvasSize {
  double css_width = 0, css_height = 0;
  int pixel_width = 0, pixel_height = 0;
  float pixel_ratio = 1.0f;
};

// Sizes the canvas' backing store to its CSS box times the device pixel ratio (the page's CSS makes the box fill
// the window) and returns both sizes.
CanvasSize fit_canvas_to_css_box() {
  CanvasSize size;
  emscripten_get_element_css_size(canvas_selector, &size.css_width, &size.css_height);
  size.css_width = std::max(size.css_width, 1.0);
  size.css_height = std::max(size.css_height, 1.0);
  double ratio = emscripten_get_device_pixel_ratio();
  if (!(ratio > 0.0)) ratio = 1.0;
  size.pixel_ratio = (float)ratio;
  const int want_width = (int)std::lround(size.css_width * ratio);
  const int want_height = (int)std::lround(size.css_height * ratio);
  int width = 0, height = 0;
  emscripten_get_canvas_element_size(canvas_selector, &width, &height);
  if (width != want_width || height != want_height) {
    emscripten_set_canvas_element_size(canvas_selector, want_width, want_height);
  }
  size.pixel_width = want_width;
  size.pixel_height = want_height;
  return size;
}

void frame() {
  const CanvasSize canvas = fit_canvas_to_css_box();
  if (canvas.pixel_ratio != platform.pixel_ratio) {
    platform.pixel_ratio = canvas.pixel_ratio;
    pgweb::load_fonts(platform.pixel_ratio);
    // The backend's NewFrame only recreates its device objects when the shader is missing, so the font texture is
    // replaced here explicitly.
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }

  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  const float scale_x = (float)(canvas.pixel_width / canvas.css_width);
  const float scale_y = (float)(canvas.pixel_height / canvas.css_height);
  io.DisplaySize = ImVec2((float)canvas.css_width, (float)canvas.css_height);
  io.DisplayFramebufferScale = ImVec2(scale_x, scale_y);
  if (ImGui::IsMousePosValid(&io.MousePos)) io.MousePos = ImVec2(io.MousePos.x / scale_x, io.MousePos.y / scale_y);

  const double now_s = emscripten_get_now() / 1000.0;
  const double dt_s = platform.frames == 0 ? 0.0 : now_s - platform.last_frame_s;
  platform.last_frame_s = now_s;

  ImGui::NewFrame();
  platform.app->frame(dt_s);
  ImGui::Render();

  glViewport(0, 0, canvas.pixel_width, canvas.pixel_height);
  glClearColor(0.055f, 0.063f, 0.075f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  ++platform.frames;
}

}  // namespace

// ---- entry points for window.playground (web/glue.js) ---------------------------------------------------------------

extern "C" {

EMSCRIPTEN_KEEPALIVE uint32_t pg_frames() { return (uint32_t)std::min<uint64_t>(platform.frames, UINT32_MAX); }
EMSCRIPTEN_KEEPALIVE double pg_clock_s() { return platform.app ? platform.app->clock_s() : 0.0; }
EMSCRIPTEN_KEEPALIVE double pg_events_processed() {
  return platform.app ? (double)platform.app->events_processed() : 0.0;
}
EMSCRIPTEN_KEEPALIVE int pg_playing() { return platform.app && platform.app->playing() ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE void pg_play() {
  if (platform.app) platform.app->play();
}
EMSCRIPTEN_KEEPALIVE void pg_pause() {
  if (platform.app) platform.app->pause();
}
EMSCRIPTEN_KEEPALIVE void pg_reset() {
  if (platform.app) platform.app->reset();
}
EMSCRIPTEN_KEEPALIVE void pg_set_speed(double speed) {
  if (platform.app) platform.app->set_speed(speed);
}
EMSCRIPTEN_KEEPALIVE double pg_speed() { return platform.app ? platform.app->speed() : 0.0; }

// The returned strings stay valid until the next call of any pg_* function returning text.
EMSCRIPTEN_KEEPALIVE const char* pg_report_json() {
  platform.text_result = platform.app ? platform.app->report_json() : "null";
  return platform.text_result.c_str();
}
EMSCRIPTEN_KEEPALIVE const char* pg_trace_hash() {
  platform.text_result = platform.app ? platform.app->trace_hash_hex() : "";
  return platform.text_result.c_str();
}
EMSCRIPTEN_KEEPALIVE const char* pg_scenario_name() {
  platform.text_result = platform.app ? platform.app->scenario_name() : "";
  return platform.text_result.c_str();
}
// Widget rectangles in CSS pixels, as JSON: {"play":[x,y,width,height]}.
EMSCRIPTEN_KEEPALIVE const char* pg_layout_json() {
  pgweb::WidgetRect play = platform.app ? platform.app->play_button_rect() : pgweb::WidgetRect{};
  char text[160];
  std::snprintf(text, sizeof text, "{\"play\":[%.1f,%.1f,%.1f,%.1f]}", (double)play.x, (double)play.y,
                (double)play.width, (double)play.height);
  platform.text_result = text;
  return platform.text_result.c_str();
}

}  // extern "C"

int main() {
  if (!glfwInit()) {
    std::fprintf(stderr, "glfwInit failed\n");
    return 1;
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  const CanvasSize canvas = fit_canvas_to_css_box();
  platform.window = glfwCreateWindow(canvas.pixel_width, canvas.pixel_height, "Shop Architecture Playground",
                                     nullptr, nullptr);
  if (!platform.window) {
    std::fprintf(stderr, "glfwCreateWindow failed: WebGL2 unavailable?\n");
    return 1;
  }
  glfwMakeContextCurrent(platform.window);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no file system to persist window positions in (yet)
  pgweb::apply_theme();
  platform.pixel_ratio = canvas.pixel_ratio;
  pgweb::load_fonts(platform.pixel_ratio);
  ImGui_ImplGlfw_InitForOpenGL(platform.window, true);
  ImGui_ImplOpenGL3_Init("#version 300 es");

  platform.app = std::make_unique<pgweb::App>();
  // fps 0: the browser's animation frames; simulate_infinite_loop: main never returns, the platform lives on.
  emscripten_set_main_loop(frame, 0, true);
  return 0;
}
