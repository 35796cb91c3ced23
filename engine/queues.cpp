// Placeholder queue model: publishing always succeeds and nothing consumes. Replaced by the queues issue's model.
#include "engine/queues.hpp"

#include "engine/world.hpp"

namespace pg {

void Queues::init(World&, const Scenario&) {}
void Queues::handle(World&, const Event&) {}
bool Queues::apply_fault(World&, const FaultSpec&, bool) { return false; }
void Queues::sample(World&, time_ns) {}
nlohmann::json Queues::report(const World&) const { return nlohmann::json::object(); }
void Queues::publish(World& world, uint32_t flow_id, uint32_t) { world.flow_continue(flow_id, false); }
void Queues::consumer_flow_done(World&, uint32_t, uint64_t, bool) {}

}  // namespace pg
