// Parameter paths and fault targets: see parameter_path.hpp.
#include "engine/scenario/parameter_path.hpp"

#include <algorithm>

#include "engine/scenario/scenario_fields.hpp"

namespace pg {
namespace {

// One kind of item: its list in the document, what one is called in messages, and its rows.
struct Kind {
  ItemKind kind;
  const char* list;                    // "services"; "" for the scenario's own fields
  const char* noun;                    // "service"
  std::vector<const FieldInfo*> rows;
};

template <class Spec>
std::vector<const FieldInfo*> rows_of(const FieldTable<Spec>& table) {
  std::vector<const FieldInfo*> rows;
  for (const Field<Spec>& f : table) rows.push_back(&f);
  return rows;
}

const std::vector<Kind>& kinds() {
  static const std::vector<Kind> all = {
      {ItemKind::scenario, "", "scenario", rows_of(scenario_fields())},
      {ItemKind::workload, "workload", "workload", rows_of(workload_fields())},
      {ItemKind::service, "services", "service", rows_of(service_fields())},
      {ItemKind::cache, "caches", "cache", rows_of(cache_fields())},
      {ItemKind::lock, "locks", "lock", rows_of(lock_fields())},
      {ItemKind::queue, "queues", "queue", rows_of(queue_fields())},
  };
  return all;
}

// Top-level members an exercise may allow as a whole.
const char* const top_level_members[] = {"workload", "requests", "services", "caches", "locks", "queues",
                                         "faults",   "interventions", "goals", "view", "exercise"};

std::vector<std::string> item_names(const Scenario& s, ItemKind kind) {
  std::vector<std::string> names;
  auto add = [&](const auto& items) {
    for (const auto& item : items) names.push_back(item.name);
  };
  switch (kind) {
    case ItemKind::service: add(s.services); break;
    case ItemKind::cache: add(s.caches); break;
    case ItemKind::lock: add(s.locks); break;
    case ItemKind::queue: add(s.queues); break;
    default: break;
  }
  return names;
}

// Joins parts by appending (GCC 12 warns falsely on long chains of `"literal" + std::string`).
std::string join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view part : parts) out.append(part);
  return out;
}
std::string in_quotes(std::string_view text) { return join({"\"", text, "\""}); }

// The closest candidate when it is close enough to be a typo (the rule of the reader's "did you mean").
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const std::string& c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best_distance) best_distance = d, best = c;
  }
  if (best.empty() || best_distance > std::max<size_t>(2, word.size() / 3)) return "";
  return join({"; did you mean ", in_quotes(best), "?"});
}

std::string unescape(std::string_view part) {
  std::string out;
  for (size_t i = 0; i < part.size(); ++i) {
    if (part[i] == '~' && i + 1 < part.size() && (part[i + 1] == '0' || part[i + 1] == '1')) {
      out += part[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += part[i];
    }
  }
  return out;
}

// The path split at its first parts: the kind, the item and the rest (a row's path or a prefix of one).
struct Split {
  const Kind* kind = nullptr;
  uint32_t item = 0;
  std::string rest;                    // "retries/max"; empty when the path ends at the item
  std::string error;
};

Split split(const Scenario& s, std::string_view path) {
  Split out;
  if (path.empty() || path[0] != '/') {
    out.error = join({in_quotes(path), " must be a path starting with \"/\", such as \"/services/order/workers\""});
    return out;
  }
  std::string_view body = path.substr(1);
  std::string first(body.substr(0, body.find('/')));
  std::string_view after = first.size() < body.size() ? body.substr(first.size() + 1) : std::string_view();
  std::vector<std::string> lists;
  for (const Kind& k : kinds()) {
    if (*k.list) lists.push_back(k.list);
    if (first == k.list) out.kind = &k;
  }
  if (!out.kind) {
    out.kind = &kinds()[0];            // a field of the scenario itself: /duration_s
    out.rest = std::string(body);
    if (first.size() < body.size()) {  // /servics/api/workers
      for (const char* member : top_level_members) lists.push_back(member);
      out.error = join({in_quotes(path), " names no part of the scenario: there is no ", in_quotes(first),
                        suggestion(first, lists)});
    }
    return out;
  }
  if (out.kind->kind == ItemKind::workload) {
    out.rest = std::string(after);
    return out;
  }
  std::string name = unescape(after.substr(0, after.find('/')));
  std::vector<std::string> names = item_names(s, out.kind->kind);
  auto it = std::find(names.begin(), names.end(), name);
  if (name.empty() || it == names.end()) {
    out.error = join({in_quotes(path), " names no ", out.kind->noun, ": there is no ", out.kind->noun, " named ",
                      in_quotes(name), suggestion(name, names)});
    return out;
  }
  out.item = (uint32_t)(it - names.begin());
  size_t slash = after.find('/');
  out.rest = slash == std::string_view::npos ? "" : std::string(after.substr(slash + 1));
  return out;
}

std::vector<std::string> row_paths(const Kind& kind, bool settable_only) {
  std::vector<std::string> paths;
  for (const FieldInfo* row : kind.rows)
    if (!settable_only || row->settable) paths.push_back(row->path);
  return paths;
}

std::string where(const Kind& kind) { return join({*kind.list ? kind.noun : "top-level", " fields"}); }
std::string singular(const Kind& kind) { return join({*kind.list ? kind.noun : "top-level", " field"}); }

}  // namespace

double clamp_to_field(const FieldInfo& info, double value) {
  switch (info.type) {
    case FieldType::integer:
    case FieldType::count: return (double)(int64_t)std::clamp(value, info.min, info.max);
    case FieldType::number: return std::clamp(value, info.min, info.max);
    case FieldType::boolean: return value != 0 ? 1 : 0;
    case FieldType::choice:
    case FieldType::word: return (double)(int)std::clamp(value, 0.0, (double)(info.words.count - 1));
    default: return value;
  }
}

PathResolution resolve_set_path(const Scenario& scenario, std::string_view path) {
  PathResolution result;
  Split parts = split(scenario, path);
  if (!parts.error.empty()) {
    result.error = parts.error;
    return result;
  }
  const Kind& kind = *parts.kind;
  for (size_t i = 0; i < kind.rows.size(); ++i) {
    const FieldInfo& row = *kind.rows[i];
    if (parts.rest != row.path && !(row.alias && parts.rest == row.alias)) continue;
    if (!row.settable) {
      std::string settable;
      for (const std::string& p : row_paths(kind, true)) settable += (settable.empty() ? "" : ", ") + p;
      result.error = join({in_quotes(path), " cannot be changed during a run; ", where(kind), " that can: ",
                           settable.empty() ? std::string_view("none") : std::string_view(settable)});
      return result;
    }
    result.ref = {kind.kind, parts.item, i, &row};
    return result;
  }
  result.error = join({in_quotes(path), " names no ", singular(kind), " ", in_quotes(parts.rest),
                       suggestion(parts.rest, row_paths(kind, true))});
  return result;
}

std::string check_allowed_path(const Scenario& scenario, std::string_view path) {
  std::string_view body = path.size() > 1 ? path.substr(1) : std::string_view();
  std::string first(body.substr(0, body.find('/')));
  // A whole top-level member, or anything inside the ones that are not parameter tables.
  for (const char* member : top_level_members)
    if (first == member && (body.size() == first.size() || !(first == "workload" || first == "services" ||
                                                             first == "caches" || first == "locks" ||
                                                             first == "queues")))
      return "";
  if (first == "requests") return "";
  Split parts = split(scenario, path);
  if (!parts.error.empty()) return parts.error;
  if (parts.rest.empty()) return "";   // the whole item
  for (const FieldInfo* row : parts.kind->rows) {
    std::string_view p = row->path;
    if (p == parts.rest || (p.size() > parts.rest.size() && p.substr(0, parts.rest.size()) == parts.rest &&
                            p[parts.rest.size()] == '/'))
      return "";
  }
  std::vector<std::string> candidates = row_paths(*parts.kind, false);
  if (parts.kind->kind == ItemKind::scenario)
    for (const char* member : top_level_members) candidates.push_back(member);
  return join({in_quotes(path), " names no ", singular(*parts.kind), " ", in_quotes(parts.rest),
               suggestion(parts.rest, candidates)});
}

std::string check_fault_target(const Scenario& s, const FaultSpec& f) {
  if (f.kind == FaultKind::set || f.kind == FaultKind::partition || f.target.empty()) return "";
  std::vector<std::string> targets;
  for (const ServiceSpec& v : s.services) {
    targets.push_back(v.name);
    for (int i = 0; i < v.instances; ++i) targets.push_back(v.name + "#" + std::to_string(i));
  }
  for (const CacheSpec& c : s.caches) {
    targets.push_back(c.name);
    for (const std::string& node : c.nodes) targets.push_back(node);
  }
  // A node added by an add_node fault or intervention can be crashed later.
  for (const auto* list : {&s.faults, &s.interventions})
    for (const FaultSpec& other : *list)
      if (other.kind == FaultKind::add_node && !other.node.empty()) targets.push_back(other.node);
  // Lock instances by index up to the lock's instance count (its kind decides how many it runs; an exercise may
  // change the kind), and consumers up to the most a group can have (their count can be set during a run).
  for (const LockSpec& l : s.locks) {
    targets.push_back(l.name);
    // (a redis lock's replicas are its instances 1 and up, after the primary, 0)
    for (int i = 0; i < std::max({1, l.instances, 1 + l.replica_count, l.ensemble}); ++i)
      targets.push_back(l.name + "/" + std::to_string(i));
  }
  for (const QueueSpec& q : s.queues) {
    targets.push_back(q.name + "/consumers");
    if (f.target.rfind(q.name + "/consumer#", 0) == 0) {
      std::string digits = f.target.substr(q.name.size() + 10);
      if (!digits.empty() && digits.size() <= 3 && digits.find_first_not_of("0123456789") == std::string::npos &&
          std::stoi(digits) < 256)
        return "";
    }
    targets.push_back(q.name + "/consumer#0");
  }
  if (std::find(targets.begin(), targets.end(), f.target) != targets.end()) return "";
  return join({"names ", in_quotes(f.target),
               ", which is not a service, an instance, a cache, a cache node, a lock instance or a consumer",
               suggestion(f.target, targets)});
}

std::vector<FieldAddress> field_addresses(const Scenario& s) {
  std::vector<FieldAddress> out;
  for (const Kind& kind : kinds()) {
    std::vector<std::string> names = *kind.list && kind.kind != ItemKind::workload ? item_names(s, kind.kind)
                                                                                   : std::vector<std::string>{""};
    for (uint32_t item = 0; item < names.size(); ++item)
      for (size_t i = 0; i < kind.rows.size(); ++i) {
        std::string path = *kind.list ? join({"/", kind.list}) : std::string();
        if (!names[item].empty()) path += join({"/", json_pointer_escape(names[item])});
        path += join({"/", kind.rows[i]->path});
        out.push_back({std::move(path), names[item], {kind.kind, item, i, kind.rows[i]}});
      }
  }
  return out;
}

}  // namespace pg
