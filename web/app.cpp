// The playground app's frame and run plumbing (see app.hpp): the fixed layout computed from the viewport, the menu
// bar, shortcuts and help, the main view's tabs, and the scenario -> run path every change goes through.
#include "web/app.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include <imgui.h>
#include <imgui_internal.h>   // ClosePopupToLevel: Escape closes whichever popup is open

#include "engine/scenario/localized_texts.hpp"
#include "engine/run/world.hpp"
#include "web/default_scenario.hpp"
#include "web/library.hpp"
#include "web/panels/field_editor.hpp"
#include "web/share.hpp"
#include "web/strings.hpp"
#include "web/translate.hpp"
#include "web/views/views.hpp"

namespace pgweb {

namespace {

// Panels are docked: computed from the viewport every frame, never moved or resized by hand, never overlapping.
constexpr ImGuiWindowFlags docked_flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                          ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                          ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoBringToFrontOnFocus;

bool begin_docked(const char* name, ImVec2 position, ImVec2 size, ImGuiWindowFlags extra = 0) {
  ImGui::SetNextWindowPos(position, ImGuiCond_Always);
  ImGui::SetNextWindowSize(size, ImGuiCond_Always);
  return ImGui::Begin(name, nullptr, docked_flags | extra);
}

double steady_seconds() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double>(clock::now().time_since_epoch()).count();
}

}  // namespace

// ---- construction and loading -------------------------------------------------------------------------------------

App::App(Host host, PageOptions options)
    : host_(std::move(host)), options_(options), views_(std::make_unique<ViewsState>()) {
  SessionHooks hooks;
  hooks.loaded = [this] {
    exercise_loaded();
    course_scenario_loaded();
    selected_service_ = 0;
    selected_instance_ = -1;
    rate_now_ = -1;
    pending_edit_.reset();
    pending_edit_b_.reset();
    stop_compare();   // another scenario: B was a variant of the one before
    playing_ = false;
    editor_selection_.clear();   // a path into the scenario before
  };
  hooks.run_changed = [this] {
    // Another run under a recording that has started capturing: its frames would not fit together.
    if (record_.phase == RecordPhase::settling || record_.phase == RecordPhase::capturing)
      record_fail(text(StrId::record_interrupted));
    eps_window_events_ = sim() ? sim()->events_processed() : 0;
    invalidate_report();
  };
  hooks.save = [this](const std::string& json_text) {
    if (host_.save_session) host_.save_session(json_text);
    // A changed (an edit, an intervention): B is A with its changes again.
    if (std::vector<std::string> problems = compare_.rebase(scenario()); !problems.empty())
      set_message(text_format(StrId::compare_lost, translate(problems[0]).c_str()), true);
  };
  hooks.job_ended = [this] { invalidate_report(); };
  hooks.check_ended = [this] {
    exercise_.refreshed_s = -1;
    exercise_.refreshed_events = UINT64_MAX;
  };
  session_ = std::make_unique<Session>(std::move(hooks));
  // A newcomer starts on the small shop (as the README says), not on the first entry of the list; a link or a
  // file opened with the page replaces it afterwards, so only the page opened without one changes.
  const std::vector<LibraryEntry>& library = scenario_library();
  for (size_t i = 0; i < library.size() && !sim(); ++i)
    if (library[i].valid && library[i].file == first_scenario_file) load_builtin(i);
  for (size_t i = 0; i < library.size() && !sim(); ++i) {
    if (library[i].valid && load_builtin(i).empty()) break;
  }
  if (!sim()) load_scenario_text(default_scenario_json, text(StrId::source_builtin_default));
  restore_course();
  restore_guide();
  set_message("", false);
}

App::~App() = default;

std::vector<std::string> App::load_builtin(size_t index) {
  const std::vector<LibraryEntry>& library = scenario_library();
  if (index >= library.size()) return {"no built-in scenario number " + std::to_string(index)};
  const std::string source = library[index].file.empty() ? text(StrId::source_builtin_default)
                                                          : text_format(StrId::source_builtin, library[index].file.c_str());
  std::vector<std::string> errors = load_scenario_text(library[index].json_text, source);
  if (errors.empty()) session_->set_library_index((int)index);
  return errors;
}

std::vector<std::string> App::load_scenario_text(const std::string& json_text, const std::string& source) {
  if (looks_like_course(json_text)) return load_course_text(json_text);
  std::vector<std::string> errors = session_->load_scenario_text(json_text, source);
  if (!sim()) playing_ = false;
  return errors;
}

// ---- run control --------------------------------------------------------------------------------------------------

void App::play() {
  if (sim() && !sim()->finished()) playing_ = true;
}

void App::pause() { playing_ = false; }

void App::reset() {
  playing_ = false;
  session_->reset();
}

uint64_t App::step() {
  pause();
  return session_->step();
}

uint64_t App::run_to_end() {
  pause();
  return session_->run_to_end();
}

uint64_t App::check() {
  pause();
  return session_->check(exercise_.active ? exercise_.info.seeds : 1);
}

void App::graphics_lost() {
  graphics_lost_ = true;
  set_message(text(StrId::graphics_lost), true);
}

void App::graphics_restored() {
  graphics_lost_ = false;
  views_->dots.context_restored();
  if (views_b_) views_b_->dots.context_restored();
  set_message(text(StrId::graphics_restored), false);
}

void App::set_speed(double speed) {
  if (!(speed >= speed_min)) speed = speed_min;  // also catches NaN
  speed_ = speed >= speed_unlimited ? speed_unlimited : std::min(speed, speed_max);
}

const nlohmann::json& App::cached_report() {
  if (drawing_b_) return compare_.report_b(options_.reduced_motion ? 1.0 : report_refresh_s);   // B's half of a split
  const double refresh_s = options_.reduced_motion ? 1.0 : report_refresh_s;
  if (sim() && report_age_s_ >= refresh_s && report_events_ != sim()->events_processed()) {
    report_cache_ = sim()->report(true);
    report_events_ = sim()->events_processed();
    report_age_s_ = 0;
  }
  if (!sim()) report_cache_ = nullptr;
  return report_cache_;
}

void App::advance(double real_dt_s) {
  real_time_s_ += std::max(real_dt_s, 0.0);
  report_age_s_ += std::max(real_dt_s, 0.0);
  if (sim() && real_time_s_ - eps_window_start_s_ >= 0.5) {
    uint64_t events = sim()->events_processed();
    double elapsed = real_time_s_ - eps_window_start_s_;
    events_per_s_ = events >= eps_window_events_ ? (double)(events - eps_window_events_) / elapsed : 0;
    eps_window_events_ = events;
    eps_window_start_s_ = real_time_s_;
  }
  if (session_->busy()) {
    session_->slice(job_frame_budget_s);   // a job has the frame's engine time; playing resumes once it is done
  } else if (recording()) {
    record_advance();                      // panels/record.cpp: exactly to the next frame's time
  } else if (playing_ && sim()) {
    advance_playing(real_dt_s);
    session_->keep_snapshot();
  }
  if (sim() && sim()->finished()) playing_ = false;
  session_->announce_budget_stop();
}

void App::advance_playing(double real_dt_s) {
  if (speed_ >= speed_unlimited) {
    // As fast as possible: slices of events until this frame's wall-time budget is spent.
    const double start_s = steady_seconds();
    do {
      sim()->advance(events_per_slice * 16, sim()->end_ns());
    } while (!sim()->finished() && steady_seconds() - start_s < unlimited_frame_budget_s);
    return;
  }
  // Towards this frame's simulated-time target, in slices of events, until the target or the frame's wall-time
  // budget is reached. A machine that cannot keep up sees the clock run slower than the speed asks for (the
  // shortfall is dropped, not caught up later), never a slower frame. The results cannot change: events are
  // processed in the same order whatever the slices are; only how fast the clock advances in the UI does.
  const double dt_s = std::clamp(real_dt_s, 0.0, frame_dt_max_s);
  const pg::time_ns until_ns = std::min(sim()->now_ns() + pg::s_to_ns(dt_s * speed_), sim()->end_ns());
  const double start_s = steady_seconds();
  uint64_t left = events_per_frame_max;
  while (left > 0) {
    const uint64_t asked = std::min<uint64_t>(left, events_per_slice);
    const uint64_t done = sim()->advance(asked, until_ns);
    left -= done;
    if (done < asked || steady_seconds() - start_s >= engine_frame_budget_s) break;   // target reached, or budget
  }
}

// ---- sharing ------------------------------------------------------------------------------------------------------

// Comparing, the link carries B too, as its changes to A ("&b=", read by open_link): an older page ignores it.
std::string App::link() const {
  std::string url = session_->link(host_.page_url ? host_.page_url() : std::string());
  if (!url.empty() && compare_.active()) url += "&b=" + compare_.changes();
  return url;
}

void App::copy_link() {
  const std::string error = session_->link_error();
  if (!error.empty()) return set_message(translate(error), true);
  if (host_.copy_text) host_.copy_text(link());
  const size_t length = link().size(), interventions = scenario().interventions.size();
  std::string message = interventions == 0 ? text_format(StrId::link_copied, length)
                                           : text_format(StrId::link_copied_with, length, interventions);
  // Chat programs cut long messages (Discord at 2,000 characters): say so rather than let the link break there.
  if (length > link_length_warning) message += " " + text_format(StrId::link_too_long_warning, link_length_warning);
  set_message(message, length > link_length_warning);
}

std::string file_stem(const std::string& name) {
  std::string out;
  for (char c : name) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (keep) out += (char)((c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c);
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "scenario" : out;
}

void App::download_scenario() {
  if (host_.download) host_.download(file_stem(scenario().name) + ".json", "application/json", scenario_json() + "\n");
}

void App::download_csv() {
  if (host_.download) host_.download(file_stem(scenario().name) + "-metrics.csv", "text/csv", metrics_csv());
}

void App::save_screenshot() {
  if (host_.request_screenshot) host_.request_screenshot();
}

// ---- frame --------------------------------------------------------------------------------------------------------

void App::remember_rect(const char* name) {
  ImVec2 min = ImGui::GetItemRectMin(), size = ImGui::GetItemRectSize();
  widget_rects_[name] = WidgetRect{min.x, min.y, size.x, size.y};
}

void App::frame(double real_dt_s) {
  // The generic editor's choice lists report their items' rectangles ("choice:<word>") for tests.
  set_item_rect_hook([](void* app, const char* name) { ((App*)app)->remember_rect(name); }, this);
  // Scenario panel edits wait until no widget is held, so a dragged slider rebuilds the run once, on release.
  if (pending_edit_ && !ImGui::IsAnyItemActive()) {
    std::unique_ptr<pg::Scenario> edit = std::move(pending_edit_);
    apply_scenario(*edit);
  }
  if (compose_.staged) compose_commit();   // an edit composing made in the last frame (panels/compose.cpp)
  if (pending_edit_b_ && !ImGui::IsAnyItemActive()) {
    std::unique_ptr<pg::Scenario> edit = std::move(pending_edit_b_);
    if (std::vector<std::string> problems = compare_.set_b(scenario(), *edit); !problems.empty())
      set_message(text_format(StrId::change_invalid, translate(problems[0]).c_str()), true);
  }
  close_popups_under_click();
  handle_shortcuts();
  const double engine_start_s = steady_seconds();
  advance(real_dt_s);
  compare_follow();
  engine_ms_ = (steady_seconds() - engine_start_s) * 1000;
  widget_rects_.clear();  // only what this frame draws
  views_->stats.tabs_clipped = 0;

  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float width = viewport->Size.x;
  const float height = viewport->Size.y;
  // Embedded in an iframe, or presenting to a room: the main view alone (with the transport bar controls= asks for).
  const bool bare = options_.embed || options_.present;
  // A phone (by the viewport's width in CSS pixels): one panel at a time, chosen in a row of large buttons at the
  // bottom, and every widget taller, with a margin around it that still counts as a hit, for a finger.
  phone_.active = !bare && width < phone_width_max;
  const ImGuiStyle desktop_style = ImGui::GetStyle();
  if (phone_.active) {
    ImGuiStyle& style = ImGui::GetStyle();
    style.FramePadding = ImVec2(10, std::max(style.FramePadding.y, (36 - ImGui::GetFontSize()) * 0.5f));
    style.ItemSpacing = ImVec2(8, 8);
    style.TouchExtraPadding = ImVec2(3, 3);
    style.ScrollbarSize = 18;
    style.GrabMinSize = 22;
  }
  const ImGuiIO& io = ImGui::GetIO();
  const ImVec2 drag = ImGui::GetMouseDragDelta(0, 0.0f);
  long_press_ = io.MouseDown[0] && io.MouseDownDuration[0] >= long_press_s &&
                io.MouseDownDuration[0] - io.DeltaTime < long_press_s && drag.x * drag.x + drag.y * drag.y < 100;
  float top = 0;
  if (!bare) {
    draw_menu_bar();
    top = ImGui::GetFrameHeight();
  }

  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  const float left_width = bare || phone_.active || width < 760 ? 0 : std::clamp(width * 0.25f, 280.0f, 380.0f);
  const float right_width = bare || width < 1100 ? 0 : std::clamp(width * 0.22f, 270.0f, 360.0f);
  const float center_x = left_width;
  const float center_width = width - left_width - right_width;
  const ImGuiStyle& style = ImGui::GetStyle();
  const Controls controls = options_.controls;
  const float transport_height = controls == Controls::none ? 0
                                 : controls == Controls::min
                                     ? style.WindowPadding.y * 2 + ImGui::GetFrameHeight()
                                     : style.WindowPadding.y * 2 + ImGui::GetFrameHeight() * 2 + style.ItemSpacing.y;

  if (left_width > 0 && begin_docked("Scenario", ImVec2(0, top), ImVec2(left_width, height - top))) {
    ImGui::BeginDisabled(options_.readonly);
    draw_scenario_panel();
    ImGui::EndDisabled();
  }
  if (left_width > 0) ImGui::End();

  if (transport_height > 0) {
    if (begin_docked("Transport", ImVec2(center_x, top), ImVec2(center_width, transport_height),
                     ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse))
      draw_transport();
    ImGui::End();
  }

  const float main_top = top + transport_height;
  const float nav_height = phone_.active ? ImGui::GetFrameHeight() + style.WindowPadding.y * 2 : 0;
  if (begin_docked("Main view", ImVec2(center_x, main_top), ImVec2(center_width, height - main_top - nav_height))) {
    if (!phone_.active || phone_.panel == PhonePanel::views) {
      draw_main_view();
    } else {
      draw_message_banner();
      ImGui::BeginDisabled(options_.readonly && phone_.panel == PhonePanel::scenario);
      if (phone_.panel == PhonePanel::scenario) draw_scenario_panel();
      else if (phone_.panel == PhonePanel::inspector) draw_inspector();
      else draw_log();
      ImGui::EndDisabled();
    }
  }
  ImGui::End();
  if (phone_.active) draw_phone_nav(height - nav_height, nav_height);

  if (right_width > 0) {
    const float inspector_height = std::floor((height - top) * 0.72f);
    if (begin_docked("Inspector", ImVec2(width - right_width, top), ImVec2(right_width, inspector_height)))
      draw_inspector();
    ImGui::End();
    if (begin_docked("Log", ImVec2(width - right_width, top + inspector_height),
                     ImVec2(right_width, height - top - inspector_height)))
      draw_log();
    ImGui::End();
  }
  ImGui::PopStyleVar();
  draw_present_hint();
  draw_help_overlay();
  draw_sweep_window();
  draw_author_window();   // panels/exercise_author.cpp
  draw_qr_view();
  draw_record_dialog();
  draw_glossary();
  draw_json_editor();
  touch_scroll();
  ImGui::GetStyle() = desktop_style;   // the phone's sizes were for this frame only
}

// On a phone a finger dragged over a panel's text or background scrolls it, as on any page: ImGui scrolls only with a
// wheel or by its scrollbar. A drag that began on a widget (a slider, the graph's canvas) stays that widget's.
void App::touch_scroll() {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  if (!phone_.active || !ImGui::IsMouseDragging(0, 8.0f) || !g.HoveredWindow) return;
  ImGuiWindow* window = g.HoveredWindow;
  if (g.ActiveId != 0 && g.ActiveId != window->MoveId) return;
  while (window->ScrollMax.y <= 0 && (window->Flags & ImGuiWindowFlags_ChildWindow) && window->ParentWindow)
    window = window->ParentWindow;
  if (window->ScrollMax.y > 0) ImGui::SetScrollY(window, window->Scroll.y - g.IO.MouseDelta.y);
}

void App::draw_phone_nav(float top, float height) {
  const float width = ImGui::GetMainViewport()->Size.x;
  if (begin_docked("Panels", ImVec2(0, top), ImVec2(width, height),
                   ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse)) {
    struct Tab {
      PhonePanel panel;
      StrId label;
      const char* rect;
    };
    const Tab tabs[] = {{PhonePanel::views, StrId::phone_views, "phone_tab_views"},
                        {PhonePanel::scenario, StrId::tab_scenario, "phone_tab_scenario"},
                        {PhonePanel::inspector, StrId::tab_inspector, "phone_tab_inspector"},
                        {PhonePanel::log, StrId::tab_log, "phone_tab_log"}};
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float button_width = (ImGui::GetContentRegionAvail().x - spacing * 3) / 4;
    for (const Tab& tab : tabs) {
      if (tab.panel != PhonePanel::views) ImGui::SameLine();
      const bool selected = phone_.panel == tab.panel;
      ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(selected ? ImGuiCol_TabActive : ImGuiCol_Button));
      if (ImGui::Button(text(tab.label), ImVec2(button_width, 0))) phone_.panel = tab.panel;
      ImGui::PopStyleColor();
      remember_rect(tab.rect);
      if (ImGui::CalcTextSize(text(tab.label)).x > ImGui::GetItemRectSize().x) ++views_->stats.tabs_clipped;
    }
  }
  ImGui::End();
}

// The central area. Mechanism views (web/views/*.cpp: architecture graph, ring, lock timeline, queue view) plug in
// here as tabs next to Charts; panels that do not fit beside it on a narrow screen become tabs too.
std::string take_view_problem();   // web/views/views.cpp

// A click outside an open list or menu (the speed list, File ...) closes it and also reaches what it was aimed at.
// ImGui alone spends that click closing the popup: the windows under a popup are not hoverable in the frame of the
// click. So the popups are closed before any widget is drawn, which makes that frame's widgets hoverable again. A
// click on the opener itself (the speed box, a menu's title) is left to ImGui, which closes the popup as before, and a
// modal dialog keeps ImGui's rule (a click outside does nothing).
void App::close_popups_under_click() {
  ImGuiContext& g = *ImGui::GetCurrentContext();
  if (!ImGui::IsMouseClicked(0) || g.OpenPopupStack.empty() || ImGui::GetTopMostPopupModal() != nullptr) return;
  if (g.HoveredWindow && (g.HoveredWindow->RootWindow->Flags & (ImGuiWindowFlags_Popup | ImGuiWindowFlags_Tooltip)))
    return;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  for (const char* opener : {"speed", "ring_placement", "service_select", "menu_file", "menu_edit", "menu_run",
                             "menu_view", "menu_help", "menu_language", "menu_exercise"}) {
    const auto found = widget_rects_.find(opener);
    if (found == widget_rects_.end()) continue;
    const WidgetRect& r = found->second;
    if (mouse.x >= r.x && mouse.x < r.x + r.width && mouse.y >= r.y && mouse.y < r.y + r.height) return;
  }
  ImGui::ClosePopupToLevel(0, true);
}

void App::draw_main_view() {
  if (std::string problem = take_view_problem(); !problem.empty()) set_message(problem, true);
  // While the Record dialog is open or a recording runs, the view alone: the banner (it fades by real time), the
  // guide and the exercise panel would move the tab's region between frames, and the dialog shows the size recorded.
  if (!recording() && !record_.open) {
    draw_message_banner();
    draw_guide();
    draw_exercise_panel();
    draw_compare_window();
  }
  // On a phone the five tabs share the width: narrower padding keeps every name whole (the bar keeps the padding it
  // begins with for its labels, each tab the one it is submitted with for its width).
  const ImVec2 tab_padding(5, ImGui::GetStyle().FramePadding.y);
  if (phone_.active) ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, tab_padding);
  const bool tab_bar = ImGui::BeginTabBar("main_view_tabs");
  if (phone_.active) ImGui::PopStyleVar();
  if (!tab_bar) return;
  // The mechanism views, each one file (web/views/*.cpp); a tab requested by window.playground comes to the front.
  // Each tab is known by its English name (window.playground.selectView, the tests' rectangles) in every language.
  using DrawView = void (App::*)();
  struct View {
    const char* name;
    StrId label;
    DrawView draw;
  };
  const View views[] = {{"Charts", StrId::tab_charts, &App::draw_charts},
                        {"Architecture", StrId::tab_architecture, &App::draw_architecture_view},
                        {"Ring", StrId::tab_ring, &App::draw_ring_view},
                        {"Locks", StrId::tab_locks, &App::draw_locks_view},
                        {"Queues", StrId::tab_queues, &App::draw_queues_view}};
  for (const auto& [name, label, draw] : views) {
    const ImGuiTabItemFlags flags = requested_view_ == name ? ImGuiTabItemFlags_SetSelected : 0;
    if (phone_.active) ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, tab_padding);
    const bool open = ImGui::BeginTabItem(labelled(label, name).c_str(), nullptr, flags);
    if (phone_.active) ImGui::PopStyleVar();
    remember_rect((std::string("tab_") + name).c_str());
    if (ImGui::CalcTextSize(text(label)).x > ImGui::GetItemRectSize().x - 4) ++views_->stats.tabs_clipped;
    if (open) {
      active_view_ = name;
      const ImVec2 at = ImGui::GetCursorScreenPos(), size = ImGui::GetContentRegionAvail();
      record_.region = WidgetRect{at.x, at.y, size.x, size.y};   // what a recording of this view reads back
      widget_rects_["view_region"] = record_.region;
      if (compare_.active() && compare_ui_.split) draw_split(draw);
      else (this->*draw)();
      ImGui::EndTabItem();
    }
  }
  requested_view_.clear();
  const float width = ImGui::GetMainViewport()->Size.x;
  const bool bare = options_.embed || options_.present;
  const bool side_tabs = !bare && !phone_.active;   // the side panels as tabs on a narrow desktop window
  if (side_tabs && width < 760 && ImGui::BeginTabItem(labelled(StrId::tab_scenario, "Scenario").c_str())) {
    ImGui::BeginDisabled(options_.readonly);
    draw_scenario_panel();
    ImGui::EndDisabled();
    ImGui::EndTabItem();
  }
  if (side_tabs && width < 1100) {
    if (ImGui::BeginTabItem(labelled(StrId::tab_inspector, "Inspector").c_str())) {
      draw_inspector();
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem(labelled(StrId::tab_log, "Log").c_str())) {
      draw_log();
      ImGui::EndTabItem();
    }
  }
  ImGui::EndTabBar();
}

void App::draw_message_banner() {
  if (message() != banner_text_) {   // a new message: its clock starts now
    banner_text_ = message();
    banner_since_s_ = real_time_s_;
  }
  if (message().empty()) return;
  // A notice (not an error) fades away by itself after a few seconds; hovering it keeps it. Errors stay until closed.
  const double age = real_time_s_ - banner_since_s_;
  if (!message_is_error() && age >= banner_fade_end_s) {
    set_message("", false);
    return;
  }
  const float fade = message_is_error() || age < banner_fade_start_s
                         ? 1.0f
                         : (float)((banner_fade_end_s - age) / (banner_fade_end_s - banner_fade_start_s));
  ImGui::PushStyleVar(ImGuiStyleVar_Alpha, std::max(fade, 0.05f));
  const ImVec4 colour = message_is_error() ? ImVec4(0.42f, 0.16f, 0.14f, 1.0f) : ImVec4(0.12f, 0.27f, 0.28f, 1.0f);
  ImGui::PushStyleColor(ImGuiCol_ChildBg, colour);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10, 6));
  // What happened and what to do in the text's size; the technical reason under it, smaller and fainter.
  const float wrap = ImGui::GetContentRegionAvail().x - 60;
  const std::string& headline = session_->message_headline();
  const std::string detail =
      message_detail().empty() ? "" : text_format(StrId::message_details, message_detail().c_str());
  constexpr float detail_scale = 0.85f;
  const float detail_height =
      detail.empty() ? 0
                     : ImGui::CalcTextSize(detail.c_str(), nullptr, false, (wrap - 10) / detail_scale).y *
                               detail_scale + ImGui::GetStyle().ItemSpacing.y + 2;
  const ImVec2 text_size = ImGui::CalcTextSize(headline.c_str(), nullptr, false, wrap - 10);   // from the padding on
  const float banner_height = std::min(text_size.y + detail_height, ImGui::GetTextLineHeight() * 9) + 14;
  if (ImGui::BeginChild("message", ImVec2(0, banner_height), false, ImGuiWindowFlags_AlwaysUseWindowPadding)) {
    ImGui::PushTextWrapPos(wrap);
    ImGui::TextUnformatted(headline.c_str());
    remember_rect("message_text");
    if (!detail.empty()) {
      ImGui::SetWindowFontScale(detail_scale);
      ImGui::TextDisabled("%s", detail.c_str());
      remember_rect("message_detail");
      ImGui::SetWindowFontScale(1.0f);
    }
    ImGui::PopTextWrapPos();
    ImGui::SetCursorPos(ImVec2(ImGui::GetWindowWidth() - 36, 4));
    if (ImGui::SmallButton("\u2715")) set_message("", false);
    remember_rect("message_close");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::banner_dismiss));
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows)) banner_since_s_ = real_time_s_;
  }
  ImGui::EndChild();
  ImGui::PopStyleVar(2);
  ImGui::PopStyleColor();
}

// ---- menu bar, shortcuts, help ------------------------------------------------------------------------------------

void App::handle_shortcuts() {
  ImGuiIO& io = ImGui::GetIO();
  if (qr_.open) {   // the QR code covers the page: Esc closes it, and no other key acts behind it
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) close_qr();
    return;
  }
  if (io.WantTextInput || recording()) return;   // a recording owns the clock until it ends or is cancelled
  // Undo and redo (a text field being typed into keeps Ctrl+Z for its own text: WantTextInput above).
  if ((io.KeyCtrl || io.KeySuper) && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Z), true))
    io.KeyShift ? redo() : undo();
  else if ((io.KeyCtrl || io.KeySuper) && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Y), true)) redo();
  if (compose_keys()) return;   // composing: Delete, Escape and the arrows act on the selection (panels/compose.cpp)
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) toggle_play();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow), true)) step();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
    // An open list or menu (the speed list, File ...) closes on Escape, as a person expects; without this ImGui
    // keeps it open until a click outside, and that click is spent closing it instead of on what it aimed at.
    if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId)) ImGui::ClosePopupToLevel(0, true);
    else if (show_help_) show_help_ = false;
    else if (glossary_.open) glossary_.open = false;
    else options_.present = false;
  }
  for (ImWchar c : io.InputQueueCharacters) {
    if (c == 'f' || c == 'F') options_.present = !options_.present;
    else if (c == '.') step();
    else if (c == 'r' || c == 'R') reset();
    else if (c == '?') show_help_ = !show_help_;
  }
}

void App::draw_menu_bar() {
  if (!ImGui::BeginMainMenuBar()) return;
  const bool file_menu = ImGui::BeginMenu(labelled(StrId::menu_file, "file").c_str());
  remember_rect("menu_file");
  if (file_menu) {
    // New: a blank scenario, or a built-in as a template, opened composing on the Architecture view.
    const bool new_menu = !options_.readonly && ImGui::BeginMenu(labelled(StrId::menu_new, "new").c_str());
    remember_rect("menu_new");
    if (new_menu) {
      if (ImGui::MenuItem(text(StrId::menu_new_blank))) new_scenario(-1);
      remember_rect("menu_new_blank");
      ImGui::Separator();
      ImGui::TextDisabled("%s", text(StrId::menu_new_templates));
      const std::vector<LibraryEntry>& library = scenario_library();
      for (size_t i = 0; i < library.size(); ++i) {
        if (!library[i].valid) continue;
        if (ImGui::MenuItem(library_texts(library[i], lang_code(language())).title.c_str())) new_scenario((int)i);
        remember_rect(("menu_new:" + library[i].file).c_str());
      }
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem(text(StrId::menu_open_json))) {
      if (host_.open_file_picker) host_.open_file_picker();
    }
    if (ImGui::MenuItem(text(StrId::menu_download_json))) download_scenario();
    if (course_.active && ImGui::MenuItem(text(StrId::course_save))) download_course();
    ImGui::Separator();
    if (ImGui::MenuItem(text(StrId::menu_copy_link))) copy_link();
    if (ImGui::MenuItem(text(StrId::menu_copy_embed))) copy_embed_code();
    remember_rect("menu_copy_embed");
    if (ImGui::MenuItem(text(StrId::menu_show_qr))) show_qr();
    remember_rect("menu_show_qr");
    if (ImGui::MenuItem(text(StrId::menu_export_csv))) download_csv();
    if (ImGui::MenuItem(text(StrId::menu_screenshot))) save_screenshot();
    if (ImGui::MenuItem(text(StrId::menu_record), nullptr, false, sim() != nullptr)) open_record_dialog();
    remember_rect("menu_record");
    ImGui::Separator();
    ImGui::TextDisabled("%s", text(StrId::menu_drop_tip));
    ImGui::EndMenu();
  }
  const bool edit_menu = ImGui::BeginMenu(labelled(StrId::menu_edit, "edit").c_str());
  remember_rect("menu_edit");
  if (edit_menu) {
    if (ImGui::MenuItem(text(StrId::menu_undo), text(StrId::key_undo), false, can_undo() && !options_.readonly)) undo();
    remember_rect("menu_undo");
    if (ImGui::MenuItem(text(StrId::menu_redo), text(StrId::key_redo), false, can_redo() && !options_.readonly)) redo();
    remember_rect("menu_redo");
    ImGui::Separator();
    if (ImGui::MenuItem(text(StrId::menu_json_editor), nullptr, json_.open)) open_json_editor(!json_.open);
    remember_rect("menu_json_editor");
    ImGui::EndMenu();
  }
  const bool run_menu = ImGui::BeginMenu(labelled(StrId::menu_run, "run").c_str());
  remember_rect("menu_run");
  if (run_menu) {
    if (ImGui::MenuItem(text(playing_ ? StrId::menu_pause : StrId::menu_play), text(StrId::key_space))) toggle_play();
    if (ImGui::MenuItem(text(StrId::menu_step), text(StrId::key_step))) step();
    if (ImGui::MenuItem(text(StrId::menu_reset), "R")) reset();
    if (ImGui::MenuItem(text(StrId::menu_run_to_end), nullptr, false, !busy() && sim() && !sim()->finished()))
      run_to_end();
    remember_rect("menu_run_to_end");
    if (busy() && ImGui::MenuItem(text(StrId::cancel))) cancel_job();
    ImGui::Separator();
    if (ImGui::MenuItem(text(StrId::menu_sweep))) open_sweep();
    remember_rect("menu_sweep");
    if (!compare_.active()) {
      if (ImGui::MenuItem(text(StrId::menu_compare), nullptr, false, sim() != nullptr)) start_compare("");
    } else {
      if (ImGui::MenuItem(text(StrId::compare_stop))) stop_compare();
    }
    remember_rect("menu_compare");
    ImGui::EndMenu();
  }
  draw_exercise_menu();   // panels/exercise_author.cpp
  const bool view_menu = ImGui::BeginMenu(labelled(StrId::menu_view, "view").c_str());
  remember_rect("menu_view");
  if (view_menu) {
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    ImGui::SliderFloat(labelled(StrId::menu_text_size, "text_size").c_str(), &font_scale_, 0.8f, 1.6f, "%.1fx");
    ImGui::Checkbox(labelled(StrId::menu_reduce_motion, "reduce_motion").c_str(), &options_.reduced_motion);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::menu_reduce_motion_tooltip));
    ImGui::MenuItem(text(StrId::menu_present), "F", &options_.present);
    ImGui::EndMenu();
  }
  draw_language_menu();
  const bool help_menu = ImGui::BeginMenu(labelled(StrId::menu_help, "help").c_str());
  remember_rect("menu_help");
  if (help_menu) {
    if (ImGui::MenuItem(text(StrId::menu_shortcuts), "?")) show_help_ = true;
    if (ImGui::MenuItem(text(StrId::menu_show_guide), nullptr, false, !options_.embed)) show_guide(true);
    remember_rect("menu_show_guide");
    if (ImGui::MenuItem(text(StrId::glossary_title))) open_glossary(true);
    remember_rect("menu_glossary");
    if (ImGui::MenuItem(text(StrId::menu_about))) show_about_ = true;
    ImGui::EndMenu();
  }
  // The scenario's name on the right, where a person looks for "what am I running".
  const std::string title = pg::localized_texts(scenario(), lang_code(language())).name;
  const float title_width = ImGui::CalcTextSize(title.c_str()).x;
  if (ImGui::GetCursorPosX() + 20 + title_width + 16 <= ImGui::GetWindowWidth()) {   // a phone has no room for it
    ImGui::SameLine(ImGui::GetWindowWidth() - title_width - 16);
    ImGui::TextDisabled("%s", title.c_str());
  }
  ImGui::EndMainMenuBar();

  if (show_about_) {
    ImGui::OpenPopup("###about");   // the same id as the modal's label below, in every language
    show_about_ = false;
  }
  if (ImGui::BeginPopupModal(labelled(StrId::menu_about, "about").c_str(), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::Text("%s %s", text(StrId::product_name), PLAYGROUND_VERSION);
    ImGui::TextUnformatted(text(StrId::about_text));
    ImGui::TextUnformatted(text_format(StrId::about_imgui, IMGUI_VERSION).c_str());
    if (ImGui::Button(text(StrId::close))) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

void App::draw_help_overlay() {
  if (!show_help_) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float width = std::min(560.0f, viewport->Size.x - 40);
  ImGui::SetNextWindowPos(ImVec2(viewport->Size.x * 0.5f, viewport->Size.y * 0.5f), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(width, 0), ImGuiCond_Always);
  ImGui::SetNextWindowFocus();
  if (ImGui::Begin(labelled(StrId::menu_help, "help_window").c_str(), &show_help_,
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                       ImGuiWindowFlags_NoResize)) {
    ImGui::TextWrapped("%s", text(StrId::help_intro));
    ImGui::Spacing();
    if (ImGui::BeginTable("shortcuts", 2, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
      const char* rows[][2] = {{text(StrId::key_space), text(StrId::help_play_pause)},
                               {text(StrId::key_step), text(StrId::help_step)},
                               {"R", text(StrId::help_reset)},
                               {"?", text(StrId::help_toggle)},
                               {"F", text(StrId::help_present)},
                               {"Esc", text(StrId::help_close)},
                               {text(StrId::key_undo), text(StrId::help_undo)},
                               {text(StrId::help_drop), text(StrId::help_drop_does)}};
      for (const auto& row : rows) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(row[0]);
        ImGui::TableSetColumnIndex(1);
        ImGui::TextDisabled("%s", row[1]);
      }
      ImGui::EndTable();
    }
    ImGui::Spacing();
    ImGui::TextWrapped("%s", text(StrId::help_timeline));
    if (ImGui::Button(text(StrId::close))) show_help_ = false;
  }
  ImGui::End();
}

}  // namespace pgweb
