// Placeholder cache model: every lookup misses, fills are free. Replaced by the ring issue's model.
#include "engine/caches.hpp"

#include "engine/world.hpp"

namespace pg {

void Caches::init(World&, const Scenario&) {}
void Caches::handle(World&, const Event&) {}
bool Caches::apply_fault(World&, const FaultSpec&, bool) { return false; }
void Caches::sample(World&, time_ns) {}
nlohmann::json Caches::report(const World&) const { return nlohmann::json::object(); }
void Caches::lookup(World& world, uint32_t flow_id, uint32_t) { world.flow_continue(flow_id, false); }
void Caches::fill(World& world, uint32_t flow_id, uint32_t) { world.flow_continue(flow_id, false); }

}  // namespace pg
