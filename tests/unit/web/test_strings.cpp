// The page's two languages (web/strings.hpp, web/translate.hpp): every row of the string table has its Chinese, with
// the same printf conversions; every row is used by the page's code; the engine's English lines are translated by
// pattern, and every line the built-in scenarios log has a pattern.
#include <cstring>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "engine/run/world.hpp"
#include "tests/unit/test_support.hpp"
#include "web/strings.hpp"
#include "web/translate.hpp"

using namespace pgweb;

namespace {

// The printf conversions of a format, in order ("%.3f", "%s", "%%" ...).
std::vector<std::string> conversions(const std::string& format) {
  static const std::regex conversion("%[-+ #0]*[0-9*]*(\\.[0-9*]+)?(hh|h|ll|l|z|j|t)?[diouxXfFeEgGcspn%]");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(format.begin(), format.end(), conversion); it != std::sregex_iterator(); ++it)
    out.push_back(it->str());
  return out;
}

// A translation may equal its English only when the English is a symbol, a number or an abbreviation: no run of
// four or more lowercase letters (a word) in it.
bool has_english_word(const std::string& s) {
  static const std::regex word("[a-z]{4,}");
  return std::regex_search(s, word);
}

// Every source of the page except the table itself.
std::string page_sources() {
  std::string all;
  const std::filesystem::path web = std::filesystem::path(PLAYGROUND_SOURCE_DIR) / "web";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(web)) {
    const std::string ext = entry.path().extension().string();
    if (ext != ".cpp" && ext != ".hpp" && ext != ".js") continue;
    const std::string relative = std::filesystem::relative(entry.path(), PLAYGROUND_SOURCE_DIR).string();
    if (relative == "web/strings.hpp") continue;
    all += pg::test::read_text(relative);
  }
  return all;
}

size_t holes(const std::string& s) {
  size_t n = 0;
  for (size_t at = s.find("{}"); at != std::string::npos; at = s.find("{}", at + 2)) ++n;
  return n;
}

}  // namespace

TEST_CASE("every row of the string table has its Chinese, with the same conversions", "[i18n]") {
  for (const Str& row : strings) {
    INFO(row.id);
    const std::string en = row.text[(int)Lang::en], zh = row.text[(int)Lang::zh_CN];
    REQUIRE(!en.empty());
    REQUIRE(!zh.empty());
    if (zh == en) CHECK_FALSE(has_english_word(en));
    CHECK(conversions(zh) == conversions(en));
  }
}

TEST_CASE("every row of the string table is used by the page", "[i18n]") {
  const std::string sources = page_sources();
  for (const Str& row : strings) {
    INFO(row.id);
    CHECK(sources.find(std::string("StrId::") + row.id) != std::string::npos);
  }
}

TEST_CASE("languages are read from codes and switch every lookup", "[i18n]") {
  Lang lang = Lang::en;
  for (const char* code : {"zh", "zh-CN", "zh-cn", "zh-Hans", "zh-SG", "zh_CN"}) {
    INFO(code);
    CHECK(lang_from_code(code, lang));
    CHECK(lang == Lang::zh_CN);
  }
  for (const char* code : {"en", "en-US", "EN-gb"}) {
    INFO(code);
    CHECK(lang_from_code(code, lang));
    CHECK(lang == Lang::en);
  }
  for (const char* code : {"", "fr", "zh-TW", "zh-Hant", "zhx", "english"}) {
    INFO(code);
    CHECK_FALSE(lang_from_code(code, lang));
  }
  set_language(Lang::zh_CN);
  CHECK(std::string(text(StrId::cancel)) == "取消");
  set_language(Lang::en);
  CHECK(std::string(text(StrId::cancel)) == "Cancel");
}

TEST_CASE("engine text is translated by pattern, parts kept in their places", "[i18n]") {
  CHECK(translate("set /services/order/workers = 4", Lang::zh_CN) == "设置 /services/order/workers = 4");
  CHECK(translate("set /services/order/workers = 4", Lang::en) == "set /services/order/workers = 4");
  // No pattern: the English is kept rather than guessed at.
  CHECK(translate("a sentence no pattern knows", Lang::zh_CN) == "a sentence no pattern knows");
  CHECK_FALSE(has_translation("a sentence no pattern knows"));
}

TEST_CASE("every message pattern has its Chinese with as many parts", "[i18n]") {
  std::set<std::string> seen;
  for (size_t i = 0; i < message_pattern_count; ++i) {
    const std::string en = message_patterns[i].en, zh = message_patterns[i].zh;
    INFO(en);
    CHECK(seen.insert(en).second);   // written once
    REQUIRE(!zh.empty());
    CHECK(zh != en);
    size_t numbered = 0;
    for (int n = 1; n <= 9; ++n)
      if (zh.find("{" + std::to_string(n) + "}") != std::string::npos) ++numbered;
    CHECK(holes(zh) + numbered == holes(en));
  }
}

TEST_CASE("every line the built-in scenarios log has a Chinese pattern", "[i18n]") {
  std::set<std::string> untranslated;
  for (const std::string& file : pg::test::repository_scenarios()) {
    if (file.rfind("scenarios/", 0) != 0) continue;
    pg::Simulation simulation(pg::test::load(file));
    simulation.run_to_end();
    for (const pg::LogEntry& entry : simulation.world().log_entries)
      if (!has_translation(entry.text)) untranslated.insert(file + ": " + entry.text);
  }
  for (const std::string& line : untranslated) UNSCOPED_INFO(line);
  CHECK(untranslated.empty());
}

TEST_CASE("zh-CN.txt carries every Chinese row and pattern, and a file from another build is refused", "[i18n]") {
  // The page leaves the Chinese column out of the wasm and fetches it as this file; here (both columns compiled in)
  // the file is written and read back.
  const std::string file = chinese_texts_file();
  const size_t rows = (size_t)StrId::count + message_pattern_count;
  size_t nuls = 0;
  for (char c : file) nuls += c == '\0';
  CHECK(nuls == rows);
  // Row order: the first row's Chinese comes right after the header line, the last pattern's at the end.
  const size_t header_end = file.find('\n');
  REQUIRE(header_end != std::string::npos);
  CHECK(file.compare(header_end + 1, std::strlen(strings[0].text[1]), strings[0].text[1]) == 0);
  const std::string last = message_patterns[message_pattern_count - 1].zh;
  CHECK(file.compare(file.size() - 1 - last.size(), last.size(), last) == 0);
  CHECK(load_chinese_texts(file).empty());
  CHECK(std::string(fetched_chinese_text(0)) == strings[0].text[1]);

  std::string other_build = file;
  other_build[header_end - 1] = other_build[header_end - 1] == '0' ? '1' : '0';   // the English columns' hash
  CHECK_THAT(load_chinese_texts(other_build), Catch::Contains("written for another build"));
  CHECK_THAT(load_chinese_texts(file.substr(0, file.size() - 1)), Catch::Contains("cut short"));
  CHECK_THAT(load_chinese_texts(file + "extra"), Catch::Contains("extra text"));
  CHECK_THAT(load_chinese_texts(""), Catch::Contains("another build"));
}
