// Composing a scenario: the edits the Architecture view's palette, its drag-to-connect and the selection panel make
// (docs/editor.md, "Composing"). No ImGui here, so each edit is tested natively (tests/unit/web/test_compose.cpp).
//
// Every function takes the scenario as it is and returns the edited copy, or a problem in plain words and the
// scenario unchanged; nothing is applied here. The page hands an edited copy to Session::apply_scenario, which
// validates it again (the canonical round trip) and rebuilds the run, so an edit that would not validate is refused
// with the validator's messages and the user's scenario is kept.
//
// Elements are named by JSON pointers into the scenario, as the editor's selection is: "/services/2", "/caches/0",
// "/locks/0", "/queues/1", "/requests/0", and "/workload" for the clients' box. Step lists are named by the
// pointer of the list: "/requests/0/steps", "/services/2/steps", "/queues/0/consumers/steps", and nested lists
// "/requests/0/steps/1/on_miss", ".../inside", ".../parallel/0"; a step by its list and index.
#pragma once
#include <string>
#include <vector>

#include "engine/scenario/scenario.hpp"

namespace pgweb::compose {

enum class Kind : uint8_t { service, cache, lock, queue, request, none };

struct Edit {
  pg::Scenario scenario;   // the edited copy (the input, unchanged, when problem is set)
  std::string problem;     // empty when done
  std::string pointer;     // the element the edit made or changed ("/services/3"), to select next
  bool ok() const { return problem.empty(); }
};

// "/services/2" -> service and 2; anything else -> Kind::none.
Kind kind_of(const std::string& pointer, size_t* index = nullptr);
// The element's name ("" when the pointer names none).
std::string name_of(const pg::Scenario& s, const std::string& pointer);
// The pointer of the element with that name, searched in the order services, caches, locks, queues ("" if none).
std::string pointer_of(const pg::Scenario& s, const std::string& name);

// The smallest valid scenario worth starting from: no service yet, a name, and a description saying what to do.
pg::Scenario blank_scenario();

// A new element with valid defaults and a name no other element has ("service", "service-2", ...). When x and y
// are in [0, 1] its box is placed there (view.positions, as dragging a box does). A new request type gets one call
// to the first service (none when there is no service yet).
Edit add_element(const pg::Scenario& s, Kind kind, double x = -1, double y = -1);

// A call from one box to another. `from` is "/workload" (the clients), a service or a queue (its consumers);
// `to` a service (a call step), a cache (cache), a lock (lock) or a queue (publish).
// From the clients: appended to the request type `request` ("/requests/N"), or to a new one when it is "".
// From a service: appended to the service's own steps (its call tree), unless `request` names a request type whose
// flow ends at that service (its last step calls it): then the request type's flow goes on (gateway, then catalog).
// From a queue: appended to its consumers' steps.
Edit add_call(const pg::Scenario& s, const std::string& from, const std::string& to, const std::string& request);

// Deletes an element: the steps that use it go with it (a cache step with its on_miss steps, a lock step with the
// steps inside it), and so do its mix entry and layout position. Faults, interventions and goals that name it are not
// rewritten: the edit is refused (the validator's message says which) until they are removed.
Edit remove_element(const pg::Scenario& s, const std::string& pointer);

// Renames an element; every reference follows: steps everywhere, the mix, fault and intervention targets
// ("order#1", "inventory/2", "orders/consumer#3", partition groups) and `set` paths, goals' metrics
// ("services.order.*"), the exercise's allowed paths and view.positions. The name must be new among every
// element (layout positions are keyed by name) and not "clients".
Edit rename_element(const pg::Scenario& s, const std::string& pointer, const std::string& name);

// The step list a pointer names (nullptr when none).
std::vector<pg::StepSpec>* step_list(pg::Scenario& s, const std::string& list_pointer);
// Appends a step (kind and target; a parallel step gets two empty branches) to a list.
Edit add_step(const pg::Scenario& s, const std::string& list_pointer, pg::StepKind kind, const std::string& target);
// Removes the step `index` of a list, or moves it by delta places (-1 up, +1 down).
Edit remove_step(const pg::Scenario& s, const std::string& list_pointer, size_t index);
Edit move_step(const pg::Scenario& s, const std::string& list_pointer, size_t index, int delta);

// A request type's weight in the workload mix. An empty mix (every type equally) is first written out with weight 1
// for every type, in the order of the types.
Edit set_mix_weight(const pg::Scenario& s, const std::string& request, double weight);

// The problems the validator finds in s, one line each ("" when it is valid).
std::string problems(const pg::Scenario& s);

}  // namespace pgweb::compose
