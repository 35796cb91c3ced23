// Share links and the DEFLATE code under them: base64url against RFC 4648's vectors; our deflate against zlib in
// both directions (zlib is the reference implementation of RFC 1951, linked natively only); every way a link can
// be bad gives its own message; a decompression bomb stops at the cap.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <string>

#include <zlib.h>

#include "engine/codec/deflate.hpp"
#include "engine/codec/link.hpp"
#include "tests/unit/test_support.hpp"

namespace {

// zlib raw deflate (windowBits -15) at a level and strategy; Z_FIXED, Z_RLE etc. give different block types.
std::string zlib_deflate(std::string_view input, int level, int strategy = Z_DEFAULT_STRATEGY) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, level, Z_DEFLATED, -15, 8, strategy) == Z_OK);
  std::string out(deflateBound(&z, (uLong)input.size()) + 16, '\0');
  z.next_in = (Bytef*)input.data();
  z.avail_in = (uInt)input.size();
  z.next_out = (Bytef*)out.data();
  z.avail_out = (uInt)out.size();
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// zlib raw inflate; false when zlib refuses the data.
bool zlib_inflate(std::string_view input, std::string& out) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, -15) == Z_OK);
  out.assign(input.size() * 4 + (1 << 16), '\0');
  z.next_in = (Bytef*)input.data();
  z.avail_in = (uInt)input.size();
  int status = Z_OK;
  while (status == Z_OK) {
    if (z.total_out == out.size()) out.resize(out.size() * 2);
    z.next_out = (Bytef*)out.data() + z.total_out;
    z.avail_out = (uInt)(out.size() - z.total_out);
    status = inflate(&z, Z_FINISH);
    if (status == Z_BUF_ERROR && z.avail_out == 0) status = Z_OK;  // only out of room: grow and go on
  }
  out.resize(z.total_out);
  inflateEnd(&z);
  return status == Z_STREAM_END;
}

std::vector<std::string> sample_inputs() {
  std::mt19937_64 rng(7);
  std::string random_bytes(100000, '\0');
  for (char& c : random_bytes) c = (char)(rng() & 0xff);
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "request " + std::to_string(rng() % 50) + " took " + std::to_string(rng() % 1000) + " ms\n";
  std::string scenario = pg::test::read_text("tests/scenarios/mm1.json");
  return {"", "a", "ab", "abc", std::string(1000, 'x'), std::string(300000, '\0'), random_bytes, text, scenario,
          text + random_bytes + text};
}

std::string first_error(std::string_view link) {
  pg::LinkDecode d = pg::decode_link(link);
  return d.errors.empty() ? std::string() : d.errors.front().to_string();
}

std::string fragment_for_json(const std::string& text) {
  return "#s=1." + pg::base64url_encode(pg::deflate_raw(text));
}

}  // namespace

TEST_CASE("base64url matches RFC 4648's test vectors and refuses what is not base64url", "[link]") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},         {"f", "Zg"},         {"fo", "Zm8"},
                                                         {"foo", "Zm9v"},  {"foob", "Zm9vYg"},  {"fooba", "Zm9vYmE"},
                                                         {"foobar", "Zm9vYmFy"}};
  for (auto [plain, encoded] : vectors) {
    CHECK(pg::base64url_encode(plain) == encoded);
    std::string out;
    REQUIRE(pg::base64url_decode(encoded, out));
    CHECK(out == plain);
  }
  CHECK(pg::base64url_encode("\xfb\xff") == "-_8");  // the two characters that differ from standard base64
  std::string out;
  CHECK(pg::base64url_decode("Zm8=", out));
  CHECK(out == "fo");
  size_t bad = 0;
  CHECK_FALSE(pg::base64url_decode("Zm+v", out, &bad));
  CHECK(bad == 2);
  CHECK_FALSE(pg::base64url_decode("Zm9/", out, &bad));
  CHECK_FALSE(pg::base64url_decode("Zm9vY", out, &bad));  // 5 characters: the last carries no whole byte
  std::mt19937_64 rng(3);
  for (size_t n = 0; n < 100; ++n) {
    std::string bytes(n, '\0');
    for (char& c : bytes) c = (char)(rng() & 0xff);
    REQUIRE(pg::base64url_decode(pg::base64url_encode(bytes), out));
    REQUIRE(out == bytes);
  }
}

TEST_CASE("our deflate and inflate agree with zlib in both directions", "[link]") {
  for (const std::string& input : sample_inputs()) {
    INFO("input of " << input.size() << " bytes");
    const std::string ours = pg::deflate_raw(input);
    std::string back;
    REQUIRE(zlib_inflate(ours, back));
    REQUIRE(back == input);
    pg::InflateResult self = pg::inflate_raw(ours, input.size());
    REQUIRE(self.ok());
    REQUIRE(self.output == input);
    REQUIRE(self.input_used == ours.size());
    // zlib level 0 makes stored blocks, Z_FIXED fixed blocks, the others dynamic blocks (several for big inputs).
    for (int level : {0, 1, 6, 9})
      for (int strategy : {Z_DEFAULT_STRATEGY, Z_FIXED, Z_HUFFMAN_ONLY, Z_RLE, Z_FILTERED}) {
        INFO("zlib level " << level << " strategy " << strategy);
        pg::InflateResult theirs = pg::inflate_raw(zlib_deflate(input, level, strategy), 1 << 20);
        REQUIRE(theirs.message == "");
        REQUIRE(theirs.output == input);
      }
  }
}

TEST_CASE("our deflate compresses scenario JSON", "[link]") {
  // A scenario of typical size (about 2 KB of JSON, like the built-in ones). Fixed Huffman codes spend 8-9 bits
  // per literal where zlib's dynamic codes spend about 6 on JSON text, and greedy matching finds slightly fewer
  // matches: measured about 1.25x zlib -9 on the built-in scenarios. The bounds catch a regression such as
  // matches no longer being found (which would give about 1.1x the text, not 0.6x).
  pg::Scenario scenario = pg::test::load("tests/scenarios/mm1.json");
  for (int i = 0; i < 12; ++i) {
    pg::ServiceSpec service;
    service.name = "service-" + std::to_string(i);
    service.workers = 4 + i;
    service.service_time = pg::Distribution::lognormal_ms(5 + i, 0.5);
    service.timeout_ms = 250;
    scenario.services.push_back(service);
  }
  std::string text = pg::scenario_to_text(scenario, -1);
  size_t ours = pg::deflate_raw(text).size(), zlib = zlib_deflate(text, 9).size();
  INFO("text " << text.size() << " bytes, ours " << ours << ", zlib -9 " << zlib);
  CHECK((double)ours < 0.6 * (double)text.size());
  CHECK((double)ours < 1.4 * (double)zlib);
}

TEST_CASE("inflate refuses bad data with a status and a message", "[link]") {
  const std::string good = pg::deflate_raw("hello hello hello hello, a scenario");
  for (size_t n = 0; n < good.size(); ++n) {
    pg::InflateResult r = pg::inflate_raw(good.substr(0, n), 1 << 20);
    INFO("prefix of " << n << " bytes");
    CHECK(r.status == pg::InflateStatus::truncated);
  }
  CHECK(pg::inflate_raw("\x07", 100).status == pg::InflateStatus::invalid);  // final block of type 3
  // Stored block whose length check is not the complement of its length.
  CHECK(pg::inflate_raw(std::string("\x01\x05\x00\x00\x00hello", 10), 100).status == pg::InflateStatus::invalid);
  // A fixed block starting with a match: distance 1 before any output.
  {
    // bits: BFINAL 1, BTYPE 01, then length code 257 (7 bits 0000001), distance code 0 (5 bits 00000).
    // Packed LSB first: 1, 1 0, then 1000000 reversed as MSB-first code -> 0000001, then 00000.
    std::string data("\x03\x02\x00\x00", 4);
    pg::InflateResult r = pg::inflate_raw(data, 100);
    CHECK(r.status == pg::InflateStatus::invalid);
    CHECK(r.message.find("before the start") != std::string::npos);
  }
  // A decompression bomb: 4 MiB of zeros are about 4 KB compressed; inflating stops at the cap.
  std::string bomb = zlib_deflate(std::string(4 << 20, '\0'), 9);
  CHECK(bomb.size() < 10000);
  pg::InflateResult r = pg::inflate_raw(bomb, 1 << 20);
  CHECK(r.status == pg::InflateStatus::too_large);
  CHECK(r.output.size() == (size_t)(1 << 20));
  CHECK(r.message == "the data decompresses to more than 1048576 bytes");
}

TEST_CASE("links round-trip every repository scenario", "[link]") {
  for (const char* folder : {"scenarios", "tests/scenarios"}) {
    std::filesystem::path dir = std::filesystem::path(PLAYGROUND_SOURCE_DIR) / folder;
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() != ".json" || entry.path().filename() == "index.json") continue;
      std::string file = std::string(folder) + "/" + entry.path().filename().string();
      INFO(file);
      pg::Scenario scenario = pg::test::load(file);
      pg::LinkEncode link = pg::encode_link(scenario);
      REQUIRE(link.ok());
      REQUIRE(link.fragment.rfind("#s=1.", 0) == 0);
      pg::LinkDecode back = pg::decode_link(link.fragment);
      REQUIRE(back.ok());
      CHECK(pg::scenario_to_text(back.scenario) == pg::scenario_to_text(scenario));
      CHECK(back.json_text == pg::scenario_to_text(scenario, -1));
      // What zlib makes of the same JSON decodes too (another encoder, same format).
      std::string zlib_link = "#s=1." + pg::base64url_encode(zlib_deflate(back.json_text, 9));
      CHECK(pg::decode_link(zlib_link).ok());
    }
  }
}

TEST_CASE("decode_link accepts URLs, fragments and bare payloads", "[link]") {
  pg::Scenario scenario = pg::test::load("tests/scenarios/mm1.json");
  std::string fragment = pg::encode_link(scenario).fragment;
  std::string payload = fragment.substr(3);
  CHECK(pg::decode_link("https://example.org/play/index.html" + fragment).ok());
  CHECK(pg::decode_link("  " + fragment + "\n").ok());
  CHECK(pg::decode_link("#view=3&s=" + payload + "&x=1").ok());
  CHECK(pg::decode_link("s=" + payload).ok());
  CHECK(pg::decode_link(payload).ok());
  CHECK(pg::link_url("https://example.org/p#old", fragment) == "https://example.org/p" + fragment);
}

TEST_CASE("every bad link gives its own message", "[link]") {
  pg::Scenario scenario = pg::test::load("tests/scenarios/mm1.json");
  std::string fragment = pg::encode_link(scenario).fragment;
  CHECK(first_error("") .find("not a playground link") != std::string::npos);
  CHECK(first_error("https://example.org/") .find("not a playground link") != std::string::npos);
  CHECK(first_error("#s=abc").find("not a playground link") != std::string::npos);
  CHECK(first_error("#s=0.abc").find("unknown link format 0") != std::string::npos);
  CHECK(first_error("#s=2.AAAA") ==
        "/: this link was made by a newer version of the playground (link format 2; this one reads format 1)");
  CHECK(first_error("#s=1.").find("no scenario data") != std::string::npos);
  std::string bad = fragment;
  bad[10] = '*';
  CHECK(first_error(bad) == "/: the link is damaged: '*' at position 5 of its data is not a base64url character "
                            "(A-Z a-z 0-9 - _)");
  CHECK(first_error(fragment.substr(0, fragment.size() / 2)).find("cut short") != std::string::npos);
  CHECK(first_error("#s=1." + std::string(100000, 'A')).find("too long") != std::string::npos);
  std::string bomb = "#s=1." + pg::base64url_encode(zlib_deflate(std::string(4 << 20, ' '), 9));
  CHECK(first_error(bomb).find("larger than 1048576 bytes when decompressed") != std::string::npos);
  CHECK(first_error("#s=1." + pg::base64url_encode("\x07")).find("damaged") != std::string::npos);
  // A well-formed link whose scenario is invalid gives the validator's messages with their paths.
  pg::LinkDecode invalid = pg::decode_link(fragment_for_json(R"({"version":1,"services":[{"name":"a","workres":2}]})"));
  REQUIRE(invalid.errors.size() == 1);
  CHECK(invalid.errors[0].to_string() == "/services/0/workres: unknown field; did you mean \"workers\"?");
  CHECK(pg::decode_link(fragment_for_json(R"({"version":3})")).errors[0].message.find("newer version") !=
        std::string::npos);
  CHECK(first_error(fragment_for_json("not json")).find("not valid JSON") != std::string::npos);
}

TEST_CASE("a bad link's problem says what kind of failure it is", "[link]") {
  // The page picks its advice by this code (web/session.cpp): ask again, ask for the file, open it elsewhere.
  using pg::LinkProblem;
  const std::string fragment = pg::encode_link(pg::test::load("tests/scenarios/mm1.json")).fragment;
  auto problem = [](std::string_view link) { return pg::decode_link(link).problem; };
  CHECK(problem(fragment) == LinkProblem::none);
  CHECK(problem("https://example.org/") == LinkProblem::not_a_link);
  CHECK(problem("#s=0.abc") == LinkProblem::not_a_link);
  CHECK(problem("#s=2.AAAA") == LinkProblem::other_version);
  CHECK(problem("#s=1.") == LinkProblem::cut_short);
  CHECK(problem(fragment.substr(0, fragment.size() / 2)) == LinkProblem::cut_short);
  std::string bad = fragment;
  bad[10] = '*';
  CHECK(problem(bad) == LinkProblem::damaged);
  CHECK(problem("#s=1." + pg::base64url_encode("\x07")) == LinkProblem::damaged);
  CHECK(problem("#s=1." + std::string(100000, 'A')) == LinkProblem::too_large);
  CHECK(problem(fragment_for_json(R"({"version":1,"services":[{"name":"a","workres":2}]})")) ==
        LinkProblem::invalid_scenario);
  CHECK(problem("#s=b1.7.AAAAAA") == LinkProblem::other_version);   // a short link, and no built-ins to read it with
}

TEST_CASE("encode_link refuses a scenario too large for a link", "[link]") {
  pg::Scenario scenario = pg::test::load("tests/scenarios/mm1.json");
  // Incompressible view data beyond 64 KiB compressed (the view itself may hold up to 64 KB of JSON text, so
  // the largest allowed views fit: this uses many goals with random labels instead).
  std::mt19937_64 rng(11);
  for (int i = 0; i < 64; ++i) {
    pg::GoalSpec goal;
    for (int k = 0; k < 256; ++k) goal.label += (char)('!' + (char)(rng() % 90));
    goal.metric = goal.label;
    scenario.goals.push_back(goal);
  }
  for (int i = 0; i < 300; ++i) {
    pg::FaultSpec f;
    f.kind = pg::FaultKind::set;
    for (int k = 0; k < 256; ++k) f.path += (char)('!' + (char)(rng() % 90));
    f.value = (double)rng();
    scenario.interventions.push_back(f);
  }
  pg::LinkEncode link = pg::encode_link(scenario);
  CHECK_FALSE(link.ok());
  CHECK(link.error.find("too large for a link") != std::string::npos);
}
