// A cache's placement settings from the scenario turned into the placement module's inputs. Kept apart from the
// cache model so the scenario validator (and the fuzzers that link only the parser) need not pull the model in.
#include "engine/models/caches/cache_placement.hpp"

#include <algorithm>

namespace pg {

PlacementParams cache_placement_params(const PlacementSpec& spec) {
  PlacementParams p;
  p.algorithm = spec.algorithm;
  p.hash = spec.hash;
  p.vnodes = (uint32_t)std::max(spec.vnodes, 1);
  p.table_size = (uint32_t)std::max(spec.table_size, 1);
  p.load_factor_permille = (uint32_t)(spec.load_factor * 1000 + 0.5);
  return p;
}

std::vector<PlacementNode> cache_placement_nodes(const CacheSpec& spec) {
  std::vector<PlacementNode> nodes;
  for (size_t i = 0; i < spec.nodes.size(); ++i)
    nodes.push_back({spec.nodes[i], i < spec.weights.size() ? (uint32_t)spec.weights[i] : 1u});
  return nodes;
}

}  // namespace pg
