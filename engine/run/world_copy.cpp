// The copy of a World (Simulation::clone, the page's snapshots for seeking back): member by member, every member a
// value. In its own file so the WebAssembly build compiles it for size (CMakeLists.txt): a run is copied a few times,
// never per event, and the models' copy constructors this instantiates are tens of KB of code at -O3.
#include "engine/run/world.hpp"

namespace pg {

World::World(const World&) = default;

}  // namespace pg
