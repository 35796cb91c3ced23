// Share links (see share.hpp). TEMPORARY format "#j=<base64url(canonical compact JSON)>", to be replaced by
// engine/link.hpp's "#s=1.<base64url(deflate-raw(json))>" when it is merged: then encode_link/decode_link here
// forward to pg::encode_link/pg::decode_link, and "#j=" links stay readable for a while.
#include "web/share.hpp"

#include <cstdint>

namespace pgweb {

namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (uint32_t)(uint8_t)bytes[i] << 16 | (uint32_t)(uint8_t)bytes[i + 1] << 8 | (uint8_t)bytes[i + 2];
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    out += alphabet[v >> 6 & 63];
    out += alphabet[v & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = (uint32_t)(uint8_t)bytes[i] << 16;
    if (i + 1 < bytes.size()) v |= (uint32_t)(uint8_t)bytes[i + 1] << 8;
    out += alphabet[v >> 18 & 63];
    out += alphabet[v >> 12 & 63];
    if (i + 1 < bytes.size()) out += alphabet[v >> 6 & 63];
  }
  return out;
}

int digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-' || c == '+') return 62;
  if (c == '_' || c == '/') return 63;
  return -1;
}

bool base64url_decode(std::string_view text, std::string& out) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return false;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int d = digit(c);
    if (d < 0) return false;
    buffer = buffer << 6 | (uint32_t)d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += (char)(buffer >> bits & 0xff);
    }
  }
  return true;
}

// The value of "j=" (or "s=") in a fragment/URL; empty when absent.
std::string_view find_payload(std::string_view text, std::string_view key) {
  if (size_t hash = text.find('#'); hash != std::string_view::npos) text = text.substr(hash + 1);
  while (!text.empty()) {
    size_t amp = text.find('&');
    std::string_view part = text.substr(0, amp);
    if (part.substr(0, key.size()) == key) return part.substr(key.size());
    if (amp == std::string_view::npos) break;
    text = text.substr(amp + 1);
  }
  return {};
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

bool fragment_has_scenario(std::string_view fragment) {
  fragment = trim(fragment);
  if (size_t hash = fragment.find('#'); hash != std::string_view::npos) fragment = fragment.substr(hash + 1);
  return !fragment.empty();
}

LinkDecode decode_link(std::string_view link) {
  LinkDecode result;
  link = trim(link);
  std::string_view payload = find_payload(link, "j=");
  if (payload.empty()) {
    if (!find_payload(link, "s=").empty())
      result.errors.push_back({"", "this is a compressed link (#s=1.), which this build of the app cannot read yet"});
    else
      result.errors.push_back({"", "the link holds no scenario (expected #j=... after the page address)"});
    return result;
  }
  if (payload.size() > pg::limits::document_bytes_max * 4 / 3 + 4) {
    result.errors.push_back({"", "the link is too long for a scenario"});
    return result;
  }
  std::string json_text;
  if (!base64url_decode(payload, json_text)) {
    result.errors.push_back({"", "the link is damaged (not base64url text): was it cut short when copied?"});
    return result;
  }
  pg::ScenarioParse parsed = pg::parse_scenario(json_text);
  if (!parsed.ok()) {
    result.errors.push_back({"", "the link's scenario is not valid:"});
    for (pg::ValidationError& error : parsed.errors) result.errors.push_back(std::move(error));
    return result;
  }
  result.scenario = std::move(parsed.scenario);
  return result;
}

LinkEncode encode_link(const pg::Scenario& scenario) {
  LinkEncode result;
  std::string json_text = pg::scenario_to_text(scenario, -1);
  if (json_text.size() > pg::limits::document_bytes_max) {
    result.error = "the scenario is too large for a link; download it as a file instead";
    return result;
  }
  result.fragment = "#j=" + base64url_encode(json_text);
  return result;
}

std::string link_url(std::string_view base, std::string_view fragment) {
  std::string out(base.substr(0, base.find('#')));
  out += fragment;
  return out;
}

}  // namespace pgweb
