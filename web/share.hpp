// Share links for the app: the engine's link format (engine/codec/link.hpp), "#s=1.<base64url(deflate-raw(json))>", so a
// link made in the page opens in the CLI and the other way round. Decoding never throws; every failure is a
// sentence for a person, and the page keeps the scenario it had.
#pragma once
#include <string>
#include <string_view>

#include "engine/codec/link.hpp"

namespace pgweb {

using LinkDecode = pg::LinkDecode;
using LinkEncode = pg::LinkEncode;

// True when the fragment carries a scenario at all (an empty fragment or "#" is not a link, not an error).
bool fragment_has_scenario(std::string_view fragment);
// Accepts a full URL, a fragment ("#s=1....", other "&"-separated parameters are ignored) or the bare payload.
// Short links ("#s=b1.<id>.<hash>...") are read against the embedded built-ins (builtin_link_bases()).
LinkDecode decode_link(std::string_view link_or_fragment);
// The shortest link: a short link from a built-in when that is shorter, else the self-contained "#s=1." form.
LinkEncode encode_link(const pg::Scenario& scenario);
// The built-in scenarios as short-link bases, built once from the embedded files.
const pg::LinkBases& builtin_link_bases();
// Links longer than this do not fit everywhere (a Discord message holds 2,000 characters): "Copy link" warns.
constexpr size_t link_length_warning = 2000;
// base (a page URL; any fragment it has is replaced) + fragment.
std::string link_url(std::string_view base, std::string_view fragment);

}  // namespace pgweb
