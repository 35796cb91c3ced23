// What the page's address asks of the app at start (docs/embedding.md): ?embed=1 and the embed parameters view=, t=,
// autoplay=1, speed=, controls=min|none, readonly=1, and present=1. Each one absent or not understood leaves the page as
// it is without it (an address is typed by people; a bad value is ignored, never an error that stops the page).
// Also the other way round: the iframe snippet File > Copy embed code gives for the scenario on screen.
// No ImGui or browser code: tested natively (tests/unit/web/test_page_options.cpp).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace pgweb {

// How much of the transport bar an embedded page shows.
enum class Controls : uint8_t {
  full,   // every button, the speed, the readout and the timeline (the page without controls=)
  min,    // one row: Play/Pause and the clock
  none,   // no transport bar: the view alone (play it with autoplay=1, or Space)
};

struct PageOptions {
  bool embed = false;            // ?embed=1: no menu bar and no side panels (iframes in slides)
  bool reduced_motion = false;   // prefers-reduced-motion: reduce
  std::string view;              // ?view=: the main view's tab at start ("" keeps Charts)
  double start_s = -1;           // ?t=: seconds to seek to at start (< 0: time zero)
  bool autoplay = false;         // ?autoplay=1: playing from the start (or from t=)
  double speed = 0;              // ?speed=: simulated seconds per real second (0: the page's 1x)
  Controls controls = Controls::full;
  bool readonly = false;         // ?readonly=1: the scenario cannot be changed from the page (edits, interventions)
  bool present = false;          // ?present=1: presentation mode from the start (key F toggles it)
};

// The main views by the names ?view= and window.playground.selectView use.
bool known_view(std::string_view name);

// Reads the options from the address's query parameters; `query(name)` gives a parameter's value, "" when absent.
PageOptions parse_page_options(const std::function<std::string(const char* name)>& query);

// The address of an embedded view of `link` (a share link: page address, maybe a query, then "#s=..."): the query
// replaced by embed=1 and the view, the time and the options given.
struct EmbedChoice {
  std::string view;       // "" leaves it out
  double t_s = 0;         // 0 leaves it out
  bool autoplay = false;
  Controls controls = Controls::full;
  bool readonly = true;   // a page in someone else's slides shows the run as it was shared
};
std::string embed_url(std::string_view link, const EmbedChoice& choice);
// <iframe src="..." width=.. height=.. title="..."></iframe>, the title HTML-escaped.
std::string embed_snippet(std::string_view url, std::string_view title, int width = 960, int height = 540);

}  // namespace pgweb
