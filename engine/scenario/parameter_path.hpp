// One resolver for parameter paths `/kind/NAME/field` (items of a list by name, as exercises and `set`
// interventions spell them: /services/order/workers, /locks/inventory/acquire/retry_ms, /workload/arrivals/rate_per_s,
// /duration_s), and the check of fault targets. Validation uses it, so a path or a target that names nothing is
// refused with did-you-mean when the document is read, not ignored at run time; the models use it to apply `set`.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/field.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/scenario/scenario_fields.hpp"

namespace pg {

enum class ItemKind : uint8_t { scenario, workload, service, cache, lock, queue };

// A resolved path: the item (its index in its list; 0 for the scenario and the workload) and the row of its table.
struct ParameterRef {
  ItemKind kind = ItemKind::scenario;
  uint32_t item = 0;
  size_t field = 0;                  // index of the row in the item's table
  const FieldInfo* info = nullptr;   // the row
};

struct PathResolution {
  ParameterRef ref;
  std::string error;                 // empty when resolved: why not, with a suggestion
  bool ok() const { return error.empty(); }
};

// A `set` path: must name one field that a run may change (aliases of older paths accepted).
PathResolution resolve_set_path(const Scenario& scenario, std::string_view path);
// An exercise's allowed path: a field, a group of fields (/services/payment/retries), an item (/services/order), a
// list (/interventions) or a top-level member. Empty when it names something; else why not.
std::string check_allowed_path(const Scenario& scenario, std::string_view path);
// A fault's target (services, instances, cache nodes, caches, lock instances, consumers). Empty when it exists.
std::string check_fault_target(const Scenario& scenario, const FaultSpec& fault);

// Every field of every item with its path: what the page's editors are made from.
struct FieldAddress {
  std::string path;                  // "/services/order/workers"
  std::string item_name;             // "order" ("" for the scenario and the workload)
  ParameterRef ref;
};
std::vector<FieldAddress> field_addresses(const Scenario& scenario);

// Calls fn(row, spec) with the typed row and the item a resolved reference names (editors, tests).
template <class Fn>
decltype(auto) visit_field(Scenario& s, const ParameterRef& ref, Fn&& fn) {
  switch (ref.kind) {
    case ItemKind::workload: return fn(workload_fields()[ref.field], s.workload);
    case ItemKind::service: return fn(service_fields()[ref.field], s.services[ref.item]);
    case ItemKind::cache: return fn(cache_fields()[ref.field], s.caches[ref.item]);
    case ItemKind::lock: return fn(lock_fields()[ref.field], s.locks[ref.item]);
    case ItemKind::queue: return fn(queue_fields()[ref.field], s.queues[ref.item]);
    case ItemKind::scenario: break;
  }
  return fn(scenario_fields()[ref.field], s);
}

// The value a `set` of this field to `value` gives (clamped to the row's range, whole numbers truncated).
double clamp_to_field(const FieldInfo& info, double value);

}  // namespace pg
