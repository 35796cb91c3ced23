// File > Record...: a GIF or a WebM of one main-view tab over a range of simulated time (docs/recording.md).
// Frame by frame, never in real time: for frame k the run is simulated exactly to from + k * speed / fps, the frame
// is drawn, and the platform reads back the view's rectangle (web/platform/main_web.cpp draws the "Main view"
// window alone for it, so the dialog, tooltips and popups are never in the picture). One frame per animation
// frame, so the page stays responsive, with a progress bar and Cancel. The GIF is written here (web/record/gif.hpp);
// the WebM by the page (WebCodecs, web/platform/glue_record.js).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>

#include <cstdio>

#include <imgui.h>

#include "web/app.hpp"
#include "web/strings.hpp"
#include "web/views/views.hpp"

namespace pgweb {

namespace {

constexpr const char* view_names[] = {"Charts", "Architecture", "Ring", "Locks", "Queues"};
constexpr StrId view_labels[] = {StrId::tab_charts, StrId::tab_architecture, StrId::tab_ring, StrId::tab_locks,
                                 StrId::tab_queues};

std::string size_text(double bytes) {
  return bytes < 1024 * 1024 ? text_format(StrId::size_kb, bytes / 1024) : text_format(StrId::size_mb, bytes / 1048576);
}

// Box average of shrink x shrink blocks, rounded; the output is width x height (the input at least that times shrink).
void shrink_pixels(const uint8_t* in, int in_width, int shrink, int width, int height, std::vector<uint8_t>& out) {
  out.resize((size_t)width * height * 4);
  const int n = shrink * shrink;
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < 4; ++c) {
        int sum = 0;
        for (int dy = 0; dy < shrink; ++dy)
          for (int dx = 0; dx < shrink; ++dx) sum += in[((size_t)(y * shrink + dy) * in_width + (x * shrink + dx)) * 4 + c];
        out[((size_t)y * width + x) * 4 + c] = (uint8_t)((sum + n / 2) / n);
      }
}

int frame_count(const RecordSettings& s) { return (int)std::llround((s.to_s - s.from_s) / s.speed * s.fps); }

}  // namespace

bool App::recording() const {
  return record_.phase == RecordPhase::seeking || record_.phase == RecordPhase::settling ||
         record_.phase == RecordPhase::capturing || record_.phase == RecordPhase::finishing;
}

void App::open_record_dialog() {
  if (!recording()) {
    const double end_s = sim() ? pg::ns_to_s(sim()->end_ns()) : 0;
    record_.settings.from_s = std::floor(clock_s() * 100) / 100;
    record_.settings.to_s = std::min(record_.settings.from_s + 5, end_s);
    record_.settings.view = active_view_;
  }
  record_.open_requested = true;
}

pg::time_ns App::record_frame_ns(int k) const {
  const RecordSettings& s = record_.running;
  return pg::s_to_ns(s.from_s) + (pg::time_ns)std::llround((double)k * s.speed / s.fps * 1e9);
}

std::string App::start_recording(RecordSettings s) {
  if (recording()) return text(StrId::record_busy);
  if (!sim()) return text(StrId::charts_no_run);
  const double end_s = pg::ns_to_s(sim()->end_ns());
  if (!(s.fps >= 1)) s.fps = 1;   // also NaN
  s.fps = std::min(s.fps, 30.0);
  if (!(s.speed >= 0.01)) s.speed = 0.01;
  s.speed = std::min(s.speed, 1000.0);
  if (!(s.from_s >= 0)) s.from_s = 0;
  s.from_s = std::min(s.from_s, end_s);
  if (!(s.to_s <= end_s)) s.to_s = end_s;
  if (!(s.to_s > s.from_s) || frame_count(s) < 1) return text(StrId::record_bad_range);
  if (frame_count(s) > record_frames_max) return text_format(StrId::record_too_many, record_frames_max);
  if (std::find(std::begin(view_names), std::end(view_names), s.view) == std::end(view_names)) s.view = active_view_;
  s.shrink = s.shrink == 2 ? 2 : 1;
  if (s.format == RecordFormat::webm &&
      (!host_.webm || !host_.webm(Host::WebmStep::begin, nullptr, 0, 0, s.fps)))
    return text(StrId::record_no_webm);
  pause();
  record_.running = s;
  record_.settings = s;
  record_.total = frame_count(s);
  record_.done = 0;
  record_.width = record_.height = 0;
  record_.webm_bytes = 0;
  record_.capture_now = false;
  record_.error.clear();
  record_.gif_writer.reset();
  record_.gif_bytes.clear();
  record_.open_requested = true;
  // Animations keyed to the clock (the ring's moved keys) start again on the recording's own clock.
  views_->ring_animations.clear();
  select_view(s.view);
  record_.phase = RecordPhase::seeking;
  session_->seek(s.from_s);   // a job when the run must move (backwards: simulated again from zero)
  return "";
}

std::string App::start_recording(double from_s, double to_s, double fps, double speed, const std::string& view,
                                 bool webm, bool half) {
  RecordSettings s;
  s.from_s = std::isnan(from_s) ? clock_s() : from_s;
  s.to_s = std::isnan(to_s) ? s.from_s + 5 : to_s;
  s.fps = std::isnan(fps) ? 10 : fps;
  s.speed = std::isnan(speed) ? 1 : speed;
  s.view = view.empty() ? active_view_ : view;
  s.format = webm ? RecordFormat::webm : RecordFormat::gif;
  s.shrink = half ? 2 : 1;
  return start_recording(s);
}

void App::record_fail(const std::string& why) {
  if (record_.running.format == RecordFormat::webm && host_.webm) host_.webm(Host::WebmStep::cancel, nullptr, 0, 0, 0);
  record_.gif_writer.reset();
  record_.capture_now = false;
  record_.error = why;
  record_.phase = RecordPhase::failed;
}

void App::cancel_recording() {
  if (!recording()) return;
  if (record_.phase == RecordPhase::seeking && busy()) session_->cancel();
  record_fail(text(StrId::record_cancelled));
}

void App::record_advance() {
  RecordUi& r = record_;
  if (!sim()) return record_fail(text(StrId::record_interrupted));
  if (r.phase == RecordPhase::seeking) {   // the seek job is done (advance() runs jobs before this)
    if (sim()->now_ns() != record_frame_ns(0)) return record_fail(text(StrId::record_interrupted));
    r.phase = RecordPhase::settling;
    r.settle_frames = r.settle_same = 0;
    r.settle_hash = 0;
  }
  if (r.phase == RecordPhase::settling) {
    // The tab comes to the front, then the picture at `from` is read back each frame until three frames in a row
    // are alike: ImGui's tables fit their columns over several frames (the ring view's table took ten), so the first
    // frames after a view appears depend on how long it has been shown, not on the simulation.
    if (active_view_ != r.running.view) return select_view(r.running.view);
    invalidate_report();
    report_events_ = UINT64_MAX;
    r.capture_now = true;
    return;
  }
  if (r.phase != RecordPhase::capturing || r.capture_now) return;
  const pg::time_ns target = record_frame_ns(r.done);
  if (sim()->now_ns() > target || sim()->finished()) return record_fail(text(StrId::record_interrupted));
  // Simulate exactly to the frame's time, in slices within a frame's job budget; the capture waits when it takes
  // longer (the picture never depends on how the work was sliced).
  const auto started = std::chrono::steady_clock::now();
  while (sim()->now_ns() < target) {
    sim()->advance(events_per_slice * 16, target);
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() >= job_frame_budget_s) break;
  }
  if (sim()->now_ns() != target) return;
  if (r.running.format == RecordFormat::webm && r.done > 0) {
    const int ready = host_.webm(Host::WebmStep::ready, nullptr, 0, 0, 0);
    if (ready == 2) return record_fail(text(StrId::record_webm_failed));
    if (ready != 1) return;   // the encoder is behind: let it catch up first
  }
  invalidate_report();   // the charts read the report at exactly this time
  report_events_ = UINT64_MAX;
  r.capture_now = true;
}

bool App::capture_wanted(WidgetRect& rect) const {
  if ((record_.phase != RecordPhase::capturing && record_.phase != RecordPhase::settling) || !record_.capture_now ||
      active_view_ != record_.running.view)
    return false;
  rect = record_.region;
  return rect.width >= 2 && rect.height >= 2;
}

void App::captured(const uint8_t* rgba, int width, int height) {
  RecordUi& r = record_;
  if (!r.capture_now) return;
  r.capture_now = false;
  if (r.phase == RecordPhase::settling) {   // a look at the picture: still changing?
    uint64_t hash = 14695981039346656037ull ^ (uint64_t)width << 32 ^ (uint64_t)height;
    for (size_t i = 0, n = (size_t)width * height * 4; i < n; ++i) hash = (hash ^ rgba[i]) * 1099511628211ull;
    r.settle_same = hash == r.settle_hash ? r.settle_same + 1 : 0;
    r.settle_hash = hash;
    if (r.settle_same >= 2 || ++r.settle_frames >= record_settle_frames_max) r.phase = RecordPhase::capturing;
    return;
  }
  const int shrink = r.running.shrink;
  const int out_width = (width / shrink) & ~1, out_height = (height / shrink) & ~1;   // even: VP8 wants it
  if (r.done == 0) {
    if (out_width < 2 || out_height < 2) return record_fail(text(StrId::record_view_resized));
    r.width = out_width, r.height = out_height;
    if (r.running.format == RecordFormat::gif)
      r.gif_writer = std::make_unique<gif::Encoder>(r.width, r.height, r.running.fps);
  } else if (out_width != r.width || out_height != r.height) {
    return record_fail(text(StrId::record_view_resized));
  }
  shrink_pixels(rgba, width, shrink, r.width, r.height, r.shrunk);
  if (r.gif_writer) r.gif_writer->add_rgba(r.shrunk.data());
  else if (host_.webm) host_.webm(Host::WebmStep::frame, r.shrunk.data(), r.width, r.height, r.running.fps);
  if (++r.done < r.total) return;
  if (r.gif_writer) {
    r.gif_writer->finish();
    r.gif_bytes = r.gif_writer->release();
    r.gif_writer.reset();
    r.phase = RecordPhase::done;
  } else {
    r.phase = RecordPhase::finishing;
    host_.webm(Host::WebmStep::end, nullptr, 0, 0, 0);
  }
}

void App::webm_finished(double bytes, bool ok) {
  if (record_.phase != RecordPhase::finishing) return;
  if (!ok) return record_fail(text(StrId::record_webm_failed));
  record_.webm_bytes = bytes;
  record_.phase = RecordPhase::done;
}

std::string App::recording_json() const {
  const RecordUi& r = record_;
  static const char* phases[] = {"idle", "seeking", "settling", "capturing", "finishing", "done", "failed"};
  const double bytes = r.gif_writer ? (double)r.gif_writer->bytes().size()
                       : r.running.format == RecordFormat::gif ? (double)r.gif_bytes.size()
                                                                : r.webm_bytes;
  std::string error;   // our own sentences: only quotes and backslashes need escaping
  for (char c : r.error) {
    if (c == '"' || c == '\\') error += '\\';
    error += c;
  }
  char head[256];
  std::snprintf(head, sizeof head,
                "{\"active\":%s,\"phase\":\"%s\",\"frames\":%d,\"total\":%d,\"bytes\":%.0f,\"width\":%d,\"height\":%d,"
                "\"format\":\"%s\",\"view\":\"",
                recording() ? "true" : "false", phases[(int)r.phase], r.done, r.total, bytes, r.width, r.height,
                r.running.format == RecordFormat::gif ? "gif" : "webm");
  return head + r.running.view + "\",\"error\":\"" + error + "\"}";
}

void App::draw_record_dialog() {
  RecordUi& r = record_;
  if (r.open_requested) {
    ImGui::OpenPopup("###record");
    r.open_requested = false;
  }
  const float em = ImGui::GetFontSize();
  ImGui::SetNextWindowSize(ImVec2(em * 30, 0), ImGuiCond_Always);
  if (!ImGui::BeginPopupModal(labelled(StrId::record_title, "record").c_str(), nullptr,
                              ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) {
    r.open = false;
    return;
  }
  r.open = true;
  RecordSettings& s = r.settings;
  const float field = em * 9;
  if (recording()) {
    const float progress = r.total > 0 ? (float)r.done / (float)r.total : 0;
    const double bytes = r.gif_writer ? (double)r.gif_writer->bytes().size() : 0;
    ImGui::TextUnformatted(text(r.phase == RecordPhase::finishing ? StrId::record_finishing : StrId::record_running));
    // The bar drawn by hand (ImGui::ProgressBar is inlined where the transport uses it; a second caller costs 1 KB).
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImVec2 size(ImGui::GetContentRegionAvail().x, ImGui::GetFrameHeight());
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(at, ImVec2(at.x + size.x, at.y + size.y), ImGui::GetColorU32(ImGuiCol_FrameBg));
    draw->AddRectFilled(at, ImVec2(at.x + size.x * progress, at.y + size.y), IM_COL32(51, 161, 161, 255));
    ImGui::SetCursorScreenPos(ImVec2(at.x + ImGui::GetStyle().FramePadding.x, at.y + ImGui::GetStyle().FramePadding.y));
    ImGui::TextUnformatted(text_format(StrId::record_progress, r.done, r.total, size_text(bytes).c_str()).c_str());
    ImGui::SetCursorScreenPos(ImVec2(at.x, at.y + size.y + ImGui::GetStyle().ItemSpacing.y));
    ImGui::Dummy(ImVec2(size.x, 0));
    widget_rects_["record_progress"] = WidgetRect{at.x, at.y, size.x, size.y};
    if (ImGui::Button(text(StrId::cancel))) cancel_recording();
    remember_rect("record_cancel");
  } else {
    ImGui::TextWrapped("%s", text(StrId::record_how));
    ImGui::Spacing();
    // Drag or Ctrl+click and type; times kept to 10 ms. (DragFloat and DragInt: the widgets the page already has.)
    const float end_s = sim() ? (float)pg::ns_to_s(sim()->end_ns()) : 0;
    float from = (float)s.from_s, to = (float)s.to_s, speed = (float)s.speed;
    ImGui::SetNextItemWidth(field);
    if (ImGui::DragFloat(labelled(StrId::record_from, "from").c_str(), &from, 0.05f, 0, end_s, "%.2f"))
      s.from_s = std::round((double)from * 100) / 100;
    ImGui::SetNextItemWidth(field);
    if (ImGui::DragFloat(labelled(StrId::record_to, "to").c_str(), &to, 0.05f, 0, end_s, "%.2f"))
      s.to_s = std::round((double)to * 100) / 100;
    int view = 0;
    for (int i = 0; i < 5; ++i)
      if (s.view == view_names[i]) view = i;
    ImGui::SetNextItemWidth(field);
    if (ImGui::BeginCombo(labelled(StrId::record_view, "view").c_str(), text(view_labels[view]))) {
      for (int i = 0; i < 5; ++i)
        if (ImGui::Selectable(text(view_labels[i]), i == view)) s.view = view_names[i];
      ImGui::EndCombo();
    }
    int fps = (int)s.fps;
    ImGui::SetNextItemWidth(field);
    if (ImGui::DragInt(labelled(StrId::record_fps, "fps").c_str(), &fps, 0.2f, 1, 30, "%d", ImGuiSliderFlags_AlwaysClamp))
      s.fps = fps;
    ImGui::SetNextItemWidth(field);
    if (ImGui::DragFloat(labelled(StrId::record_speed, "speed").c_str(), &speed, 0.02f, 0.01f, 1000, "%.2f",
                         ImGuiSliderFlags_AlwaysClamp))
      s.speed = std::max(std::round((double)speed * 100) / 100, 0.01);
    const int w = (int)std::lround(r.region.width * ImGui::GetIO().DisplayFramebufferScale.x);
    const int h = (int)std::lround(r.region.height * ImGui::GetIO().DisplayFramebufferScale.y);
    ImGui::TextUnformatted(text(StrId::record_size));
    ImGui::SameLine();
    if (ImGui::RadioButton(text_format(StrId::record_size_full, w & ~1, h & ~1).c_str(), s.shrink == 1)) s.shrink = 1;
    ImGui::SameLine();
    if (ImGui::RadioButton(text_format(StrId::record_size_half, (w / 2) & ~1, (h / 2) & ~1).c_str(), s.shrink == 2))
      s.shrink = 2;
    ImGui::TextUnformatted(text(StrId::record_format));
    ImGui::SameLine();
    if (ImGui::RadioButton(text(StrId::record_format_gif), s.format == RecordFormat::gif)) s.format = RecordFormat::gif;
    ImGui::SameLine();
    if (ImGui::RadioButton(text(StrId::record_format_webm), s.format == RecordFormat::webm)) s.format = RecordFormat::webm;
    const int frames = s.speed > 0 && s.fps > 0 ? std::max(frame_count(s), 0) : 0;
    ImGui::TextDisabled("%s", text_format(StrId::record_summary, frames, frames / std::max(s.fps, 1.0)).c_str());
    if (r.phase == RecordPhase::done) {
      const double bytes = r.running.format == RecordFormat::gif ? (double)r.gif_bytes.size() : r.webm_bytes;
      ImGui::Separator();
      ImGui::TextUnformatted(
          text_format(StrId::record_done, r.done, r.width, r.height, size_text(bytes).c_str()).c_str());
      if (ImGui::Button(text(StrId::record_download))) {
        const std::string name = file_stem(scenario().name) + "-" + file_stem(r.running.view);
        if (r.running.format == RecordFormat::gif && host_.download_bytes)
          host_.download_bytes(name + ".gif", "image/gif", std::string(r.gif_bytes.begin(), r.gif_bytes.end()));
        else if (host_.webm)
          host_.webm(Host::WebmStep::download, reinterpret_cast<const uint8_t*>(name.c_str()), 0, 0, 0);
      }
      remember_rect("record_download");
    } else if (r.phase == RecordPhase::failed) {
      ImGui::Separator();
      ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.55f, 0.45f, 1.0f));
      ImGui::TextWrapped("%s", r.error.c_str());
      ImGui::PopStyleColor();
    }
    ImGui::Separator();
    if (ImGui::Button(text(StrId::record_start))) {
      const std::string error = start_recording(s);
      if (!error.empty()) record_fail(error);
    }
    remember_rect("record_start");
    ImGui::SameLine();
    if (ImGui::Button(text(StrId::close))) ImGui::CloseCurrentPopup();
    remember_rect("record_close");
  }
  ImGui::EndPopup();
}

}  // namespace pgweb
