// The scenario library's index texts: every built-in entry has its title and summary in Simplified Chinese, and a
// language without a translation falls back on the English texts, one text at a time.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/unit/test_support.hpp"
#include "web/library.hpp"

// The page build embeds scenarios/ (web/embed_scenarios.cmake); this test builds its libraries from files it reads.
namespace pgweb {
const EmbeddedFile embedded_scenarios[] = {{"", "", 0}};
const size_t embedded_scenario_count = 0;
const EmbeddedFile embedded_link_files[] = {{"", "", 0}};
const size_t embedded_link_file_count = 0;
}  // namespace pgweb

namespace {

// scenarios/*.json and scenarios/index.json as the page embeds them; `texts` keeps the bytes alive.
std::vector<pgweb::EmbeddedFile> built_in_files(std::vector<std::string>& names, std::vector<std::string>& texts) {
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(PLAYGROUND_SOURCE_DIR) /
                                                               "scenarios"))
    if (entry.path().extension() == ".json") names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) texts.push_back(pg::test::read_text("scenarios/" + name));
  std::vector<pgweb::EmbeddedFile> files;
  for (size_t i = 0; i < names.size(); ++i) files.push_back({names[i].c_str(), texts[i].c_str(), texts[i].size()});
  return files;
}

}  // namespace

TEST_CASE("library: every built-in entry has its index title and summary in zh-CN", "[library][i18n]") {
  std::vector<std::string> names, texts;
  std::vector<pgweb::EmbeddedFile> files = built_in_files(names, texts);
  std::vector<pgweb::LibraryEntry> library = pgweb::build_library(files.data(), files.size());
  REQUIRE(library.size() + 1 == files.size());   // every file but index.json
  for (const pgweb::LibraryEntry& entry : library) {
    INFO(entry.file);
    CHECK(entry.valid);
    CHECK_FALSE(entry.title.empty());
    CHECK_FALSE(entry.summary.empty());
    pgweb::LibraryTexts zh = pgweb::library_texts(entry, "zh-CN");
    CHECK_FALSE(zh.title.empty());
    CHECK(zh.title != entry.title);
    CHECK(zh.summary != entry.summary);
    CHECK(entry.localized_names.count("zh-CN") == 1);
    for (const char* lang : {"en", "", "fr"}) {
      pgweb::LibraryTexts base = pgweb::library_texts(entry, lang);
      CHECK(base.title == entry.title);
      CHECK(base.summary == entry.summary);
    }
  }
}

TEST_CASE("library: titles fall back on the scenario's translated name, then the English texts", "[library][i18n]") {
  const std::string index = R"([{"file": "a.json", "title": "A title", "summary": "A summary",
                                 "i18n": {"zh-CN": {"summary": "摘要"}}},
                                {"file": "b.json", "i18n": {"zh-CN": {"title": "乙"}, "fr": 3}}])";
  const std::string a = R"({"version": 1, "name": "A", "i18n": {"zh-CN": {"name": "甲"}}})";
  const std::string b = R"({"version": 1, "name": "B"})";
  const pgweb::EmbeddedFile files[] = {
      {"a.json", a.c_str(), a.size()}, {"b.json", b.c_str(), b.size()}, {"index.json", index.c_str(), index.size()}};
  std::vector<pgweb::LibraryEntry> library = pgweb::build_library(files, 3);
  REQUIRE(library.size() == 2);
  CHECK(pgweb::library_texts(library[0], "zh-CN").title == "甲");
  CHECK(pgweb::library_texts(library[0], "zh-CN").summary == "摘要");
  CHECK(pgweb::library_texts(library[0], "en").title == "A title");
  CHECK(pgweb::library_texts(library[1], "zh-CN").title == "乙");
  CHECK(pgweb::library_texts(library[1], "zh-CN").summary.empty());
  CHECK(pgweb::library_texts(library[1], "fr").title == "B");
}
