// The playground app, independent of the browser: owns the scenario and the running simulation, lays out the
// window's fixed panels each frame, and answers the questions window.playground asks. Only web/platform/main_web.cpp knows
// the main loop; what the app needs from the page (clipboard, downloads, file picker, screenshot) goes through Host.
//
// Data flows one way: scenario -> engine -> views. The app never mutates engine state: parameter edits and
// interventions change the *scenario*, and the run is rebuilt from it and re-simulated up to the current time
// (the engine runs millions of events per second). So a shared link replays exactly what was seen.
//
// Time: the simulated clock advances only while playing, by a simulated-time target (real time between frames x
// speed), never by more than a frame's event and wall-time budgets (engine_frame_budget_s); results depend only on
// the scenario, never on the frame rate or the budget.
//
// Never blocking: everything else that simulates (run to end, step, seek, the replay after an edit or an
// intervention, an exercise's Check, opening a link) is a job of the run controller (web/run_control.hpp), run in
// slices of at most job_frame_budget_s per frame with a progress bar and Cancel; the calls that start one return
// its id at once (window.playground turns it into a Promise).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/classroom/course.hpp"
#include "engine/classroom/exercise.hpp"
#include "engine/codec/qr.hpp"
#include "engine/run/simulation.hpp"
#include "engine/scenario/cost.hpp"
#include "engine/scenario/parameter_path.hpp"
#include "web/glossary.hpp"
#include "web/strings.hpp"
#include "engine/scenario/scenario.hpp"
#include "web/page_options.hpp"
#include "web/compare.hpp"
#include "web/editor/authoring.hpp"
#include "web/sweep.hpp"
#include "web/record/gif.hpp"
#include "web/run_control.hpp"
#include "web/session.hpp"

namespace pg {
class World;
}

namespace pgweb {

namespace compose {
struct Edit;         // web/editor/compose.hpp
}
struct ViewsState;   // web/views/views.hpp: what the mechanism views keep between frames

// Where a widget was drawn, in CSS pixels from the canvas' top-left corner (for tests that click it).
struct WidgetRect {
  float x = 0, y = 0, width = 0, height = 0;
};

// What the app asks of the page. Every member may be empty (then the action is unavailable).
struct Host {
  std::function<void(const std::string& text)> copy_text;
  std::function<void(const std::string& file_name, const std::string& mime, const std::string& content)> download;
  // The same for bytes that are not text (a PNG): `content` is passed through byte for byte.
  std::function<void(const std::string& file_name, const std::string& mime, const std::string& content)> download_bytes;
  std::function<void()> open_file_picker;       // the page calls App::load_scenario_text with the file's text
  std::function<void()> request_screenshot;     // the page saves the canvas as PNG right after the next frame
  std::function<std::string()> page_url;        // the page's address, for share links
  // Keeps the current scenario (canonical JSON) where a reload of the page finds it (sessionStorage).
  std::function<void(const std::string& scenario_json)> save_session;
  // The Sweep's runs, in Web Workers (web/platform/glue_sweep.js): jobs as Sweep::jobs_json(), `workers` at most
  // (0: one per core); each answer comes back through App::sweep_result. sweep_cancel ends them. `channel` keeps
  // two sets of runs apart: 0 the Sweep's, 1 the Compare's pairs.
  std::function<void(const std::string& jobs_json, int workers, int channel)> sweep_start;
  std::function<void(int channel)> sweep_cancel;
  // The language menu's choice: the page switches (at once, or once the Chinese font is here) and remembers it.
  std::function<void(Lang lang)> set_language;
  // Text kept in the browser across visits (localStorage): store "" removes the key; stored gives "" when absent.
  std::function<void(const std::string& key, const std::string& value)> store;
  std::function<std::string(const std::string& key)> stored;
  // The page's WebM writer (WebCodecs, web/platform/glue_record.js), one call for its steps: begin (returns 0 when the
  // browser cannot encode), frame (rgba: width * height * 4 bytes, top row first), ready (1 when it takes another
  // frame; 0 while it catches up, 2 when it failed), end (it flushes, then calls App::webm_finished), cancel, download.
  // Unused arguments are 0.
  enum class WebmStep : int { begin, frame, ready, end, cancel, download };
  std::function<int(WebmStep step, const uint8_t* rgba, int width, int height, double fps)> webm;
};

// What File > Record... and window.playground.record() ask for (web/panels/record.cpp, docs/recording.md).
enum class RecordFormat : uint8_t { gif, webm };
struct RecordSettings {
  double from_s = 0, to_s = 5;   // simulated seconds
  double fps = 10;               // frames per second of the output
  double speed = 1;              // simulated seconds per second of the output
  std::string view = "Charts";   // the main-view tab, by its English name
  RecordFormat format = RecordFormat::gif;
  int shrink = 1;                // 1: the view's device pixels; 2: half the width and height
};


class App {
 public:
  App(Host host, PageOptions options);
  ~App();

  // Advances the run (when playing) by real_dt_s of real time, then builds the frame's widgets. Call between
  // ImGui::NewFrame() and ImGui::Render().
  void frame(double real_dt_s);

  // ---- run control ----
  // The job-starting calls return the job's id (see last_job_id()); a short job ends within the call.
  void play();
  void pause();
  void toggle_play() { playing_ ? pause() : play(); }
  // The scenario, the run and the jobs are the session's (web/session.hpp); these pause the clock and forward.
  void reset();                      // rebuilds the run from the scenario at time zero, paused
  uint64_t step();                   // one sample interval of simulated time (a job)
  uint64_t seek(double t_s) { return session_->seek(t_s); }
  uint64_t run_to_end();             // a job
  uint64_t check();                  // the exercise's Check: a job to the end, then the goals are evaluated
  void cancel_job() { session_->cancel(); }
  void set_speed(double speed);      // simulated seconds per real second; speed_unlimited for "as fast as possible"
  bool busy() const { return session_->busy(); }
  // The job the last job-starting call (including intervene, apply_scenario, open_link) started; 0 if none.
  uint64_t last_job_id() const { return session_->last_job_id(); }
  // {"active", "id", "kind", "progress", "now_s", "target_s", "events", "elapsed_s", "staged"} (window.playground.job())
  std::string job_json() const { return session_->job_json(); }
  // "running" (or unknown), "finished", "cancelled", "superseded", "failed".
  const char* job_outcome(uint64_t id) const { return session_->job_outcome(id); }
  // The page's WebGL context was lost (stop drawing) or restored (GL objects recreated by the platform layer).
  void graphics_lost();
  void graphics_restored();
  // At start: the scenario a reload found in sessionStorage (the page decided it wins over the default).
  std::vector<std::string> restore_session(const std::string& json_text) { return session_->restore(json_text); }

  // ---- scenario ----
  // Loads a scenario from JSON text; on errors keeps the current scenario and returns them (one per line item).
  std::vector<std::string> load_scenario_text(const std::string& json_text, const std::string& source);
  std::vector<std::string> load_builtin(size_t index);   // web/library.hpp's list
  // Opens a share link or URL fragment; a bad link leaves a message and keeps the current scenario.
  // A link with "&b=<changes>" opens comparing A (its scenario) with B (web/compare.hpp).
  std::vector<std::string> open_link(const std::string& link);
  // Records an intervention at the current simulated time (at_s in the JSON is ignored and set to now), rebuilds
  // and replays the run to now (a staged job: the previous run stays shown until the replay gets there). JSON uses the scenario's fault shape: {"kind":"crash","target":"order#1"}.
  // A read-only page (readonly=1) refuses these and the scenario panel's edits, with a message saying why.
  std::vector<std::string> intervene_json(const std::string& json_text);
  std::vector<std::string> intervene(pg::FaultSpec fault);
  // Replaces the scenario (after an edit in the scenario panel), keeping the current time (a staged job).
  std::vector<std::string> apply_scenario(const pg::Scenario& scenario);

  // ---- the page's address and presentation (web/page_options.hpp, panels/present.cpp) ----
  // Applies the address's view=, speed=, t= and autoplay=1; called once the scenario of the page (a link, a reload's
  // session or the default) is loaded.
  void apply_start_options();
  const PageOptions& page_options() const { return options_; }
  bool presenting() const { return options_.present; }
  void set_presenting(bool on) { options_.present = on; }
  // The iframe snippet of the scenario on screen (File > Copy embed code); "" with a message when it has no link.
  std::string embed_code() const;
  void copy_embed_code();

  // ---- questions ----
  bool playing() const { return playing_; }
  double speed() const { return speed_; }
  double clock_s() const { return session_->clock_s(); }
  uint64_t events_processed() const { return session_->events_processed(); }
  std::string trace_hash_hex() const { return session_->trace_hash_hex(); }
  std::string report_json() const { return session_->report_json(); }   // "null" when no run exists
  std::string scenario_json() const { return session_->scenario_json(); }   // canonical
  const pg::Scenario& scenario() const { return session_->scenario(); }
  std::string link() const;          // full URL with the scenario in the fragment ("" on error, see message())
  std::string metrics_csv() const { return session_->metrics_csv(); }
  const std::string& message() const { return session_->message(); }
  const std::string& message_detail() const { return session_->message_detail(); }   // the technical reason, or ""
  bool message_is_error() const { return session_->message_is_error(); }
  // The text size the fonts are built for: the View menu's, larger while presenting.
  float font_scale() const { return font_scale_ * (options_.present ? present_font_scale : 1.0f); }
  bool reduced_motion() const { return options_.reduced_motion; }
  void set_reduced_motion(bool on) { options_.reduced_motion = on; }
  const pg::Simulation* simulation() const { return session_->sim(); }
  // The work a run of the current scenario is estimated to take (engine/scenario/cost.hpp), and that in this page.
  const pg::CostEstimate& cost() const { return session_->cost(); }
  double page_seconds_estimate() const { return cost().seconds * page_cost_factor; }
  const std::map<std::string, WidgetRect>& widget_rects() const { return widget_rects_; }
  // The exercise's goals on the current run, as JSON (window.playground.goals()); see panels/exercise.cpp.
  std::string goals_json() const;

  // ---- the Sweep (panels/sweep.cpp; the state is web/sweep.hpp's) ----
  void open_sweep();                                   // Run › Sweep a parameter…
  // Starts a sweep of the current scenario in the page's workers (0: one per core); the problems, or empty.
  std::vector<std::string> start_sweep(const SweepSpec& spec, int workers);
  // A worker's answer (glue_sweep.js); channel 0 is the Sweep's, 1 the Compare's pairs.
  void sweep_result(size_t id, const std::string& answer_json, int channel = 0);
  void sweep_failed(const std::string& why, int channel = 0);
  void cancel_sweep();
  // Opens the run of the sweep's value `value` under its first seed as the current scenario; the problems.
  std::vector<std::string> open_sweep_run(size_t value);
  std::string sweep_json() const;                      // window.playground.sweep()
  // ---- Compare (A/B) (panels/compare.cpp; the state is web/compare.hpp's) ----
  // Run › Compare with…: B = A with `changes` (the link's patch text; "" = no change yet), running beside A.
  std::vector<std::string> start_compare(const std::string& changes);
  void stop_compare();
  bool comparing() const { return compare_.active(); }
  // The parameter editors edit B instead of A (and back).
  void set_editing_b(bool on) { compare_ui_.editing_b = on && compare_.active(); }
  void set_compare_split(bool on) { compare_ui_.split = on; }
  // The pairs (A and B under seeds 1..N) in the Sweep's workers; the problems, or empty.
  std::vector<std::string> start_compare_seeds(int seeds, int workers);
  // {active, changes, b_time_s, caught_up, split, editing_b, rows: [{metric, a, b, diff, seeds: {a_mean, b_mean,
  // diff_mean, diff_ci95}}], seeds: sweep state} (window.playground.compare())
  std::string compare_json();
  // The run as text for screen readers (panels/spoken.cpp): {lang, title, figures, goals_title, goals, log_title, log},
  // each line in the page's language.
  std::string spoken_report_json() const;
  // Every field editor the page offers for the current scenario: path, type, range, words, locked (panels/scenario.cpp).
  std::string editors_json() const;
  bool has_exercise() const { return exercise_.active; }
  // ---- exercise authoring (panels/exercise_author.cpp, docs/editor.md) ----
  // Exercise › Author an exercise…: opening it shows every parameter editable (the teacher's mode); closing it shows
  // the exercise as a student gets it. Preview as student shows the student's view from time zero; back restores the
  // exercise as authored.
  void open_author(bool open);
  void preview_as_student(bool on);
  // {open, marking, preview, metric, op, target, metrics} (window.playground.author())
  std::string author_json() const;
  // The charts drawn in the last frame: title and number of points each line has (tests check they advance).
  const std::vector<std::pair<std::string, size_t>>& chart_points() const { return chart_points_; }

  // ---- mechanism views (web/views/*.cpp) ----
  // Brings a main-view tab to the front on the next frame: "Charts", "Architecture", "Ring", "Locks", "Queues".
  void select_view(const std::string& name) { requested_view_ = name; }
  const std::string& active_view() const { return active_view_; }
  // What the views drew last (counts of particles, ring points, lock bars ...), as JSON for window.playground.
  std::string view_stats_json() const;
  double last_engine_ms() const { return engine_ms_; }   // wall time the last frame spent simulating

  // ---- sharing actions (use the Host) ----
  void copy_link();
  void download_scenario();
  void download_csv();
  void save_screenshot();

  // ---- the first screen's guide (panels/guide.cpp) ----
  void show_guide(bool open);          // open (Help > Show the guide) or close ("Got it"); remembered in the browser
  std::string guide_json() const;      // {"open", "done": [play, break, exercise]} (window.playground.guide())

  // ---- the glossary (web/glossary.hpp, panels/glossary.cpp) ----
  void open_glossary(bool open);       // Help > Glossary
  // {"open", "card": the term whose card is open or null, "tooltip": the term hovered last frame or null,
  //  "terms": [{"id", "name", "text", "view"}]} (window.playground.glossary())
  std::string glossary_json() const;

  // ---- the phone layout (a viewport narrower than phone_width_max CSS pixels: one panel at a time) ----
  enum class PhonePanel : uint8_t { views, scenario, inspector, log };
  static constexpr float phone_width_max = 600;
  bool phone_layout() const { return phone_.active; }
  PhonePanel phone_panel() const { return phone_.panel; }
  void set_phone_panel(PhonePanel panel) { phone_.panel = panel; }

  // ---- a course (an exercise pack, engine/classroom/course.hpp; panels/course.cpp) ----
  // Opens a course file's text: its list in the scenario panel, its first exercise loaded, the course and its
  // statuses kept in the browser. On errors keeps everything as it was and returns them. load_scenario_text hands
  // a course file here, so the file picker, a dropped file and window.playground.loadScenario all take courses.
  std::vector<std::string> load_course_text(const std::string& text);
  std::vector<std::string> open_course_exercise(size_t index);
  void close_course();
  void forget_course_progress();
  // {"active", "name", "current", "passed", "exercises": [{"id", "title", "status"}]} (window.playground.course())
  std::string course_json() const;
  std::string course_text() const;   // the course file as the page would save it ("" without a course)
  void download_course();

  // ---- the editor's core: undo and redo, the JSON editor (panels/json_editor.cpp, docs/editor.md) ----
  bool undo();                                      // Edit > Undo, Ctrl+Z (refused on a read-only page)
  bool redo();                                      // Edit > Redo, Ctrl+Shift+Z, Ctrl+Y
  bool can_undo() const { return session_->can_undo(); }
  bool can_redo() const { return session_->can_redo(); }
  void open_json_editor(bool open);
  // {"open", "valid", "problems": [{"path", "message"}], "dirty", "selection"} (window.playground.jsonEditor())
  std::string json_editor_json() const;
  const std::string& editor_selection() const { return editor_selection_; }

  // ---- the QR code of the share link (panels/qr_view.cpp) ----
  void show_qr();                                   // opens the full-screen view of the current link's QR code
  void close_qr() { qr_.open = false; }
  bool qr_open() const { return qr_.open; }
  // What the view shows (window.playground.qr()): {open, fits, text, length, version, ecc, mask, size, rows, png,
  // problem}; rows are strings of '1' (dark) and '0', png the download's bytes in base64. Refreshed if the link changed.
  std::string qr_json();
  void download_qr_png();

  // ---- recording (web/panels/record.cpp, docs/recording.md) ----
  // Opens the Record dialog (File > Record...).
  void open_record_dialog();
  // Starts a recording (the dialog opens and shows its progress); "" or why not, in the page's language.
  std::string start_recording(RecordSettings settings);
  // The same from window.playground.record(): a NaN or "" takes the default (from now, 5 s, 10 fps, speed 1, the view
  // in front).
  std::string start_recording(double from_s, double to_s, double fps, double speed, const std::string& view, bool webm,
                              bool half);
  void cancel_recording();
  bool recording() const;
  // {active, phase, frames, total, bytes, width, height, format, error} (window.playground.recording())
  std::string recording_json() const;
  const std::vector<uint8_t>& recorded_gif() const { return record_.gif_bytes; }
  // The platform's part, after the frame is drawn: the rectangle to read (CSS pixels, from the canvas' top-left)
  // when this frame is one to record, and its pixels read back (device pixels, top row first, width * height * 4).
  bool capture_wanted(WidgetRect& rect) const;
  void captured(const uint8_t* rgba, int width, int height);
  void webm_finished(double bytes, bool ok);   // the page's WebM writer is done (or failed)
  static constexpr int record_frames_max = 1800;
  static constexpr int record_settle_frames_max = 120;   // looks before recording starts anyway

  static constexpr float present_font_scale = 1.5f;           // presentation mode: text for the back of the room
  static constexpr double speed_min = 0.1;
  static constexpr double speed_max = 1000;
  static constexpr double speed_unlimited = 1e9;              // "max": as many events as a frame's time allows
  static constexpr uint64_t events_per_frame_max = 400'000;   // keeps a frame short on a slow machine
  static constexpr double frame_dt_max_s = 0.25;              // a background tab's long pause is not replayed
  static constexpr double engine_frame_budget_s = 0.004;      // wall time a frame may spend simulating at a set speed
  static constexpr uint64_t events_per_slice = 1024;          // events between looks at the clock (~0.3 ms or less)
  static constexpr double unlimited_frame_budget_s = 0.012;   // wall time a frame may spend simulating at "max"
  static constexpr double report_refresh_s = 0.25;            // the cached report for charts: 4 times a second
  static constexpr double job_frame_budget_s = 0.030;         // wall time a frame may spend on a job
  // The page's time for a run over the estimate's (which assumes 1 M events/s): a job in headless Chromium with
  // software GL measured 1.5-3 M events/s on 30 ms of each frame, so the estimate holds for the page as it is.
  static constexpr double page_cost_factor = 1.0;
  static constexpr double long_run_warning_s = 3.0;           // estimated page seconds above which a run is "long"

 private:
  // ---- frame parts (each in its own file) ----
  void advance(double real_dt_s);
  void handle_shortcuts();
  void close_popups_under_click();
  void touch_scroll();                                // app.cpp: a finger's drag scrolls a phone's panel
  void draw_menu_bar();
  void draw_language_menu();                          // panels/language.cpp
  void draw_help_overlay();
  void draw_present_hint();                           // panels/present.cpp: how to leave, for a few seconds
  void draw_scenario_panel();                         // panels/scenario.cpp
  void draw_parameters();                             // panels/scenario.cpp
  void draw_scenario_texts();                         // panels/scenario_texts.cpp: name and description
  void draw_interventions_list();                     // panels/scenario.cpp
  void draw_transport();                              // panels/transport.cpp
  void draw_main_view();                              // app.cpp: tabs; the charts for now
  void draw_charts();                                 // views/charts.cpp
  void draw_architecture_view();                      // views/architecture.cpp
  void draw_ring_view();                              // views/ring.cpp
  void draw_locks_view();                             // views/locks.cpp
  void draw_queues_view();                            // views/queues.cpp
  // The scenario's `view` object (layout positions) is not a simulation parameter: changing it needs no rebuild.
  void set_scenario_view(nlohmann::json view) { session_->set_view(std::move(view)); }
  void draw_inspector();                              // panels/inspector.cpp
  void draw_log();                                    // panels/log.cpp
  void draw_message_banner();
  void draw_qr_view();                                // panels/qr_view.cpp: over everything while open
  void refresh_qr();                                  // panels/qr_view.cpp: the current link, encoded
  void draw_exercise_panel();                         // panels/exercise.cpp: task, goals, hints, Check
  void draw_sweep_window();                           // panels/sweep.cpp
  void draw_compare_window();                         // panels/compare.cpp: the strip above the views (B, the table)
  void compare_follow();                              // panels/compare.cpp: B's run towards A's clock
  // Draws one main view for A and for B side by side (Split A | B), B with its own view state.
  void draw_split(void (App::*draw)());
  void draw_guide();                                  // panels/guide.cpp: the first screen's "try this" steps
  void update_guide();
  void restore_guide();
  void draw_course_list();                            // panels/course.cpp: the course's exercises and statuses
  void course_exercise_seen(bool finished, bool solved);   // panels/course.cpp: the open exercise's verdict
  void restore_course();                              // panels/course.cpp: the course a previous visit kept
  void course_scenario_loaded();                      // panels/course.cpp: which exercise is loaded now
  std::vector<std::string> install_course(const std::string& course_text);   // parse, resolve, keep; opens nothing
  std::vector<pg::ValidationError> resolve_course(const pg::Course& course, std::vector<std::string>& scenarios) const;
  void exercise_loaded();                             // panels/exercise.cpp: a new scenario was loaded
  bool param_locked(const std::string& path) const;   // panels/exercise.cpp: not in the exercise's allowed paths
  // panels/exercise.cpp: the goals on the shown run's report, or over every seed once Check has run the exercise's
  // other seeds (pg::goals_over_seeds, as playground-cli check). `decided`: the verdict is final (the run ended, and
  // for an exercise with seeds > 1, every seed has run).
  std::vector<pg::GoalResult> exercise_goals(const nlohmann::json& report, bool& decided) const;
  void mark_term(Term term);                          // panels/glossary.cpp: the last item names `term`
  void mark_term_at(Term term, const WidgetRect& rect);   // the same for text drawn at `rect` (none: width 0)
  bool term_view_button(const TermInfo& info, const char* rect);
  void draw_glossary();                               // panels/glossary.cpp: a term's card, Help > Glossary
  void draw_phone_nav(float top, float height);       // app.cpp: the phone's row of panel buttons
  void remember_rect(const char* name);               // the last item's rectangle, for tests
  void remember_rect_at(const std::string& name, float x, float y, float width, float height) {
    widget_rects_[name] = WidgetRect{x, y, width, height};   // a drawn shape's rectangle (a chart's point)
  }

  // ---- composing on the Architecture view (panels/compose.cpp, views/architecture.cpp; docs/editor.md) ----
  // The editor's selection: a JSON pointer into the scenario ("/services/2", "/requests/0", "/workload"; "": none).
  std::string editor_selection_;
  struct ComposeUi {
    bool active = false;           // the palette and the side panel are shown on the Architecture view
    int palette_drag = -1;         // compose::Kind being dragged from the palette, -1: none
    int connect_from = -1;         // the graph node whose handle is being dragged, -1: none
    std::string request;           // the request type whose steps the panel shows and whose flow is drawn
    std::string name;              // the name field's text, and the element it was filled from
    std::string name_for;
    int step_kind = 0, step_target = 0;   // the step the "+" buttons add
    int keys_frame = -1;           // the frame the canvas was last drawn composing: keys act only then
    // An edit made while the frame draws waits here for the next frame (the views hold the run being replaced).
    std::unique_ptr<pg::Scenario> staged;
    std::string staged_pointer;
    struct Box { std::string pointer; float x, y; };
    std::vector<Box> boxes;        // each box's element and centre last frame, for the arrow keys
  } compose_;
  void draw_compose_palette();                        // panels/compose.cpp: the palette over the canvas
  void draw_compose_panel();                          // panels/compose.cpp: the selection's fields, the steps
  bool compose_keys();                                // panels/compose.cpp: Delete, Escape, arrows; true: used
  bool compose_apply(const compose::Edit& edit);     // stages an edit (applied next frame) or shows why not
  void compose_commit();                              // applies the staged edit and selects what it made
  void new_scenario(int builtin);                     // panels/compose.cpp: File > New (-1: blank)

  // ---- run plumbing ----
  void advance_playing(double real_dt_s);             // the clock moving at the chosen speed
  void draw_job_progress(const char* cancel_id);      // progress bar + Cancel (transport, exercise panel)
  std::string job_label() const { return session_->job_label(); }
  void set_message(std::string text, bool is_error) { session_->set_message(std::move(text), is_error); }
  const nlohmann::json& cached_report();              // report(with_series) refreshed at most every report_refresh_s
  void invalidate_report() { report_age_s_ = 1e9; }

  Host host_;
  PageOptions options_;
  std::unique_ptr<Session> session_;   // the scenario, its run and the jobs
  // The run the views read: A's, or B's while a split view draws its B half (views only read it).
  pg::Simulation* sim() const {
    return drawing_b_ ? const_cast<pg::Simulation*>(compare_.sim_b()) : session_->sim();
  }
  bool drawing_b_ = false;
  bool graphics_lost_ = false;
  bool playing_ = false;
  double speed_ = 1.0;

  // Pending edits of the scenario panel, applied once no widget is being dragged or typed into.
  std::unique_ptr<pg::Scenario> pending_edit_;

  // UI state.
  bool show_help_ = false;
  bool hint_for_present_ = false;      // the presentation mode the hint was last shown for, and since when
  double present_since_s_ = -1;
  bool show_about_ = false;
  bool open_help_popup_ = false;
  float font_scale_ = 1.0f;
  int selected_service_ = 0;
  int selected_instance_ = -1;
  float pause_ms_ = 3000;
  float slow_factor_ = 5;
  float slow_for_ms_ = 0;
  float rate_now_ = -1;                // "set rate" field; -1 = take the current rate when first shown
  float scrub_s_ = -1;                 // the scrubber while dragged
  double real_time_s_ = 0;             // real seconds since start
  std::string banner_text_;            // the message the banner showed last frame, and since when (real seconds)
  double banner_since_s_ = 0;
  static constexpr double banner_fade_start_s = 6, banner_fade_end_s = 8;
  double eps_window_start_s_ = 0;
  uint64_t eps_window_events_ = 0;
  double events_per_s_ = 0;            // engine events per real second, measured
  nlohmann::json report_cache_;
  double report_age_s_ = 1e9;
  uint64_t report_events_ = UINT64_MAX;
  std::map<std::string, WidgetRect> widget_rects_;
  std::vector<std::pair<std::string, size_t>> chart_points_;
  std::unique_ptr<ViewsState> views_;
  std::string requested_view_, active_view_ = "Charts";
  double engine_ms_ = 0;
  double charts_built_s_ = -1;         // real time the chart data was last rebuilt (reduced motion: once a second)
  // A loaded exercise (a scenario with goals): the original it is checked against (so a student's loaded answer
  // is still compared with the exercise as given), hints shown so far, goal statuses refreshed a few times a second.
  struct ExerciseUi {
    bool active = false;
    pg::Scenario baseline;
    pg::ExerciseInfo info;
    int hints_shown = 0;
    bool collapsed = false;
    double refreshed_s = -1;                 // real time of the last evaluation
    float content_height = 0;                // the panel's content last frame, to size it
    uint64_t refreshed_events = UINT64_MAX;
    std::vector<pg::GoalResult> goals;
    bool decided = false;                    // goals are the final verdict (exercise_goals)
    std::vector<std::string> locked_changes; // changes the exercise does not allow
  };
  ExerciseUi exercise_;
  // Exercise authoring (panels/exercise_author.cpp): the window, the marking mode, the preview and the authored
  // scenario it returns to, the new goal's fields and the text boxes (each shows the scenario's text unless typed in).
  struct AuthorUi {
    struct TextBox {
      char text[pg::limits::text_length_max + 1] = "";
      bool editing = false, focus = false;   // typed into; just clicked (the editor takes the keyboard next)
    };
    bool open = false, marking = false, preview = false;
    std::unique_ptr<pg::Scenario> authored;
    std::vector<authoring::Metric> metrics;   // the picker's list, read from the report when it opens
    double metrics_at_s = 0;
    bool metrics_final = false;               // read at the run's end
    char search[96] = "";
    std::string metric;
    int op = 0;
    double target = 0;
    char label[257] = "";
    TextBox task, new_hint;
    std::vector<TextBox> hints;
    int seeds = 1;
    bool seeds_editing = false;
    std::vector<std::string> allowed;         // the marked paths, read once a frame
    int allowed_frame = -1;
  };
  AuthorUi author_;
  void draw_exercise_menu();
  void draw_author_window();
  void draw_author_metric_picker();
  void draw_author_preview_bar();               // on the exercise panel while previewing
  bool author_text_box(const char* id, AuthorUi::TextBox& box, const std::string& current, float keep_right);
  void student_view();                          // the exercise panel for the scenario as it is
  bool author_scenario_loaded();                // another scenario: the preview ends; true while authoring
  // The parameters panel, after each field's editor: while authoring, outlines a field a student may change and, while
  // marking, toggles it on a click. author_marking(): the editors are not editable then.
  void author_mark(const std::string& path);
  bool author_marking() const { return author_.open && author_.marking; }
  // The open course: each exercise's scenario text (inline, or the built-in its file names) and parsed, the
  // statuses ("passed", "tried"; absent: not tried) by exercise id, and which exercise is loaded (-1: none).
  struct CourseUi {
    bool active = false;
    pg::Course course;
    std::vector<std::string> scenarios;
    std::vector<pg::Scenario> exercises;
    std::map<std::string, std::string> status;
    int current = -1;
  };
  CourseUi course_;
  Compare compare_;
  std::unique_ptr<pg::Scenario> pending_edit_b_;   // an edit of B, applied as A's are (frame())
  std::unique_ptr<ViewsState> views_b_;            // B's half of a split view: its own layout, dots and stats
  struct CompareUi {
    bool open = false;
    bool split = false;
    bool editing_b = false;
    int seeds = 10;
    int workers = 0;
    std::vector<std::string> metrics;             // the table's rows (goals' metrics, then each request's mean, p99)
    std::string problems;
    double started_s = 0, finished_s = 0;
  };
  CompareUi compare_ui_;
  Sweep sweep_;
  struct SweepUi {
    bool open = false;
    std::vector<pg::FieldAddress> fields;     // the scenario's number fields, when the window opened
    std::vector<std::string> metrics;         // the report's number paths, the goals' and defaults first
    int field = -1, metric = -1;
    char values[256] = "1,2,3,4";
    int seeds = 5;
    int workers = 0;
    std::string problems;                     // why the last Run was refused, one per line
    double started_s = 0, finished_s = 0;     // real time, for runs per second
  };
  SweepUi sweep_ui_;
  struct GuideUi {
    bool open = false;
    bool done[3] = {false, false, false};
    float height = 0;   // its content last frame
  };
  GuideUi guide_;
  // The glossary: its window, the term whose card is open (-1: none; requested: open it this frame), the term hovered
  // this frame and the one hovered last frame (what the tests read).
  struct GlossaryUi {
    bool open = false;
    int card = -1;
    bool card_requested = false;
    int hovered = -1, hovered_shown = -1;
  };
  GlossaryUi glossary_;
  struct PhoneUi {
    bool active = false;   // this frame is laid out for a phone
    PhonePanel panel = PhonePanel::views;
  };
  PhoneUi phone_;
  // The mouse (a finger, on a touch screen) held still on one spot for long_press_s: true for that one frame.
  bool long_press_ = false;
  static constexpr double long_press_s = 0.5;
  // The QR code view: the link it encodes (the page's current share link when opened), the symbol, or why not.
  struct QrUi {
    bool open = false;
    std::string text;          // the link encoded
    std::string problem;       // shown instead of the code: the link is too long, or the scenario has no link
    pg::QrEncode encoded;
    bool closing_click = false;   // a press outside the buttons: the view closes when it is released
  };
  QrUi qr_;
  // A recording: the settings, the frames done, the region recorded and the output so far (panels/record.cpp).
  enum class RecordPhase : uint8_t { idle, seeking, settling, capturing, finishing, done, failed };
  struct RecordUi {
    bool open = false, open_requested = false;
    RecordSettings settings;       // the dialog's fields
    RecordSettings running;        // the recording's
    RecordPhase phase = RecordPhase::idle;
    int total = 0, done = 0;
    int settle_frames = 0, settle_same = 0;   // looks at the picture before the first frame; alike in a row
    uint64_t settle_hash = 0;      // of the last look
    bool capture_now = false;      // the frame being drawn is at frame `done`'s simulated time
    WidgetRect region;             // the view's content this frame
    int width = 0, height = 0;     // of the output, fixed by the first frame
    double webm_bytes = 0;
    std::string error;
    std::unique_ptr<gif::Encoder> gif_writer;
    std::vector<uint8_t> gif_bytes;
    std::vector<uint8_t> shrunk;
  };
  RecordUi record_;
  // The JSON editor (panels/json_editor.cpp): the text being edited (a growing buffer), the scenario text it was
  // filled from, and the last check of it (debounced: check_idle_s after the last keystroke).
  struct JsonEditorUi {
    bool open = false;
    std::vector<char> buffer;
    std::string base;                          // the scenario's text when the buffer was filled
    bool dirty = false;                        // the buffer differs from base
    bool checked = true;                       // the buffer as it is now has been checked
    double edited_s = 0;                       // real time of the last keystroke
    double looked_s = -1;                      // real time the scenario's text was last compared with base
    std::vector<pg::ValidationError> problems; // of the last check
    static constexpr double check_idle_s = 0.3;
  };
  JsonEditorUi json_;
  void draw_json_editor();                     // panels/json_editor.cpp
  void draw_record_dialog();
  void record_advance();          // settles, then simulates exactly to each frame's time
  void record_fail(const std::string& why);
  pg::time_ns record_frame_ns(int k) const;
  // The clock of animations that run in real time (the ring's moved keys); while recording, the output's time.
  double view_clock_s() const { return recording() ? record_.done / record_.running.fps : real_time_s_; }
};

// Whether a document is a course file (engine/classroom/course.hpp) rather than a scenario (panels/course.cpp).
bool looks_like_course(const std::string& text);

// A file name's stem from a scenario's name: lower-case letters and digits, other runs as one "-".
std::string file_stem(const std::string& name);

}  // namespace pgweb
