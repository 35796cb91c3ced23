// Share links: a whole scenario in a URL fragment, "#s=1.<base64url(deflate-raw(canonical JSON))>". The "1." is the
// link format version (independent of the scenario version inside). Short links, "#s=b1.<id>.<hash>[.<changes>]",
// name a built-in scenario by its stable id and the hash of the content they were made from, plus the changes
// (engine/codec/link_patch.hpp); the encoder picks them when shorter (docs/links-and-schema.md, "Short links"). Fragments never reach a server, so a shared
// scenario stays between the people who share it.
// Invariants: encoding is deterministic (the same scenario gives the same link natively and in WebAssembly);
// decoding untrusted text never throws, never allocates more than the limits below, and every failure is a
// message a person can act on: not a link, damaged or cut short, too large, made by a newer version, or the
// scenario validation errors (with their JSON paths).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/scenario.hpp"

namespace pg {

constexpr int link_format_version = 1;
constexpr int short_link_format_version = 1;  // the "1" of "b1."

namespace limits {
constexpr size_t link_compressed_bytes_max = 64 * 1024;   // after base64url decoding
constexpr size_t link_decompressed_bytes_max = 1 << 20;   // = document_bytes_max; inflating stops here
}  // namespace limits

// What kind of failure a link decode met, for a message that says what to do about it (the page's banner); the
// errors say exactly what went wrong.
enum class LinkProblem : uint8_t {
  none,
  not_a_link,        // no "#s=" payload, or an unknown format
  damaged,           // characters or compressed data that cannot be right
  cut_short,         // the data ends early: most often a link cut when it was copied
  too_large,         // over the link limits below
  other_version,     // a newer link format, or a short link to a built-in this build does not have
  invalid_scenario,  // the link is whole, its scenario does not validate
};

struct LinkDecode {
  Scenario scenario;
  std::string json_text;                 // the decompressed document (empty when decompression failed)
  std::vector<ValidationError> errors;   // link errors have an empty path; then the scenario's own errors
  LinkProblem problem = LinkProblem::none;
  bool ok() const { return errors.empty(); }
};

struct LinkEncode {
  std::string fragment;  // "#s=1...."
  std::string error;     // empty when ok: the scenario is too large for a link
  bool ok() const { return error.empty(); }
};

// One content of a built-in scenario that short links can name. A built-in keeps its id forever; every content it
// has had stays a base (the current one, and past ones kept in the archive), so old short links keep their meaning.
struct LinkBase {
  int id = 0;               // the number in the link
  std::string file;         // "shop-spike.json", for messages
  std::string hash;         // link_base_hash(canonical)
  std::string canonical;    // the content's canonical compact JSON
  bool current = true;      // false: an archived past content (decoded, never encoded)
};
struct LinkBases {
  std::vector<LinkBase> bases;
  const LinkBase* find(int id, std::string_view hash) const;
  bool has_id(int id) const;
};

// The short hash a link carries for a base: the first 6 base64url characters of the MD5 of its canonical text.
std::string link_base_hash(std::string_view canonical);

// Accepts a full URL ("https://host/path#s=1.xxx"), a fragment ("#s=1.xxx", other "&"-separated parameters are
// ignored), "s=1.xxx", or the bare payload "1.xxx". Surrounding whitespace is ignored.
// Short links are read against bases; without them (nullptr) a short link is refused with a message.
LinkDecode decode_link(std::string_view link_or_fragment);
LinkDecode decode_link(std::string_view link_or_fragment, const LinkBases* bases);
// The fragment for the scenario's canonical compact JSON (scenario_to_text(s, -1)): always the self-contained form.
LinkEncode encode_link(const Scenario& scenario);
// The shortest link for the scenario: a short link from the current base that needs the fewest characters, or the
// self-contained form when that is shorter (or no base fits).
LinkEncode encode_shortest_link(const Scenario& scenario, const LinkBases& bases);
// Prepends base (a page URL; any fragment it has is replaced).
std::string link_url(std::string_view base, std::string_view fragment);

// The text with its %XX escapes decoded (browsers and chat programs may percent-encode a fragment's characters); a
// "%" that starts no escape stays as it is.
std::string link_percent_decoded(std::string_view text);

// base64url without padding (RFC 4648 section 5). decode returns false on a character outside the alphabet
// (position in *bad_position) or an impossible length; trailing "=" padding is accepted.
std::string base64url_encode(std::string_view bytes);
bool base64url_decode(std::string_view text, std::string& out, size_t* bad_position = nullptr);

}  // namespace pg
