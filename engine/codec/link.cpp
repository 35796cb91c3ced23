// Share links: see link.hpp. Decoding checks, in order, the cheap things first so that hostile input costs little:
// the shape and the format version, the length, the alphabet, then inflating with a hard output cap, then the
// scenario validator.
#include "engine/codec/link.hpp"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "engine/codec/deflate.hpp"
#include "engine/codec/link_patch.hpp"
#include "engine/codec/md5.hpp"

namespace pg {
namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

std::string printable(char c) {
  if (c >= 0x21 && c <= 0x7e) return std::string("'") + c + "'";
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "byte 0x%02x", (unsigned)(uint8_t)c);
  return buffer;
}

// The value of the "s" parameter, or the bare payload; npos-like failure as false.
bool find_payload(std::string_view text, std::string_view& payload) {
  size_t hash = text.find('#');
  std::string_view fragment = hash == std::string_view::npos ? text : text.substr(hash + 1);
  if (hash == std::string_view::npos && fragment.find('=') == std::string_view::npos) {
    payload = fragment;  // bare "1.xxx"
    return true;
  }
  while (!fragment.empty()) {
    size_t amp = fragment.find('&');
    std::string_view part = fragment.substr(0, amp);
    if (part.substr(0, 2) == "s=") {
      payload = part.substr(2);
      return true;
    }
    if (amp == std::string_view::npos) break;
    fragment.remove_prefix(amp + 1);
  }
  return false;
}

LinkDecode short_link_failure(LinkProblem problem, std::string message) {
  LinkDecode result;
  result.errors.push_back({"", std::move(message)});
  result.problem = problem;
  return result;
}

LinkDecode apply_short_link(const LinkBase& base, std::string_view changes) {
  const std::string scenario = "built-in scenario " + std::to_string(base.id) + " (" + base.file + ")";
  nlohmann::json start = nlohmann::json::parse(base.canonical, nullptr, false);
  if (start.is_discarded())
    return short_link_failure(LinkProblem::other_version, scenario + " is not valid JSON in this build");
  PatchApply patched = json_patch_apply(start, changes);
  if (!patched.ok())
    return short_link_failure(patched.malformed ? LinkProblem::damaged : LinkProblem::other_version,
                              patched.malformed ? "the short link to " + scenario + " is damaged: " + patched.error
                                                : "the short link's changes do not fit " + scenario + ": " + patched.error);
  LinkDecode result;
  result.json_text = patched.document.dump();
  if (result.json_text.size() > limits::link_decompressed_bytes_max)
    return short_link_failure(LinkProblem::too_large, "the short link's scenario is larger than " +
                              std::to_string(limits::link_decompressed_bytes_max) + " bytes; refused");
  ScenarioParse parse = parse_scenario(result.json_text);
  result.scenario = std::move(parse.scenario);
  result.errors = std::move(parse.errors);
  if (!result.errors.empty()) result.problem = LinkProblem::invalid_scenario;
  return result;
}

// "b<digits>." starts a short link.
bool is_short_payload(std::string_view payload) {
  if (payload.size() < 3 || payload[0] != 'b') return false;
  size_t dot = payload.find('.');
  return dot != std::string_view::npos && dot > 1 && dot <= 9 &&
         payload.substr(1, dot - 1).find_first_not_of("0123456789") == std::string_view::npos;
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Browsers and chat programs may percent-encode characters of a fragment; a short link reads the same either way
// (a "%" that does not start an escape stays as it is, and the patch reader then names it).
std::string percent_decoded(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 && hex_digit(text[i + 2]) >= 0) {
      out += (char)(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// A decimal number of 1 to 9 digits at the start of text, followed by "." or the end; false otherwise.
bool read_number_field(std::string_view& text, long& value) {
  size_t end = text.find('.');
  std::string_view digits = text.substr(0, end);
  if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string_view::npos)
    return false;
  value = std::stol(std::string(digits));
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return true;
}

// payload: "b1.<id>.<hash>[.<changes>]" (see link.hpp).
LinkDecode decode_short_link(std::string_view payload, const LinkBases* bases) {
  if (payload.size() > limits::patch_text_bytes_max + 64)
    return short_link_failure(LinkProblem::too_large, "the link is too long: " + std::to_string(payload.size()) +
                              " characters; a short link has at most " + std::to_string(limits::patch_text_bytes_max));
  const std::string decoded = percent_decoded(payload);
  std::string_view rest = std::string_view(decoded).substr(1);
  long version = 0, id = 0;
  read_number_field(rest, version);
  if (version > short_link_format_version)
    return short_link_failure(LinkProblem::other_version,
                              "this short link was made by a newer version of the playground (short link format " +
                              std::to_string(version) + "; this one reads format " +
                              std::to_string(short_link_format_version) + ")");
  if (version < 1)
    return short_link_failure(LinkProblem::not_a_link,
                              "not a playground link: unknown short link format " + std::to_string(version));
  if (!read_number_field(rest, id))
    return short_link_failure(LinkProblem::damaged,
                              "the short link is damaged: expected the built-in scenario's number after \"b1.\"");
  const std::string_view hash = rest.substr(0, rest.find('.'));
  const std::string_view changes = hash.size() < rest.size() ? rest.substr(hash.size() + 1) : std::string_view();
  if (hash.size() != 6 || hash.find_first_not_of(alphabet) != std::string_view::npos)
    return short_link_failure(LinkProblem::damaged,
                              "the short link is damaged: expected the 6-character version of built-in scenario " +
                              std::to_string(id) + " after its number");
  const std::string scenario = "built-in scenario " + std::to_string(id);
  if (!bases)
    return short_link_failure(LinkProblem::other_version,
                              "this short link names " + scenario +
                                  ", and this program has no built-in scenarios to read it with");
  if (!bases->has_id((int)id))
    return short_link_failure(LinkProblem::other_version, "this short link names " + scenario +
                              ", which this version of the playground does not have (was it made by a newer version?)");
  const LinkBase* base = bases->find((int)id, hash);
  if (!base)
    return short_link_failure(LinkProblem::other_version,
                              "this short link names a version (" + std::string(hash) + ") of " + scenario +
                              " that this version of the playground does not keep (was it made by a newer version?)");
  return apply_short_link(*base, changes);
}
}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return (uint32_t)(uint8_t)bytes[k]; };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
    out += alphabet[v & 63];
  }
  if (bytes.size() - i == 1) {
    uint32_t v = byte(i) << 16;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
  } else if (bytes.size() - i == 2) {
    uint32_t v = byte(i) << 16 | byte(i + 1) << 8;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
  }
  return out;
}

bool base64url_decode(std::string_view text, std::string& out, size_t* bad_position) {
  out.clear();
  size_t end = text.size();
  for (int pad = 0; pad < 2 && end > 0 && text[end - 1] == '='; ++pad) --end;
  for (size_t i = 0; i < end; ++i)
    if (base64url_value(text[i]) < 0) {
      if (bad_position) *bad_position = i;
      return false;
    }
  if (end % 4 == 1) {  // one character carries only 6 bits: no byte can end there
    if (bad_position) *bad_position = end;
    return false;
  }
  out.reserve(end / 4 * 3 + 2);
  uint32_t accumulator = 0;
  int bits = 0;
  for (size_t i = 0; i < end; ++i) {
    accumulator = accumulator << 6 | (uint32_t)base64url_value(text[i]);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back((char)(uint8_t)(accumulator >> bits & 0xff));
    }
  }
  return true;
}

LinkDecode decode_link(std::string_view link_or_fragment) { return decode_link(link_or_fragment, nullptr); }

LinkDecode decode_link(std::string_view link_or_fragment, const LinkBases* bases) {
  LinkDecode result;
  auto fail = [&](LinkProblem problem, std::string message) {
    result.errors.push_back({"", std::move(message)});
    result.problem = problem;
    return result;
  };
  const std::string_view text = trim(link_or_fragment);
  std::string_view payload;
  size_t dot = std::string_view::npos;
  if (text.empty() || !find_payload(text, payload) || (dot = payload.find('.')) == std::string_view::npos || dot == 0 ||
      dot > 9 || payload.substr(0, dot).find_first_not_of("0123456789") != std::string_view::npos)
  {
    if (text.empty() || !find_payload(text, payload)) payload = {};
    if (is_short_payload(payload)) return decode_short_link(payload, bases);
    return fail(LinkProblem::not_a_link, "not a playground link: expected \"#s=" + std::to_string(link_format_version) +
                ".\" followed by the scenario data");
  }
  const long version = std::stol(std::string(payload.substr(0, dot)));
  if (version > link_format_version)
    return fail(LinkProblem::other_version,
                "this link was made by a newer version of the playground (link format " + std::to_string(version) +
                "; this one reads format " + std::to_string(link_format_version) + ")");
  if (version < 1)
    return fail(LinkProblem::not_a_link, "not a playground link: unknown link format " + std::to_string(version));
  const std::string_view data = payload.substr(dot + 1);
  if (data.empty())
    return fail(LinkProblem::cut_short, "the link has no scenario data after \"" + std::to_string(version) + ".\"");
  // 4 characters carry 3 bytes; checked before decoding so an enormous paste costs nothing.
  const size_t compressed_estimate = data.size() / 4 * 3;
  if (compressed_estimate > limits::link_compressed_bytes_max)
    return fail(LinkProblem::too_large,
                "the link is too long: it carries about " + std::to_string(compressed_estimate) +
                " bytes of compressed data; the limit is " + std::to_string(limits::link_compressed_bytes_max));
  std::string compressed;
  size_t bad = 0;
  if (!base64url_decode(data, compressed, &bad)) {
    if (bad < data.size() && data[bad] != '=')
      return fail(LinkProblem::damaged,
                  "the link is damaged: " + printable(data[bad]) + " at position " + std::to_string(bad) +
                  " of its data is not a base64url character (A-Z a-z 0-9 - _)");
    return fail(LinkProblem::cut_short,
                "the link is damaged or cut short: its data has an impossible length (" + std::to_string(data.size()) +
                " characters)");
  }
  if (compressed.size() > limits::link_compressed_bytes_max)
    return fail(LinkProblem::too_large, "the link is too long: it carries " + std::to_string(compressed.size()) +
                " bytes of compressed data; the limit is " + std::to_string(limits::link_compressed_bytes_max));
  InflateResult inflated = inflate_raw(compressed, limits::link_decompressed_bytes_max);
  switch (inflated.status) {
    case InflateStatus::ok: break;
    case InflateStatus::truncated:
      return fail(LinkProblem::cut_short,
                  "the link is cut short: the compressed scenario ends early (was the whole link copied?)");
    case InflateStatus::too_large:
      return fail(LinkProblem::too_large,
                  "the link's scenario is larger than " + std::to_string(limits::link_decompressed_bytes_max) +
                  " bytes when decompressed; refused");
    case InflateStatus::invalid:
      return fail(LinkProblem::damaged,
                  "the link is damaged: its compressed data is invalid (" + inflated.message + ")");
  }
  result.json_text = std::move(inflated.output);
  ScenarioParse parse = parse_scenario(result.json_text);
  result.scenario = std::move(parse.scenario);
  result.errors = std::move(parse.errors);
  if (!result.errors.empty()) result.problem = LinkProblem::invalid_scenario;
  return result;
}

LinkEncode encode_link(const Scenario& scenario) {
  LinkEncode result;
  const std::string text = scenario_to_text(scenario, -1);
  if (text.size() > limits::link_decompressed_bytes_max) {
    result.error = "the scenario is too large for a link (" + std::to_string(text.size()) + " bytes; the limit is " +
                   std::to_string(limits::link_decompressed_bytes_max) + "): share the file instead";
    return result;
  }
  const std::string compressed = deflate_raw(text);
  if (compressed.size() > limits::link_compressed_bytes_max) {
    result.error = "the scenario is too large for a link (" + std::to_string(compressed.size()) +
                   " bytes compressed; the limit is " + std::to_string(limits::link_compressed_bytes_max) +
                   "): share the file instead";
    return result;
  }
  result.fragment = "#s=" + std::to_string(link_format_version) + "." + base64url_encode(compressed);
  return result;
}

const LinkBase* LinkBases::find(int id, std::string_view hash) const {
  for (const LinkBase& base : bases)
    if (base.id == id && base.hash == hash) return &base;
  return nullptr;
}

bool LinkBases::has_id(int id) const {
  return std::any_of(bases.begin(), bases.end(), [id](const LinkBase& base) { return base.id == id; });
}

std::string link_base_hash(std::string_view canonical) {
  const Md5Digest digest = md5(canonical);
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size())).substr(0, 6);
}

LinkEncode encode_shortest_link(const Scenario& scenario, const LinkBases& bases) {
  LinkEncode best = encode_link(scenario);
  const std::string text = scenario_to_text(scenario, -1);
  const nlohmann::json target = nlohmann::json::parse(text, nullptr, false);
  if (target.is_discarded() || text.size() > limits::link_decompressed_bytes_max) return best;
  for (const LinkBase& base : bases.bases) {
    if (!base.current) continue;
    const nlohmann::json start = nlohmann::json::parse(base.canonical, nullptr, false);
    if (start.is_discarded()) continue;
    const std::string changes = json_patch_diff(start, target);
    std::string fragment = "#s=b" + std::to_string(short_link_format_version) + "." + std::to_string(base.id) + "." +
                           base.hash + (changes.empty() ? "" : "." + changes);
    if (best.ok() && fragment.size() >= best.fragment.size()) continue;
    // Only a patch that gives back exactly this scenario is worth a link.
    PatchApply check = json_patch_apply(start, changes);
    if (!check.ok() || check.document != target) continue;
    best.fragment = std::move(fragment);
    best.error.clear();
  }
  return best;
}

std::string link_percent_decoded(std::string_view text) { return percent_decoded(text); }

std::string link_url(std::string_view base, std::string_view fragment) {
  std::string_view page = base.substr(0, base.find('#'));
  return std::string(page) + std::string(fragment);
}

}  // namespace pg
