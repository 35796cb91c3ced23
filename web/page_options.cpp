// The page's start options from its address, and the embed snippet (see page_options.hpp).
#include "web/page_options.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace pgweb {

namespace {

constexpr const char* view_names[] = {"Charts", "Architecture", "Ring", "Locks", "Queues"};

bool yes(const std::string& value) { return value == "1" || value == "true"; }

// A finite number, all of the text ("12.5", not "12s"); false otherwise.
bool parse_number(const std::string& text, double& out) {
  if (text.empty()) return false;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) return false;
  out = value;
  return true;
}

// The view's canonical name for any spelling of its case ("ring" -> "Ring"), or "".
std::string view_named(const std::string& name) {
  for (const char* view : view_names) {
    const std::string canonical = view;
    if (canonical.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) same = std::tolower((unsigned char)name[i]) == std::tolower((unsigned char)canonical[i]);
    if (same) return canonical;
  }
  return "";
}

std::string number_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.10g", value);
  return text;
}

std::string html_escaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

}  // namespace

bool known_view(std::string_view name) {
  for (const char* view : view_names)
    if (name == view) return true;
  return false;
}

PageOptions parse_page_options(const std::function<std::string(const char* name)>& query) {
  PageOptions options;
  options.embed = yes(query("embed"));
  options.view = view_named(query("view"));
  double number = 0;
  if (parse_number(query("t"), number) && number >= 0) options.start_s = number;
  options.autoplay = yes(query("autoplay"));
  if (parse_number(query("speed"), number) && number > 0) options.speed = number;
  const std::string controls = query("controls");
  if (controls == "min") options.controls = Controls::min;
  else if (controls == "none") options.controls = Controls::none;
  options.readonly = yes(query("readonly"));
  options.present = yes(query("present"));
  return options;
}

std::string embed_url(std::string_view link, const EmbedChoice& choice) {
  const size_t hash = link.find('#');
  const std::string_view fragment = hash == std::string_view::npos ? std::string_view() : link.substr(hash);
  std::string_view base = link.substr(0, hash);
  base = base.substr(0, base.find('?'));
  std::string url = std::string(base) + "?embed=1";
  if (known_view(choice.view)) url += "&view=" + choice.view;
  if (choice.t_s > 0) url += "&t=" + number_text(std::round(choice.t_s * 10) / 10);
  if (choice.autoplay) url += "&autoplay=1";
  if (choice.controls == Controls::min) url += "&controls=min";
  if (choice.controls == Controls::none) url += "&controls=none";
  if (choice.readonly) url += "&readonly=1";
  return url + std::string(fragment);
}

std::string embed_snippet(std::string_view url, std::string_view title, int width, int height) {
  return "<iframe src=\"" + html_escaped(url) + "\" width=\"" + std::to_string(width) + "\" height=\"" +
         std::to_string(height) + "\" title=\"" + html_escaped(title) +
         "\" style=\"border:0\" loading=\"lazy\" allowfullscreen></iframe>";
}

}  // namespace pgweb
