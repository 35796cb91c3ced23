// Share links: see link.hpp. Decoding checks, in order, the cheap things first so that hostile input costs little:
// the shape and the format version, the length, the alphabet, then inflating with a hard output cap, then the
// scenario validator.
#include "engine/codec/link.hpp"

#include <cstdio>

#include "engine/codec/deflate.hpp"

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

LinkDecode decode_link(std::string_view link_or_fragment) {
  LinkDecode result;
  auto fail = [&](std::string message) {
    result.errors.push_back({"", std::move(message)});
    return result;
  };
  const std::string_view text = trim(link_or_fragment);
  std::string_view payload;
  size_t dot = std::string_view::npos;
  if (text.empty() || !find_payload(text, payload) || (dot = payload.find('.')) == std::string_view::npos || dot == 0 ||
      dot > 9 || payload.substr(0, dot).find_first_not_of("0123456789") != std::string_view::npos)
    return fail("not a playground link: expected \"#s=" + std::to_string(link_format_version) +
                ".\" followed by the scenario data");
  const long version = std::stol(std::string(payload.substr(0, dot)));
  if (version > link_format_version)
    return fail("this link was made by a newer version of the playground (link format " + std::to_string(version) +
                "; this one reads format " + std::to_string(link_format_version) + ")");
  if (version < 1) return fail("not a playground link: unknown link format " + std::to_string(version));
  const std::string_view data = payload.substr(dot + 1);
  if (data.empty()) return fail("the link has no scenario data after \"" + std::to_string(version) + ".\"");
  // 4 characters carry 3 bytes; checked before decoding so an enormous paste costs nothing.
  const size_t compressed_estimate = data.size() / 4 * 3;
  if (compressed_estimate > limits::link_compressed_bytes_max)
    return fail("the link is too long: it carries about " + std::to_string(compressed_estimate) +
                " bytes of compressed data; the limit is " + std::to_string(limits::link_compressed_bytes_max));
  std::string compressed;
  size_t bad = 0;
  if (!base64url_decode(data, compressed, &bad)) {
    if (bad < data.size() && data[bad] != '=')
      return fail("the link is damaged: " + printable(data[bad]) + " at position " + std::to_string(bad) +
                  " of its data is not a base64url character (A-Z a-z 0-9 - _)");
    return fail("the link is damaged or cut short: its data has an impossible length (" + std::to_string(data.size()) +
                " characters)");
  }
  if (compressed.size() > limits::link_compressed_bytes_max)
    return fail("the link is too long: it carries " + std::to_string(compressed.size()) +
                " bytes of compressed data; the limit is " + std::to_string(limits::link_compressed_bytes_max));
  InflateResult inflated = inflate_raw(compressed, limits::link_decompressed_bytes_max);
  switch (inflated.status) {
    case InflateStatus::ok: break;
    case InflateStatus::truncated:
      return fail("the link is cut short: the compressed scenario ends early (was the whole link copied?)");
    case InflateStatus::too_large:
      return fail("the link's scenario is larger than " + std::to_string(limits::link_decompressed_bytes_max) +
                  " bytes when decompressed; refused");
    case InflateStatus::invalid: return fail("the link is damaged: its compressed data is invalid (" + inflated.message + ")");
  }
  result.json_text = std::move(inflated.output);
  ScenarioParse parse = parse_scenario(result.json_text);
  result.scenario = std::move(parse.scenario);
  result.errors = std::move(parse.errors);
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

std::string link_url(std::string_view base, std::string_view fragment) {
  std::string_view page = base.substr(0, base.find('#'));
  return std::string(page) + std::string(fragment);
}

}  // namespace pg
