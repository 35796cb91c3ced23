// libFuzzer harness for share links and the DEFLATE code under them. On every input:
//  1. decode_link(input as text) never crashes; a link it accepts re-encodes to a link that decodes to the same
//     canonical scenario;
//  2. inflate_raw(input) agrees with zlib (the reference implementation of RFC 1951): when ours succeeds zlib
//     succeeds with the same bytes, and when ours refuses the data zlib does too (differential fuzzing);
//  3. deflate_raw(input) inflates back to the input, with ours and with zlib;
//  4. short links: decode_link(input) against a small set of bases (two built-ins, one with an archived past
//     content) never crashes and refuses with a message, and a link it accepts re-encodes (shortest form) to one
//     that decodes to the same canonical scenario;
//  5. json_patch_apply(base, input) never crashes, and when it applies, diffing the result against the base gives
//     a patch that applies back to exactly that result.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <zlib.h>

#include "engine/codec/deflate.hpp"
#include "engine/codec/link.hpp"
#include "engine/codec/link_bases.hpp"
#include "engine/codec/link_patch.hpp"

namespace {

constexpr size_t output_cap = 64 * 1024;  // enough to exercise the cap; small enough to keep runs fast

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_link: %s\n", what);
  std::abort();
}

// zlib raw inflate into at most cap + 1 bytes. Returns Z_STREAM_END, Z_BUF_ERROR when the output did not fit or
// the input ended, or Z_DATA_ERROR.
int zlib_inflate(std::string_view input, size_t cap, std::string& out) {
  z_stream z{};
  if (inflateInit2(&z, -15) != Z_OK) fail("inflateInit2");
  out.assign(cap + 1, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = static_cast<uInt>(input.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int status = inflate(&z, Z_FINISH);
  out.resize(z.total_out);
  inflateEnd(&z);
  return status;
}

void check_link(std::string_view text) {
  const pg::LinkDecode decoded = pg::decode_link(text);
  if (!decoded.ok()) {
    if (decoded.errors.empty() || decoded.errors.front().message.empty()) fail("a refused link has no message");
    return;
  }
  const pg::LinkEncode encoded = pg::encode_link(decoded.scenario);
  if (!encoded.ok()) return;  // the canonical form may exceed the link limits (it can be longer than the input)
  const pg::LinkDecode again = pg::decode_link(encoded.fragment);
  if (!again.ok()) fail("a re-encoded link does not decode");
  if (pg::scenario_to_text(again.scenario, -1) != pg::scenario_to_text(decoded.scenario, -1))
    fail("a re-encoded link decodes to another scenario");
}

// The bases of check_short_link: ids 1 and 2, and an archived past content of 2 (what corpus short-*.txt name).
const char* const base_one =
    R"({"version":1,"seed":3,"duration_s":20,"workload":{"arrivals":{"rate_per_s":50}},)"
    R"("services":[{"name":"a","workers":2},{"name":"b"}],)"
    R"("requests":[{"name":"r","steps":[{"call":"a"},{"call":"b"}]}]})";
const char* const base_two = R"({"version":1,"name":"two","duration_s":5})";
const char* const base_two_old = R"({"duration_s":5.0,"name":"old two","version":1})";

const pg::LinkBases& fuzz_bases() {
  static const pg::LinkBases bases = [] {
    static const std::string old_name = "2-" + pg::link_base_hash(base_two_old) + ".json";
    static const std::string table = R"([{"id":1,"file":"one.json","hashes":[")" +
                                     pg::link_base_hash(pg::scenario_to_text(pg::parse_scenario(base_one).scenario, -1)) +
                                     R"("]},{"id":2,"file":"two.json","hashes":[")" + pg::link_base_hash(base_two_old) +
                                     R"(",")" +
                                     pg::link_base_hash(pg::scenario_to_text(pg::parse_scenario(base_two).scenario, -1)) +
                                     R"("]}])";
    const pg::EmbeddedFile scenarios[] = {{"one.json", base_one, std::strlen(base_one)},
                                          {"two.json", base_two, std::strlen(base_two)}};
    const pg::EmbeddedFile links[] = {{"bases.json", table.c_str(), table.size()},
                                      {old_name.c_str(), base_two_old, std::strlen(base_two_old)}};
    pg::LinkBasesBuild build = pg::build_link_bases(scenarios, 2, links, 2);
    if (!build.problems.empty() || build.bases.bases.size() != 3) fail("the fuzzer's own bases do not build");
    return build.bases;
  }();
  return bases;
}

void check_short_link(std::string_view text) {
  const pg::LinkDecode decoded = pg::decode_link(text, &fuzz_bases());
  if (!decoded.ok()) {
    if (decoded.errors.empty() || decoded.errors.front().message.empty()) fail("a refused short link has no message");
    return;
  }
  const pg::LinkEncode encoded = pg::encode_shortest_link(decoded.scenario, fuzz_bases());
  if (!encoded.ok()) return;
  const pg::LinkDecode again = pg::decode_link(encoded.fragment, &fuzz_bases());
  if (!again.ok()) fail("a re-encoded short link does not decode");
  if (pg::scenario_to_text(again.scenario, -1) != pg::scenario_to_text(decoded.scenario, -1))
    fail("a re-encoded short link decodes to another scenario");
}

void check_patch(std::string_view text) {
  static const nlohmann::json base = nlohmann::json::parse(base_one);
  const pg::PatchApply applied = pg::json_patch_apply(base, text);
  if (!applied.ok()) {
    if (applied.error.empty()) fail("a refused patch has no message");
    return;
  }
  if (!applied.document.is_object()) return;  // diff works on documents whose root stays an object
  const std::string patch = pg::json_patch_diff(base, applied.document);
  if (patch.find_first_of(" \"#%&<>") != std::string::npos) fail("a patch needs escaping in a URL");
  const pg::PatchApply again = pg::json_patch_apply(base, patch);
  if (!again.ok() || again.document != applied.document) fail("diff then apply does not give the document back");
}

void check_inflate(std::string_view data) {
  const pg::InflateResult ours = pg::inflate_raw(data, output_cap);
  std::string theirs;
  const int status = zlib_inflate(data, output_cap, theirs);
  switch (ours.status) {
    case pg::InflateStatus::ok:
      if (status != Z_STREAM_END) fail("ours inflates data zlib refuses");
      if (theirs != ours.output) fail("ours and zlib inflate to different bytes");
      break;
    case pg::InflateStatus::too_large:
      if (status == Z_STREAM_END && theirs.size() <= output_cap) fail("ours stops at the cap below zlib's output");
      if (ours.output.size() != output_cap || theirs.compare(0, output_cap, ours.output) != 0)
        fail("ours and zlib differ before the cap");
      break;
    case pg::InflateStatus::truncated:
    case pg::InflateStatus::invalid:
      if (status == Z_STREAM_END) fail("zlib inflates data ours refuses");
      if (ours.message.empty()) fail("a refusal without a message");
      break;
  }
}

void check_deflate(std::string_view data) {
  const std::string compressed = pg::deflate_raw(data);
  const pg::InflateResult ours = pg::inflate_raw(compressed, data.size());
  if (!ours.ok() || ours.output != data) fail("deflate_raw does not round-trip through inflate_raw");
  std::string theirs;
  if (zlib_inflate(compressed, data.size(), theirs) != Z_STREAM_END || theirs != data)
    fail("zlib does not inflate deflate_raw's output back to the input");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check_link(input);
  check_short_link(input);
  check_patch(input);
  check_inflate(input);
  check_deflate(input);
  return 0;
}
