// A cache's placement settings from the scenario -> Placement inputs (the model and the validator use these).
#pragma once
#include <vector>

#include "engine/models/caches/placement.hpp"
#include "engine/scenario/scenario.hpp"

namespace pg {

PlacementParams cache_placement_params(const PlacementSpec& spec);
std::vector<PlacementNode> cache_placement_nodes(const CacheSpec& spec);

}  // namespace pg
