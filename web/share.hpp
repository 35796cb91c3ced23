// Share links for the app. The interface mirrors engine/link.hpp (written on another branch: "#s=1.<base64url(
// deflate-raw(json))>"); until that lands this file uses a temporary, uncompressed format, "#j=<base64url(json)>",
// so switching is a change to share.cpp alone. Decoding never throws; every failure is a sentence for a person.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario.hpp"

namespace pgweb {

struct LinkDecode {
  pg::Scenario scenario;
  std::vector<pg::ValidationError> errors;   // link errors have an empty path; then the scenario's own errors
  bool ok() const { return errors.empty(); }
};

struct LinkEncode {
  std::string fragment;   // "#j=..." (later "#s=1....")
  std::string error;      // empty when ok
  bool ok() const { return error.empty(); }
};

// True when the fragment carries a scenario at all (an empty fragment or "#" is not a link, not an error).
bool fragment_has_scenario(std::string_view fragment);
// Accepts a full URL, a fragment ("#j=...", other "&"-separated parameters are ignored) or the bare payload.
LinkDecode decode_link(std::string_view link_or_fragment);
LinkEncode encode_link(const pg::Scenario& scenario);
// base (a page URL; any fragment it has is replaced) + fragment.
std::string link_url(std::string_view base, std::string_view fragment);

}  // namespace pgweb
