// The page's address options (web/page_options.hpp): each parameter read as documented, anything else ignored (the
// page then behaves as without it), and the embed address and snippet File > Copy embed code makes.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "web/page_options.hpp"

namespace {

pgweb::PageOptions options_of(const std::map<std::string, std::string>& query) {
  return pgweb::parse_page_options([&](const char* name) {
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
  });
}

}  // namespace

TEST_CASE("no parameters: the page as it always was", "[page_options]") {
  const pgweb::PageOptions options = options_of({});
  CHECK_FALSE(options.embed);
  CHECK(options.view.empty());
  CHECK(options.start_s < 0);
  CHECK_FALSE(options.autoplay);
  CHECK(options.speed == 0);
  CHECK(options.controls == pgweb::Controls::full);
  CHECK_FALSE(options.readonly);
  CHECK_FALSE(options.present);
}

TEST_CASE("every embed parameter is read", "[page_options]") {
  const pgweb::PageOptions options = options_of({{"embed", "1"}, {"view", "ring"}, {"t", "12.5"}, {"autoplay", "1"},
                                                 {"speed", "10"}, {"controls", "min"}, {"readonly", "true"},
                                                 {"present", "1"}});
  CHECK(options.embed);
  CHECK(options.view == "Ring");   // any case, given back as the page names it
  CHECK(options.start_s == 12.5);
  CHECK(options.autoplay);
  CHECK(options.speed == 10);
  CHECK(options.controls == pgweb::Controls::min);
  CHECK(options.readonly);
  CHECK(options.present);
  CHECK(options_of({{"controls", "none"}}).controls == pgweb::Controls::none);
}

TEST_CASE("a value not understood is ignored, not an error", "[page_options]") {
  const pgweb::PageOptions options = options_of({{"embed", "yes"}, {"view", "Graph"}, {"t", "12s"}, {"autoplay", "0"},
                                                 {"speed", "-3"}, {"controls", "tiny"}, {"readonly", "no"}});
  CHECK_FALSE(options.embed);
  CHECK(options.view.empty());
  CHECK(options.start_s < 0);
  CHECK_FALSE(options.autoplay);
  CHECK(options.speed == 0);
  CHECK(options.controls == pgweb::Controls::full);
  CHECK_FALSE(options.readonly);
  CHECK(options_of({{"t", "nan"}}).start_s < 0);
  CHECK(options_of({{"t", "inf"}}).start_s < 0);
  CHECK(options_of({{"speed", "0"}}).speed == 0);
}

TEST_CASE("the embed address keeps the link's fragment and replaces its query", "[page_options]") {
  pgweb::EmbedChoice choice;
  choice.view = "Architecture";
  choice.t_s = 12.345;
  CHECK(pgweb::embed_url("https://shop.example/play/?lang=zh-CN#s=1.abc", choice) ==
        "https://shop.example/play/?embed=1&view=Architecture&t=12.3&readonly=1#s=1.abc");
  choice = pgweb::EmbedChoice();
  choice.readonly = false;
  choice.autoplay = true;
  choice.controls = pgweb::Controls::none;
  choice.view = "Nowhere";   // not a view: left out
  CHECK(pgweb::embed_url("http://127.0.0.1:8080/", choice) == "http://127.0.0.1:8080/?embed=1&autoplay=1&controls=none");
}

TEST_CASE("the snippet is an iframe with its attributes escaped", "[page_options]") {
  const std::string snippet = pgweb::embed_snippet("https://x.example/?embed=1&t=2#s=1.a", "Locks \"&\" <queues>");
  CHECK(snippet == "<iframe src=\"https://x.example/?embed=1&amp;t=2#s=1.a\" width=\"960\" height=\"540\" "
                   "title=\"Locks &quot;&amp;&quot; &lt;queues&gt;\" style=\"border:0\" loading=\"lazy\" "
                   "allowfullscreen></iframe>");
}
