// The session's messages in the page's language (web/i18n/strings_app.inc): with Simplified Chinese chosen, the
// banner's own words are Chinese while the scenario's name, the JSON path and the engine's message stay in it;
// with English, the same text as before the table existed. Durations a person reads follow the language too.
#include <string>

#include "tests/unit/test_support.hpp"
#include "web/session.hpp"
#include "web/strings.hpp"

using pgweb::Lang;
using pgweb::Session;

namespace {

constexpr const char* scenario_file = "scenarios/shop-spike.json";
constexpr const char* bad_scenario = R"({"version":1,"name":"x","duration_s":-5,"services":[{"name":"a"}]})";

// Restores English when a test ends, whatever it checked.
struct LanguageScope {
  explicit LanguageScope(Lang lang) { pgweb::set_language(lang); }
  ~LanguageScope() { pgweb::set_language(Lang::en); }
};

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the session's messages are in the chosen language and keep the engine's details", "[i18n]") {
  for (Lang lang : {Lang::en, Lang::zh_CN}) {
    LanguageScope scope(lang);
    INFO(pgweb::lang_code(lang));
    Session session;
    REQUIRE(session.load_scenario_text(pg::test::read_text(scenario_file), "file").empty());
    const std::string loaded = session.message();
    REQUIRE_FALSE(session.load_scenario_text(bad_scenario, "bad.json").empty());
    const std::string refused = session.message();
    CHECK(contains(refused, "A small shop under a traffic spike"));   // the scenario's own name, as written
    CHECK(contains(refused, "/duration_s"));                          // the JSON path, as written
    CHECK(contains(refused, "bad.json"));
    if (lang == Lang::en) {
      CHECK(loaded == "Loaded \"A small shop under a traffic spike\" (file).");
      // What happened and what to do, the scenario kept, then the technical reason as a details line.
      CHECK(contains(refused, "Could not load the scenario from bad.json: it has mistakes"));
      CHECK(contains(refused, "You still have \"A small shop under a traffic spike\".\nDetails: /duration_s: "));
      CHECK(contains(session.message_detail(), "/duration_s: "));
      CHECK(pgweb::format_seconds(0.25) == "250 ms");
      CHECK(pgweb::format_seconds(12.5) == "12.5 s");
      CHECK(pgweb::format_seconds(200) == "3 min 20 s");
    } else {
      // The banner names the scenario by its own Chinese name (its i18n.zh-CN block).
      CHECK(loaded == "已加载“流量尖峰下的小商城”（file）。");
      CHECK(contains(refused, "无法从 bad.json 加载场景："));
      CHECK(contains(refused, "你仍保留着“A small shop under a traffic spike”。\n详情：/duration_s："));
      CHECK_FALSE(contains(refused, "Could not load"));
      CHECK(pgweb::format_seconds(0.25) == "250 毫秒");
      CHECK(pgweb::format_seconds(12.5) == "12.5 秒");
      CHECK(pgweb::format_seconds(200) == "3 分 20 秒");
    }
  }
}
