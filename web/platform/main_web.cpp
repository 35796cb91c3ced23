// The browser platform layer, the only file that knows the main loop: creates the GLFW window (Emscripten's JS
// GLFW on the page's #canvas) and a WebGL2 context, keeps the canvas' backing store at CSS size x device pixel ratio,
// runs one App frame per animation frame, and exports the C functions window.playground (web/platform/glue.js) calls.
//
// HiDPI: Emscripten 3.1.6's GLFW reports sizes and cursor positions in backing-store pixels. ImGui here works in
// CSS pixels instead (so a 16 px font is 16 CSS px on every screen): after the GLFW backend's NewFrame, the display
// size, framebuffer scale and mouse position are rewritten in CSS units.
//
// A lost WebGL context is not the end: the lost handler keeps the default (so the browser may restore it), frames
// go on without drawing (the simulation and its jobs keep going), and on restore every GL object is made again
// (ImGui's OpenGL3 backend objects and font texture, the dot renderer's program and buffers).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>
#include <nlohmann/json.hpp>

#include "web/app.hpp"
#include "web/library.hpp"
#include "web/platform/language_web.hpp"
#include "web/platform/theme.hpp"

// ---- the page's services (implemented in web/platform/glue.js as Module.playgroundHost) -------------------------------------

// clang-format off
EM_JS(void, host_copy_text, (const char* text), { Module.playgroundHost.copyText(UTF8ToString(text)); });
EM_JS(void, host_download, (const char* name, const char* mime, const char* content), {
  Module.playgroundHost.download(UTF8ToString(name), UTF8ToString(mime), UTF8ToString(content));
});
// Bytes that are not text (a PNG): copied out of the heap as they are.
EM_JS(void, host_download_bytes, (const char* name, const char* mime, const char* bytes, int length), {
  var type = UTF8ToString(mime);
  Module.playgroundHost.download(UTF8ToString(name), type, new Blob([HEAPU8.slice(bytes, bytes + length)], {type: type}));
});
EM_JS(void, host_open_file_picker, (), { Module.playgroundHost.openFilePicker(); });
// The Sweep's workers (web/platform/glue_sweep.js).
EM_JS(void, host_sweep_start, (const char* jobs_json, int workers, int channel), {
  Module.playgroundHost.sweepStart(UTF8ToString(jobs_json), workers, channel);
});
EM_JS(void, host_sweep_cancel, (int channel), { Module.playgroundHost.sweepCancel(channel); });
EM_JS(void, host_capture_canvas, (int mode), { Module.playgroundHost.captureCanvas(mode); });
EM_JS(void, host_save_session, (const char* scenario_json), {
  Module.playgroundHost.saveSession(UTF8ToString(scenario_json));
});
EM_JS(void, host_store, (const char* key, const char* value), {
  Module.playgroundHost.store(UTF8ToString(key), UTF8ToString(value));
});
EM_JS(int, host_flag, (const char* name), { return Module.playgroundHost.flag(UTF8ToString(name)) ? 1 : 0; });
// Returns a malloc'ed UTF-8 copy of a page string ("url", "fragment", "session", or "stored:<key>" for what the
// browser keeps in localStorage); the caller frees it.
EM_JS(char*, host_text, (const char* name), {
  var text = String(Module.playgroundHost.text(UTF8ToString(name)) || "");
  var size = lengthBytesUTF8(text) + 1;
  var pointer = _malloc(size);
  stringToUTF8(text, pointer, size);
  return pointer;
});
// The WebM writer (web/platform/glue_record.js): one entry point for its steps (pgweb::Host::WebmStep).
EM_JS(int, host_webm, (int step, const uint8_t* rgba, int width, int height, double fps), {
  return Module.playgroundRecord ? Module.playgroundRecord.step(step, rgba, width, height, fps) : 0;
});
// clang-format on

namespace {

std::string page_text(const char* name) {
  char* text = host_text(name);
  std::string out = text ? text : "";
  std::free(text);
  return out;
}

constexpr const char* canvas_selector = "#canvas";
constexpr const char* glsl_version = "#version 300 es";

struct Platform {
  GLFWwindow* window = nullptr;
  std::unique_ptr<pgweb::App> app;
  pgweb::PageOptions options;
  float pixel_ratio = 1.0f;       // the ratio the font atlas was built for
  float font_scale = 1.0f;        // the text size the font atlas was built for
  double last_frame_s = 0.0;
  uint64_t frames = 0;
  int screenshot_mode = -1;       // >= 0: capture the canvas right after this frame is drawn
  bool context_lost = false;      // WebGL context lost: frames run, nothing is drawn until it is restored
  uint32_t context_restores = 0;
  std::string text_result;        // backs the strings returned to JS until the next call
  // CPU time of the last frames (engine slice + UI + GL command submission), milliseconds, for benchmarks.
  static constexpr size_t frame_times_kept = 600;
  std::vector<float> frame_cpu_ms, frame_engine_ms;
  // Keys pressed since the last frame began, and releases held back a frame (see key_callback).
  GLFWkeyfun imgui_key_callback = nullptr;
  std::vector<int> keys_pressed_this_frame;
  struct KeyEvent { int key, scancode, mods; };
  std::vector<KeyEvent> held_releases;
};

// The one mutable global of the app: the exported pg_* functions JavaScript calls and the main-loop callback carry
// no user pointer, so they reach the platform state (and through it the App) here. Nothing else is global.
Platform platform;

// ImGui 1.86 reads the keyboard once a frame (io.KeysDown), so a key pressed and released between two frames (a
// quick Backspace or Enter, or a test typing) was never seen down and did nothing. Such a release is held back and
// delivered after the frame that sees the key down; the other events go to the backend's callback as they come.
void key_callback(GLFWwindow* window, int key, int scancode, int action, int mods) {
  auto& pressed = platform.keys_pressed_this_frame;
  const bool pressed_now = std::find(pressed.begin(), pressed.end(), key) != pressed.end();
  if (action == GLFW_RELEASE && pressed_now) {
    platform.held_releases.push_back({key, scancode, mods});
    return;
  }
  if (action == GLFW_PRESS) {
    pressed.push_back(key);
    // Pressed again before its held release went out: the key is down; forget that release.
    auto& held = platform.held_releases;
    held.erase(std::remove_if(held.begin(), held.end(), [key](const Platform::KeyEvent& e) { return e.key == key; }),
               held.end());
  }
  if (platform.imgui_key_callback) platform.imgui_key_callback(window, key, scancode, action, mods);
}

// After a frame: the held releases go out (the next frame sees those keys up) and a new frame's presses begin.
void release_held_keys() {
  std::vector<Platform::KeyEvent> held;
  held.swap(platform.held_releases);
  platform.keys_pressed_this_frame.clear();
  if (!platform.imgui_key_callback) return;
  for (const Platform::KeyEvent& e : held)
    platform.imgui_key_callback(platform.window, e.key, e.scancode, GLFW_RELEASE, e.mods);
}

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

// The font atlas is rasterised at CSS size x pixel ratio x text size, so text stays crisp at any of them.
// `force`: the glyphs changed (the Chinese font arrived).
void refresh_fonts(float pixel_ratio, float font_scale, bool force = false) {
  if (!force && pixel_ratio == platform.pixel_ratio && font_scale == platform.font_scale && platform.frames > 0) return;
  platform.pixel_ratio = pixel_ratio;
  platform.font_scale = font_scale;
  pgweb::load_fonts(pixel_ratio * font_scale, pgweb::cjk_font_data(), pgweb::cjk_font_size());
  ImGui::GetIO().FontGlobalScale = 1.0f / pixel_ratio;
  // The backend's NewFrame only recreates its device objects when the shader is missing, so the font texture is
  // replaced here explicitly.
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
}

EM_BOOL on_context_lost(int, const void*, void*) {
  platform.context_lost = true;
  if (platform.app) platform.app->graphics_lost();
  return EM_TRUE;   // preventDefault: tells the browser the page can restore it
}

EM_BOOL on_context_restored(int, const void*, void*) {
  // Every object of the old context is gone (deleting the stale names only warns). The backend is shut down and
  // initialised again rather than asked to recreate its device objects: ImGui 1.86's DestroyDeviceObjects keeps
  // the vertex and index buffer sizes, so the new, empty buffers would be written past their end. Its next
  // NewFrame makes the program, the buffers and the font texture again.
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplOpenGL3_Init(glsl_version);
  while (glGetError() != GL_NO_ERROR) {
    // The stale deletes' INVALID_OPERATION must not be taken for a failure of the first GL setup that follows.
  }
  platform.context_lost = false;
  ++platform.context_restores;
  if (platform.app) platform.app->graphics_restored();
  return EM_TRUE;
}

// A recording's frame (web/panels/record.cpp): the "Main view" window and its child windows alone (no dialog, popup,
// tooltip or other panel over it), drawn, then the view's rectangle read back, top row first, before the full frame
// is drawn over it. Same task as the drawing, so the WebGL buffer still holds it.
ImDrawData main_view_only(ImDrawData* full) {
  static ImVector<ImDrawList*> lists;
  lists.resize(0);
  ImDrawData part = *full;
  part.TotalVtxCount = part.TotalIdxCount = 0;
  for (int i = 0; i < full->CmdListsCount; ++i) {
    ImDrawList* list = full->CmdLists[i];
    const char* owner = list->_OwnerName ? list->_OwnerName : "";
    if (std::strncmp(owner, "Main view", 9) != 0 || (owner[9] != '\0' && owner[9] != '/')) continue;
    lists.push_back(list);
    part.TotalVtxCount += list->VtxBuffer.Size;
    part.TotalIdxCount += list->IdxBuffer.Size;
  }
  part.CmdLists = lists.Data;
  part.CmdListsCount = lists.Size;
  return part;
}

void read_main_view(const ImDrawData* full, const pgweb::WidgetRect& region, const CanvasSize& canvas) {
  const float sx = full->FramebufferScale.x, sy = full->FramebufferScale.y;
  const int x = std::max(0, (int)std::floor(region.x * sx)), y = std::max(0, (int)std::floor(region.y * sy));
  const int width = std::min((int)std::floor(region.width * sx), canvas.pixel_width - x);
  const int height = std::min((int)std::floor(region.height * sy), canvas.pixel_height - y);
  if (width < 2 || height < 2) return;
  static std::vector<uint8_t> rows, pixels;
  rows.resize((size_t)width * height * 4);
  pixels.resize(rows.size());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(x, canvas.pixel_height - y - height, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rows.data());
  const size_t stride = (size_t)width * 4;
  for (int row = 0; row < height; ++row)   // GL's rows go bottom-up
    std::memcpy(pixels.data() + (size_t)row * stride, rows.data() + (size_t)(height - 1 - row) * stride, stride);
  platform.app->captured(pixels.data(), width, height);
}

void frame() {
  const double frame_start_ms = emscripten_get_now();
  const CanvasSize canvas = fit_canvas_to_css_box();
  const bool glyphs_changed = pgweb::language_frame(*platform.app);
  if (!platform.context_lost) refresh_fonts(canvas.pixel_ratio, platform.app->font_scale(), glyphs_changed);

  if (!platform.context_lost) ImGui_ImplOpenGL3_NewFrame();
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
  pgweb::draw_font_progress();
  ImGui::Render();

  if (!platform.context_lost) {
    glViewport(0, 0, canvas.pixel_width, canvas.pixel_height);
    // A frame to record is drawn twice: the main view alone, read back, then the page (one call site of the backend's
    // draw: a second one would stop it being inlined, 1 KB more to download).
    pgweb::WidgetRect region;
    ImDrawData* full = ImGui::GetDrawData();
    ImDrawData part = platform.app->capture_wanted(region) ? main_view_only(full) : ImDrawData();
    for (ImDrawData* data : {&part, full}) {
      if (!data->Valid) continue;
      glClearColor(0.055f, 0.063f, 0.075f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(data);
      if (data == &part) read_main_view(full, region, canvas);
    }
  }
  release_held_keys();
  ++platform.frames;
  if (platform.frame_cpu_ms.size() >= Platform::frame_times_kept) {
    platform.frame_cpu_ms.erase(platform.frame_cpu_ms.begin());
    platform.frame_engine_ms.erase(platform.frame_engine_ms.begin());
  }
  platform.frame_cpu_ms.push_back((float)(emscripten_get_now() - frame_start_ms));
  platform.frame_engine_ms.push_back((float)platform.app->last_engine_ms());
  // Read the drawing buffer now, in the same task that drew it: WebGL clears it once the page is composited.
  if (platform.screenshot_mode >= 0 && !platform.context_lost) {
    host_capture_canvas(platform.screenshot_mode);
    platform.screenshot_mode = -1;
  }
}

}  // namespace

// ---- entry points for window.playground (web/platform/glue.js) ---------------------------------------------------------------

namespace {

const char* keep_text(std::string text) {
  platform.text_result = std::move(text);
  return platform.text_result.c_str();
}

std::string errors_json(const std::vector<std::string>& errors) { return nlohmann::json(errors).dump(); }

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE uint32_t pg_frames() { return (uint32_t)std::min<uint64_t>(platform.frames, UINT32_MAX); }
EMSCRIPTEN_KEEPALIVE double pg_clock_s() { return platform.app ? platform.app->clock_s() : 0.0; }
EMSCRIPTEN_KEEPALIVE double pg_events_processed() {
  return platform.app ? (double)platform.app->events_processed() : 0.0;
}
EMSCRIPTEN_KEEPALIVE int pg_playing() { return platform.app && platform.app->playing() ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE int pg_finished() {
  return platform.app && platform.app->simulation() && platform.app->simulation()->finished() ? 1 : 0;
}
EMSCRIPTEN_KEEPALIVE void pg_play() {
  if (platform.app) platform.app->play();
}
EMSCRIPTEN_KEEPALIVE void pg_pause() {
  if (platform.app) platform.app->pause();
}
EMSCRIPTEN_KEEPALIVE void pg_reset() {
  if (platform.app) platform.app->reset();
}
// The job-starting calls return the job's id (as a double: ids pass 2^32 only after billions of jobs); 0: none.
EMSCRIPTEN_KEEPALIVE double pg_seek(double t_s) { return platform.app ? (double)platform.app->seek(t_s) : 0.0; }
EMSCRIPTEN_KEEPALIVE double pg_run_to_end() { return platform.app ? (double)platform.app->run_to_end() : 0.0; }
EMSCRIPTEN_KEEPALIVE double pg_check() { return platform.app ? (double)platform.app->check() : 0.0; }
EMSCRIPTEN_KEEPALIVE double pg_step_job() { return platform.app ? (double)platform.app->step() : 0.0; }
// The job the last call of any kind started (intervene, openLink, loadScenario ... start one too); 0: none.
EMSCRIPTEN_KEEPALIVE double pg_last_job() { return platform.app ? (double)platform.app->last_job_id() : 0.0; }
EMSCRIPTEN_KEEPALIVE int pg_busy() { return platform.app && platform.app->busy() ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE void pg_cancel_job() {
  if (platform.app) platform.app->cancel_job();
}
EMSCRIPTEN_KEEPALIVE int pg_context_lost() { return platform.context_lost ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE uint32_t pg_context_restores() { return platform.context_restores; }
EMSCRIPTEN_KEEPALIVE void pg_set_speed(double speed) {
  if (platform.app) platform.app->set_speed(speed);
}
EMSCRIPTEN_KEEPALIVE double pg_speed() { return platform.app ? platform.app->speed() : 0.0; }
EMSCRIPTEN_KEEPALIVE void pg_set_reduced_motion(int reduced) {
  if (platform.app) platform.app->set_reduced_motion(reduced != 0);
}

// The returned strings stay valid until the next call of any pg_* function returning text.
EMSCRIPTEN_KEEPALIVE const char* pg_report_json() {
  return keep_text(platform.app ? platform.app->report_json() : "null");
}
EMSCRIPTEN_KEEPALIVE const char* pg_trace_hash() { return keep_text(platform.app ? platform.app->trace_hash_hex() : ""); }
EMSCRIPTEN_KEEPALIVE const char* pg_scenario_name() {
  return keep_text(platform.app ? platform.app->scenario().name : "");
}
EMSCRIPTEN_KEEPALIVE const char* pg_scenario_json() {
  return keep_text(platform.app ? platform.app->scenario_json() : "null");
}
EMSCRIPTEN_KEEPALIVE const char* pg_job_json() { return keep_text(platform.app ? platform.app->job_json() : "{}"); }
EMSCRIPTEN_KEEPALIVE const char* pg_job_outcome(double id) {
  return keep_text(platform.app ? platform.app->job_outcome((uint64_t)id) : "failed");
}
// Loaders return a JSON array of error messages: [] when the scenario was loaded.
EMSCRIPTEN_KEEPALIVE const char* pg_load_scenario(const char* json_text, const char* source) {
  if (!platform.app) return keep_text("[\"the app is not running\"]");
  return keep_text(errors_json(platform.app->load_scenario_text(json_text, source && *source ? source : "text")));
}
EMSCRIPTEN_KEEPALIVE const char* pg_load_builtin(int index) {
  if (!platform.app || index < 0) return keep_text("[\"no such built-in scenario\"]");
  return keep_text(errors_json(platform.app->load_builtin((size_t)index)));
}
EMSCRIPTEN_KEEPALIVE const char* pg_open_link(const char* link) {
  if (!platform.app) return keep_text("[\"the app is not running\"]");
  return keep_text(errors_json(platform.app->open_link(link)));
}
EMSCRIPTEN_KEEPALIVE const char* pg_intervene(const char* json_text) {
  if (!platform.app) return keep_text("[\"the app is not running\"]");
  return keep_text(errors_json(platform.app->intervene_json(json_text)));
}
EMSCRIPTEN_KEEPALIVE const char* pg_course_json() { return keep_text(platform.app ? platform.app->course_json() : "{}"); }
EMSCRIPTEN_KEEPALIVE const char* pg_course_text() { return keep_text(platform.app ? platform.app->course_text() : ""); }
EMSCRIPTEN_KEEPALIVE const char* pg_open_course_exercise(int index) {
  if (!platform.app || index < 0) return keep_text("[\"no such exercise in the course\"]");
  return keep_text(errors_json(platform.app->open_course_exercise((size_t)index)));
}
EMSCRIPTEN_KEEPALIVE void pg_close_course() {
  if (platform.app) platform.app->close_course();
}
EMSCRIPTEN_KEEPALIVE void pg_download_course() {
  if (platform.app) platform.app->download_course();
}
EMSCRIPTEN_KEEPALIVE const char* pg_guide_json() { return keep_text(platform.app ? platform.app->guide_json() : "{}"); }
EMSCRIPTEN_KEEPALIVE const char* pg_glossary_json() {
  return keep_text(platform.app ? platform.app->glossary_json() : "{}");
}
EMSCRIPTEN_KEEPALIVE void pg_open_glossary(int open) {
  if (platform.app) platform.app->open_glossary(open != 0);
}
// The editor's core (docs/editor.md): the JSON editor's state, and whether Edit > Undo / Redo have something to do.
EMSCRIPTEN_KEEPALIVE const char* pg_json_editor_json() {
  return keep_text(platform.app ? platform.app->json_editor_json() : "{}");
}
EMSCRIPTEN_KEEPALIVE int pg_undo_state() {
  return platform.app ? (platform.app->can_undo() ? 1 : 0) | (platform.app->can_redo() ? 2 : 0) : 0;
}
// The phone layout's panel: 0 the views, 1 the scenario, 2 the inspector, 3 the log.
EMSCRIPTEN_KEEPALIVE void pg_set_phone_panel(int panel) {
  if (platform.app && panel >= 0 && panel <= 3) platform.app->set_phone_panel((pgweb::App::PhonePanel)panel);
}
EMSCRIPTEN_KEEPALIVE const char* pg_link() { return keep_text(platform.app ? platform.app->link() : ""); }
EMSCRIPTEN_KEEPALIVE const char* pg_csv() { return keep_text(platform.app ? platform.app->metrics_csv() : ""); }
EMSCRIPTEN_KEEPALIVE void pg_copy_link() {
  if (platform.app) platform.app->copy_link();
}
// The QR code view of the share link (web/panels/qr_view.cpp).
EMSCRIPTEN_KEEPALIVE void pg_show_qr() {
  if (platform.app) platform.app->show_qr();
}
EMSCRIPTEN_KEEPALIVE void pg_close_qr() {
  if (platform.app) platform.app->close_qr();
}
EMSCRIPTEN_KEEPALIVE const char* pg_qr_json() { return keep_text(platform.app ? platform.app->qr_json() : "{}"); }
EMSCRIPTEN_KEEPALIVE void pg_download_qr() {
  if (platform.app) platform.app->download_qr_png();
}
EMSCRIPTEN_KEEPALIVE void pg_download_scenario() {
  if (platform.app) platform.app->download_scenario();
}
EMSCRIPTEN_KEEPALIVE void pg_download_csv() {
  if (platform.app) platform.app->download_csv();
}
// mode 0: download a PNG; mode 1: hand a data URL to window.playground's pending screenshot() promise.
EMSCRIPTEN_KEEPALIVE void pg_request_screenshot(int mode) { platform.screenshot_mode = mode; }
EMSCRIPTEN_KEEPALIVE const char* pg_library_json() {
  nlohmann::json out = nlohmann::json::array();
  for (const pgweb::LibraryEntry& entry : pgweb::scenario_library())
    out.push_back({{"file", entry.file}, {"name", entry.name}, {"group", entry.group}, {"valid", entry.valid},
                   {"error", entry.error}});
  return keep_text(out.dump());
}
EMSCRIPTEN_KEEPALIVE const char* pg_message_json() {
  if (!platform.app) return keep_text("{}");
  return keep_text(nlohmann::json{{"text", platform.app->message()},
                                  {"detail", platform.app->message_detail()},
                                  {"error", platform.app->message_is_error()}}
                       .dump());
}
EMSCRIPTEN_KEEPALIVE const char* pg_charts_json() {
  nlohmann::json out = nlohmann::json::array();
  if (platform.app)
    for (const auto& [title, points] : platform.app->chart_points()) out.push_back({{"title", title}, {"points", points}});
  return keep_text(out.dump());
}
// What the mechanism views drew last: {"view": "Ring", "ring": {"points": 640, ...}, ...}.
EMSCRIPTEN_KEEPALIVE const char* pg_view_stats_json() {
  return keep_text(platform.app ? platform.app->view_stats_json() : "{}");
}
EMSCRIPTEN_KEEPALIVE void pg_select_view(const char* name) {
  if (platform.app) platform.app->select_view(name);
}
// CPU milliseconds of the last frames (oldest first), whole frame and the engine's slice: {"frame":[..],"engine":[..]}.
EMSCRIPTEN_KEEPALIVE const char* pg_frame_times_json() {
  return keep_text(nlohmann::json{{"frame", platform.frame_cpu_ms}, {"engine", platform.frame_engine_ms}}.dump());
}
EMSCRIPTEN_KEEPALIVE void pg_clear_frame_times() {
  platform.frame_cpu_ms.clear();
  platform.frame_engine_ms.clear();
}

// The loaded exercise's goals on the current run: {"exercise": false} when the scenario has no goals.
EMSCRIPTEN_KEEPALIVE const char* pg_editors_json() { return keep_text(platform.app ? platform.app->editors_json() : "[]"); }
EMSCRIPTEN_KEEPALIVE const char* pg_goals_json() { return keep_text(platform.app ? platform.app->goals_json() : "{}"); }
EMSCRIPTEN_KEEPALIVE const char* pg_author_json() { return keep_text(platform.app ? platform.app->author_json() : "{}"); }
// ---- the Sweep ----
// channel: 0 the Sweep's runs, 1 the Compare's pairs (glue_sweep.js keeps their workers apart).
EMSCRIPTEN_KEEPALIVE void pg_sweep_result(int channel, double id, const char* answer_json) {
  if (platform.app && id >= 0) platform.app->sweep_result((size_t)id, answer_json ? answer_json : "", channel);
}
EMSCRIPTEN_KEEPALIVE void pg_sweep_failed(int channel, const char* why) {
  if (platform.app) platform.app->sweep_failed(why ? why : "", channel);
}
// ---- Compare (A/B) ----
EMSCRIPTEN_KEEPALIVE const char* pg_start_compare(const char* changes) {
  return keep_text(nlohmann::json(platform.app ? platform.app->start_compare(changes ? changes : "")
                                               : std::vector<std::string>{"not running"}).dump());
}
EMSCRIPTEN_KEEPALIVE void pg_stop_compare() {
  if (platform.app) platform.app->stop_compare();
}
EMSCRIPTEN_KEEPALIVE void pg_compare_options(int split, int editing_b) {
  if (!platform.app) return;
  if (split >= 0) platform.app->set_compare_split(split != 0);
  if (editing_b >= 0) platform.app->set_editing_b(editing_b != 0);
}
EMSCRIPTEN_KEEPALIVE const char* pg_compare_seeds(int seeds, int workers) {
  return keep_text(nlohmann::json(platform.app ? platform.app->start_compare_seeds(seeds, workers)
                                               : std::vector<std::string>{"not running"}).dump());
}
EMSCRIPTEN_KEEPALIVE const char* pg_compare_json() { return keep_text(platform.app ? platform.app->compare_json() : "{}"); }
// {"param", "values", "seeds", "metrics": [...], "workers"} -> the problems as a JSON list (empty: started).
EMSCRIPTEN_KEEPALIVE const char* pg_start_sweep(const char* spec_json) {
  const nlohmann::json spec = nlohmann::json::parse(spec_json ? spec_json : "", nullptr, false);
  std::vector<std::string> problems;
  if (!platform.app) problems.push_back("not running");
  else if (!spec.is_object()) problems.push_back("the sweep's options are not a JSON object");
  else {
    pgweb::SweepSpec s;
    s.path = spec.value("param", std::string());
    s.values = spec.value("values", std::string());
    s.seeds = spec.value("seeds", 5);
    if (spec.contains("metrics") && spec["metrics"].is_array())
      for (const nlohmann::json& m : spec["metrics"])
        if (m.is_string()) s.metrics.push_back(m.get<std::string>());
    problems = platform.app->start_sweep(s, spec.value("workers", 0));
  }
  return keep_text(nlohmann::json(problems).dump());
}
EMSCRIPTEN_KEEPALIVE const char* pg_sweep_json() { return keep_text(platform.app ? platform.app->sweep_json() : "{}"); }
EMSCRIPTEN_KEEPALIVE void pg_cancel_sweep() {
  if (platform.app) platform.app->cancel_sweep();
}
EMSCRIPTEN_KEEPALIVE void pg_open_sweep() {
  if (platform.app) platform.app->open_sweep();
}
EMSCRIPTEN_KEEPALIVE const char* pg_open_sweep_run(double value) {
  return keep_text(nlohmann::json(platform.app ? platform.app->open_sweep_run((size_t)value)
                                               : std::vector<std::string>{"not running"}).dump());
}
// The run as text for the page's screen-reader region (web/panels/spoken.cpp; glue.js writes it into the DOM).
EMSCRIPTEN_KEEPALIVE const char* pg_spoken_json() {
  return keep_text(platform.app ? platform.app->spoken_report_json() : "{}");
}
// Presentation mode (key F) and the embed snippet (File > Copy embed code), for web/platform/glue_present.js.
EMSCRIPTEN_KEEPALIVE int pg_presenting() { return platform.app && platform.app->presenting() ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE void pg_set_presenting(int on) {
  if (platform.app) platform.app->set_presenting(on != 0);
}
EMSCRIPTEN_KEEPALIVE const char* pg_embed_code() { return keep_text(platform.app ? platform.app->embed_code() : ""); }
EMSCRIPTEN_KEEPALIVE void pg_copy_embed_code() {
  if (platform.app) platform.app->copy_embed_code();
}
// Recording (web/panels/record.cpp): "" when started, else why not (NaN or "": the default). The GIF's bytes stay in
// the wasm heap until the next recording starts.
EMSCRIPTEN_KEEPALIVE const char* pg_record_start(double from_s, double to_s, double fps, double speed, const char* view,
                                                 int webm, int half) {
  return keep_text(platform.app ? platform.app->start_recording(from_s, to_s, fps, speed, view ? view : "", webm != 0,
                                                               half != 0)
                                : "not running");
}
EMSCRIPTEN_KEEPALIVE void pg_record_cancel() {
  if (platform.app) platform.app->cancel_recording();
}
EMSCRIPTEN_KEEPALIVE void pg_record_dialog() {
  if (platform.app) platform.app->open_record_dialog();
}
EMSCRIPTEN_KEEPALIVE const char* pg_record_json() { return keep_text(platform.app ? platform.app->recording_json() : "{}"); }
EMSCRIPTEN_KEEPALIVE const uint8_t* pg_record_gif() { return platform.app ? platform.app->recorded_gif().data() : nullptr; }
EMSCRIPTEN_KEEPALIVE double pg_record_gif_size() {
  return platform.app ? (double)platform.app->recorded_gif().size() : 0.0;
}
EMSCRIPTEN_KEEPALIVE void pg_record_webm_done(double bytes, int ok) {
  if (platform.app) platform.app->webm_finished(bytes, ok != 0);
}
// Widget rectangles in CSS pixels, as JSON: {"play":[x,y,width,height], ...}.
EMSCRIPTEN_KEEPALIVE const char* pg_layout_json() {
  nlohmann::json out = nlohmann::json::object();
  if (platform.app)
    for (const auto& [name, rect] : platform.app->widget_rects()) out[name] = {rect.x, rect.y, rect.width, rect.height};
  return keep_text(out.dump());
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
  io.IniFilename = nullptr;  // panels are docked by the layout; nothing to persist
  pgweb::apply_theme();
  pgweb::start_language();   // before the fonts: a Chinese page brings its font's bytes
  refresh_fonts(canvas.pixel_ratio, 1.0f);
  ImGui_ImplGlfw_InitForOpenGL(platform.window, true);
  platform.imgui_key_callback = glfwSetKeyCallback(platform.window, key_callback);  // ours first (key_callback)
  ImGui_ImplOpenGL3_Init(glsl_version);

  pgweb::Host host;
  host.copy_text = [](const std::string& text) { host_copy_text(text.c_str()); };
  host.download = [](const std::string& name, const std::string& mime, const std::string& content) {
    host_download(name.c_str(), mime.c_str(), content.c_str());
  };
  host.download_bytes = [](const std::string& name, const std::string& mime, const std::string& bytes) {
    host_download_bytes(name.c_str(), mime.c_str(), bytes.data(), (int)bytes.size());
  };
  host.open_file_picker = [] { host_open_file_picker(); };
  host.sweep_start = [](const std::string& jobs, int workers, int channel) {
    host_sweep_start(jobs.c_str(), workers, channel);
  };
  host.sweep_cancel = [](int channel) { host_sweep_cancel(channel); };
  host.request_screenshot = [] { platform.screenshot_mode = 0; };
  host.page_url = [] { return page_text("url"); };
  host.save_session = [](const std::string& scenario_json) { host_save_session(scenario_json.c_str()); };
  host.set_language = [](pgweb::Lang lang) { pgweb::request_language(lang); };
  host.webm = [](pgweb::Host::WebmStep step, const uint8_t* rgba, int width, int height, double fps) {
    return host_webm((int)step, rgba, width, height, fps);
  };
  host.store = [](const std::string& key, const std::string& value) { host_store(key.c_str(), value.c_str()); };
  host.stored = [](const std::string& key) {
    return page_text(("stored:" + key).c_str());   // host_text reads localStorage for "stored:<key>"
  };
  // Read before the app exists: building it saves its first scenario over what a reload left.
  const std::string session = page_text("session");
  platform.options = pgweb::parse_page_options([](const char* name) { return page_text((std::string("query:") + name).c_str()); });
  platform.options.reduced_motion = host_flag("reduced_motion") != 0;
  platform.app = std::make_unique<pgweb::App>(std::move(host), platform.options);
  // A reload finds the scenario it had (with its interventions) in sessionStorage; the page hands it over only when
  // the address still carries the link it had then. Otherwise a link opened the page: its scenario replaces the
  // built-in one (a bad link leaves a message instead).
  if (session.empty() || !platform.app->restore_session(session).empty()) platform.app->open_link(page_text("fragment"));
  platform.app->apply_start_options();   // view=, speed=, t=, autoplay=1: on the scenario the page opened with
  emscripten_set_webglcontextlost_callback(canvas_selector, nullptr, EM_TRUE, on_context_lost);
  emscripten_set_webglcontextrestored_callback(canvas_selector, nullptr, EM_TRUE, on_context_restored);

  // fps 0: the browser's animation frames; simulate_infinite_loop: main never returns, the platform lives on.
  emscripten_set_main_loop(frame, 0, true);
  return 0;
}
