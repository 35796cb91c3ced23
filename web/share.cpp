// Share links (see share.hpp): the page uses the engine's encoder and decoder, compiled into the same WebAssembly.
#include "web/share.hpp"

#include "web/library.hpp"
#include "web/strings.hpp"

namespace pgweb {

bool fragment_has_scenario(std::string_view fragment) {
  while (!fragment.empty() && (fragment.front() == ' ' || fragment.front() == '\n' || fragment.front() == '\t'))
    fragment.remove_prefix(1);
  if (size_t hash = fragment.find('#'); hash != std::string_view::npos) fragment = fragment.substr(hash + 1);
  while (!fragment.empty() && (fragment.back() == ' ' || fragment.back() == '\n' || fragment.back() == '\t'))
    fragment.remove_suffix(1);
  return !fragment.empty();
}

const pg::LinkBases& builtin_link_bases() {
  static const pg::LinkBases bases =
      pg::build_link_bases(embedded_scenarios, embedded_scenario_count, embedded_link_files, embedded_link_file_count)
          .bases;
  return bases;
}

LinkDecode decode_link(std::string_view link_or_fragment) {
  LinkDecode result = pg::decode_link(link_or_fragment, &builtin_link_bases());
  // The scenario's own validation errors follow a line that says where they come from.
  if (!result.ok() && !result.errors.front().path.empty())
    result.errors.insert(result.errors.begin(), pg::ValidationError{"", text(StrId::link_scenario_invalid)});
  return result;
}

LinkEncode encode_link(const pg::Scenario& scenario) {
  return pg::encode_shortest_link(scenario, builtin_link_bases());
}

std::string link_url(std::string_view base, std::string_view fragment) { return pg::link_url(base, fragment); }

}  // namespace pgweb
