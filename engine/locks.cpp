// Placeholder lock model: acquiring always succeeds at once. Replaced by the locks issue's model.
#include "engine/locks.hpp"

#include "engine/world.hpp"

namespace pg {

void Locks::init(World&, const Scenario&) {}
void Locks::handle(World&, const Event&) {}
bool Locks::apply_fault(World&, const FaultSpec&, bool) { return false; }
void Locks::sample(World&, time_ns) {}
nlohmann::json Locks::report(const World&) const { return nlohmann::json::object(); }
void Locks::acquire(World& world, uint32_t flow_id, uint32_t) { world.flow_continue(flow_id, false); }
void Locks::release(World& world, uint32_t flow_id, uint32_t) { world.flow_continue(flow_id, false); }

}  // namespace pg
