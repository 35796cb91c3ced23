// The page's strings: one table, one row per string, keyed by id. English only for now; a language is one more
// column (add a parameter to every X(...) row and a member to Str, then pick the column in text()).
// Rows with printf conversions say what each one receives in the comment above the row; a translation keeps the
// same conversions in the same order.
//
// Use: text(StrId::cancel), or text_format(StrId::job_progress, ...) for the rows with conversions.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace pgweb {

// clang-format off
#define PGWEB_STRINGS(X)                                                                                              \
  /* the transport bar (web/panels/transport.cpp) */                                                                  \
  X(transport_play, "\u25B6 Play")                                                                                   \
  X(transport_pause, "\u275A\u275A Pause")                                                                           \
  X(transport_play_tooltip, "Play or pause (Space)")                                                                 \
  X(transport_step, "Step")                                                                                          \
  X(transport_step_tooltip, "Advance one sample interval (. or \u2192)")                                             \
  X(transport_end, "\u21E5 End")                                                                                     \
  X(transport_end_tooltip, "Run to the end as fast as possible (in slices: the page stays usable)")                  \
  X(transport_reset, "\u21BA Reset")                                                                                 \
  X(transport_reset_tooltip, "Back to time zero (R); keeps your interventions")                                      \
  X(transport_speed_max, "max")                                                                                      \
  X(transport_speed_tooltip, "Simulated seconds per real second (max: as fast as this machine goes).\n"              \
                             "Speed never changes the results, only how soon you see them.")                         \
  /* %.3f: simulated seconds; %s: engine events per real second */                                                   \
  X(transport_readout, "t = %.3f s   %s ev/s")                                                                       \
  X(transport_timeline_tooltip, "Simulated time. Drag to jump anywhere: earlier times are re-simulated from the "    \
                                "start.")                                                                            \
  /* the exercise panel's Check (web/panels/exercise.cpp) */                                                          \
  X(check, "Check")                                                                                                  \
  X(check_again, "Check again")                                                                                      \
  X(check_tooltip, "Runs the scenario to its end and checks every goal, as playground-cli check does.")              \
  /* jobs: the progress bar's label, one per kind of job */                                                          \
  X(job_run_to_end, "Running to the end")                                                                            \
  X(job_step, "Stepping")                                                                                            \
  X(job_seek, "Jumping to the chosen time")                                                                          \
  X(job_seek_back, "Replaying from the start to the chosen time")                                                   \
  X(job_rebuild, "Replaying the run with your change")                                                              \
  X(job_check, "Checking the exercise to the end")                                                                   \
  X(job_open_link, "Replaying the link's interventions")                                                            \
  /* %.0f: percent done; %s: the job's label (above); %s: simulated time reached; %s: the job's target time */      \
  X(job_progress, "%.0f%%   %s\u2026   %s of %s")                                                                    \
  X(cancel, "Cancel")                                                                                                \
  X(cancel_tooltip, "Stop now. A run keeps everything simulated so far; a change being replayed is undone.")         \
  /* %s: the simulated time the run stopped at */                                                                    \
  X(job_cancelled_forward, "Stopped at %s: the run is kept up to there. Press Play or End to go on.")                \
  X(job_cancelled_rebuild, "Change undone: the run is back as it was before it.")                                    \
  X(job_cancelled_check, "Check cancelled at %s: no verdict. The run is kept up to there.")                          \
  /* %s: why (the engine's message) */                                                                                \
  X(run_build_failed, "Cannot build the run: %s")                                                                    \
  X(job_failed, "The run could not go on: %s")                                                                       \
  /* %s: the simulated time of the intervention */                                                                   \
  X(intervention_recorded, "Intervention at %s recorded")                                                            \
  /* %s: the engine's budget message, e.g. "the run stopped at 12.5 s: it processed ... events, the limit per run" */ \
  X(budget_stopped, "The run stopped early because it reached the work limit of a run: %s. Everything up to that "   \
                    "point is kept. Shorten the run, or lower the rate, to see all of it.")                          \
  /* cost estimate, shown before running; %s: a duration such as "45.0 s" */                                         \
  X(cost_long_run, "Long run: about %s")                                                                             \
  X(cost_tooltip_title, "Estimated before running, from the rates, steps, retries and duration:")                    \
  X(cost_tooltip_page, "In this page a run this long goes on in slices, with a progress bar and Cancel; the page "  \
                       "stays usable.")                                                                              \
  /* %s: a duration */                                                                                               \
  X(cost_check_takes, "Check runs the whole scenario: about %s in this page.")                                       \
  /* session recovery; %s: the scenario's name; %zu: its interventions */                                            \
  X(restored_session, "Restored \"%s\" as it was before the page reloaded (%zu intervention(s)).")                   \
  X(graphics_lost, "The graphics context was lost; waiting for the browser to restore it. The run is kept.")        \
  X(graphics_restored, "The graphics context was lost and has been restored; the run and the scenario were kept.")

enum class StrId : uint16_t {
#define PGWEB_STRING_ID(id, en) id,
  PGWEB_STRINGS(PGWEB_STRING_ID)
#undef PGWEB_STRING_ID
  count
};

struct Str {
  const char* id;   // the row's name, for tools and tests
  const char* en;
};

inline constexpr Str strings[] = {
#define PGWEB_STRING_ROW(id, en) Str{#id, en},
  PGWEB_STRINGS(PGWEB_STRING_ROW)
#undef PGWEB_STRING_ROW
};
static_assert(sizeof strings / sizeof strings[0] == (size_t)StrId::count, "one row per id");
// clang-format on

inline const char* text(StrId id) { return strings[(size_t)id].en; }

// A row with printf conversions, filled in (the rows' comments say what each conversion receives).
template <typename... Args>
std::string text_format(StrId id, Args... args) {
  const char* format = text(id);
  const int size = std::snprintf(nullptr, 0, format, args...);
  if (size <= 0) return format;
  std::string out((size_t)size + 1, '\0');
  std::snprintf(out.data(), out.size(), format, args...);
  out.resize((size_t)size);
  return out;
}

}  // namespace pgweb
