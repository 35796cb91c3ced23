// Composing a scenario: see compose.hpp.
#include "web/editor/compose.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/scenario/json_reader.hpp"

namespace pgweb::compose {
namespace {

const char* const lists[] = {"services", "caches", "locks", "queues", "requests"};

// The step kind that names an element of this kind (requests are named by none).
pg::StepKind step_kind(Kind kind) {
  switch (kind) {
    case Kind::cache: return pg::StepKind::cache;
    case Kind::lock: return pg::StepKind::lock;
    case Kind::queue: return pg::StepKind::publish;
    default: return pg::StepKind::call;
  }
}

template <class Fn>
void each_list(pg::Scenario& s, Fn&& fn) {   // every top-level step list of the scenario
  for (pg::RequestSpec& r : s.requests) fn(r.steps);
  for (pg::ServiceSpec& v : s.services) fn(v.steps);
  for (pg::QueueSpec& q : s.queues) fn(q.consumers.steps);
}

// Renames (to != "") or removes (to == "") every step of that kind and target, nested lists included.
void retarget(std::vector<pg::StepSpec>& steps, pg::StepKind kind, const std::string& from, const std::string& to) {
  for (size_t i = steps.size(); i-- > 0;) {
    pg::StepSpec& step = steps[i];
    if (step.kind == kind && step.target == from && kind != pg::StepKind::parallel) {
      if (to.empty()) {
        steps.erase(steps.begin() + (std::ptrdiff_t)i);
        continue;
      }
      step.target = to;
    }
    retarget(step.on_miss, kind, from, to);
    retarget(step.inside, kind, from, to);
    for (std::vector<pg::StepSpec>& branch : step.branches) retarget(branch, kind, from, to);
  }
}

// "old" or "old" followed by one of `seps` at the start of text: replaced by "name".
bool replace_head(std::string& text, const std::string& old, const std::string& name, const char* seps) {
  if (text.compare(0, old.size(), old) != 0) return false;
  if (text.size() != old.size() && !std::strchr(seps, text[old.size()])) return false;
  text = name + text.substr(old.size());
  return true;
}

// Boxes share one namespace (the layout's positions are keyed by name, beside "clients"); request types have their
// own (shop-spike has a request type "cart" and a service "cart").
bool taken(const pg::Scenario& s, const std::string& name, bool request) {
  auto in = [&](const auto& list) {
    return std::any_of(list.begin(), list.end(), [&](const auto& item) { return item.name == name; });
  };
  if (request) return in(s.requests);
  return name == "clients" || in(s.services) || in(s.caches) || in(s.locks) || in(s.queues);
}

std::string unique_name(const pg::Scenario& s, const std::string& base, bool request) {
  std::string name = base;
  for (int n = 2; taken(s, name, request); ++n) name = base + "-" + std::to_string(n);
  return name;
}

std::string item_pointer(Kind kind, size_t index) { return std::string("/") + lists[(int)kind] + "/" + std::to_string(index); }

Edit refused(const pg::Scenario& s, std::string problem) { return {s, std::move(problem), ""}; }

// The edited copy if it validates; else the original and the validator's lines.
Edit checked(const pg::Scenario& original, pg::Scenario edited, std::string pointer) {
  const std::string found = problems(edited);
  if (!found.empty()) return refused(original, found);
  return {std::move(edited), "", std::move(pointer)};
}

nlohmann::json* positions_of(pg::Scenario& s) {
  if (!s.view.is_object() || !s.view.contains("positions") || !s.view["positions"].is_object()) return nullptr;
  return &s.view["positions"];
}

}  // namespace

Kind kind_of(const std::string& pointer, size_t* index) {
  for (int k = 0; k < 5; ++k) {
    const std::string head = std::string("/") + lists[k] + "/";
    if (pointer.compare(0, head.size(), head) != 0) continue;
    const std::string rest = pointer.substr(head.size());
    if (rest.empty() || rest.size() > 4 || rest.find_first_not_of("0123456789") != std::string::npos) return Kind::none;
    if (index) *index = (size_t)std::stoul(rest);
    return (Kind)k;
  }
  return Kind::none;
}

std::string name_of(const pg::Scenario& s, const std::string& pointer) {
  size_t i = 0;
  switch (kind_of(pointer, &i)) {
    case Kind::service: return i < s.services.size() ? s.services[i].name : "";
    case Kind::cache: return i < s.caches.size() ? s.caches[i].name : "";
    case Kind::lock: return i < s.locks.size() ? s.locks[i].name : "";
    case Kind::queue: return i < s.queues.size() ? s.queues[i].name : "";
    case Kind::request: return i < s.requests.size() ? s.requests[i].name : "";
    case Kind::none: break;
  }
  return "";
}

std::string pointer_of(const pg::Scenario& s, const std::string& name) {
  auto find = [&](const auto& list, Kind kind) -> std::string {
    for (size_t i = 0; i < list.size(); ++i)
      if (list[i].name == name) return item_pointer(kind, i);
    return "";
  };
  std::string p = find(s.services, Kind::service);
  if (p.empty()) p = find(s.caches, Kind::cache);
  if (p.empty()) p = find(s.locks, Kind::lock);
  if (p.empty()) p = find(s.queues, Kind::queue);
  return p;
}

std::string problems(const pg::Scenario& s) {
  const pg::ScenarioParse parsed = pg::parse_scenario_json(pg::scenario_to_json(s));
  std::string out;
  for (const pg::ValidationError& e : parsed.errors) out += (out.empty() ? "" : "\n") + e.to_string();
  return out;
}

pg::Scenario blank_scenario() {
  pg::Scenario s;
  s.name = "My architecture";
  s.description =
      "A blank scenario. Drag a service from the palette onto the canvas, then drag from the clients' handle to it: "
      "that is a request type. Add caches, locks and queues the same way, and select a box to edit its fields.";
  return s;
}

Edit add_element(const pg::Scenario& s, Kind kind, double x, double y) {
  pg::Scenario out = s;
  static const char* const bases[] = {"service", "cache", "lock", "queue", "request"};
  if (kind == Kind::none) return refused(s, "nothing to add");
  const std::string name = unique_name(s, bases[(int)kind], kind == Kind::request);
  size_t index = 0;
  switch (kind) {
    case Kind::service: {
      if (s.services.size() >= pg::limits::services_max) return refused(s, "at most 64 services");
      pg::ServiceSpec& v = out.services.emplace_back();   // (emplace_back(): the reader's own instantiation)
      v.name = name;
      v.workers = 4;
      index = out.services.size() - 1;
      // The first service: clients need something to call, so a first request type calls it.
      if (out.requests.empty()) {
        pg::RequestSpec& r = out.requests.emplace_back();
        r.name = unique_name(out, "request", true);
        r.steps.emplace_back().target = name;
      }
      break;
    }
    case Kind::cache: {
      if (s.caches.size() >= pg::limits::caches_max) return refused(s, "at most 16 caches");
      pg::CacheSpec& c = out.caches.emplace_back();
      c.name = name;
      for (const char* node : {"-a", "-b", "-c"}) c.nodes.push_back(name + node);
      index = out.caches.size() - 1;
      break;
    }
    case Kind::lock: {
      if (s.locks.size() >= pg::limits::locks_max) return refused(s, "at most 16 locks");
      out.locks.emplace_back().name = name;
      index = out.locks.size() - 1;
      break;
    }
    case Kind::queue: {
      if (s.queues.size() >= pg::limits::queues_max) return refused(s, "at most 16 queues");
      out.queues.emplace_back().name = name;
      index = out.queues.size() - 1;
      break;
    }
    case Kind::request: {
      if (s.requests.size() >= pg::limits::requests_max) return refused(s, "at most 32 request types");
      pg::RequestSpec& r = out.requests.emplace_back();
      r.name = name;
      if (!s.services.empty()) r.steps.emplace_back().target = s.services[0].name;
      // A mix written out lists every type: the new one joins with weight 1.
      if (!out.workload.mix.empty()) out.workload.mix.push_back({name, 1});
      index = out.requests.size() - 1;
      break;
    }
    case Kind::none: break;
  }
  if (kind != Kind::request && x >= 0 && x <= 1 && y >= 0 && y <= 1) {
    if (!out.view.is_object()) out.view = nlohmann::json::object();
    nlohmann::json point = nlohmann::json::array();
    point.push_back(std::round(x * 1000) / 1000);
    point.push_back(std::round(y * 1000) / 1000);
    out.view["positions"][name] = point;
  }
  return checked(s, std::move(out), item_pointer(kind, index));
}

Edit add_call(const pg::Scenario& s, const std::string& from, const std::string& to, const std::string& request) {
  size_t to_index = 0, from_index = 0, request_index = 0;
  const Kind to_kind = kind_of(to, &to_index);
  const std::string target = name_of(s, to);
  if (target.empty() || to_kind == Kind::request) return refused(s, "a call goes to a service, a cache, a lock or a queue");
  const Kind from_kind = kind_of(from, &from_index);
  const bool from_clients = from == "/workload";
  if (!from_clients && (from_kind == Kind::none || name_of(s, from).empty() ||
                        (from_kind != Kind::service && from_kind != Kind::queue)))
    return refused(s, "a call starts at the clients, a service or a queue (its consumers)");
  if (from == to) return refused(s, "a box cannot call itself");
  const bool has_request = kind_of(request, &request_index) == Kind::request && request_index < s.requests.size();
  pg::Scenario out = s;
  const pg::StepSpec step{step_kind(to_kind), target, {}, {}, {}};
  std::string changed;
  if (from_clients) {
    if (!has_request) {
      Edit added = add_element(s, Kind::request);
      if (!added.ok()) return added;
      out = std::move(added.scenario);
      kind_of(added.pointer, &request_index);
      out.requests[request_index].steps.clear();
    }
    out.requests[request_index].steps.push_back(step);
    changed = item_pointer(Kind::request, request_index);
  } else if (from_kind == Kind::queue) {
    out.queues[from_index].consumers.steps.push_back(step);
    changed = from;
  } else {
    const std::vector<pg::StepSpec>* flow = has_request ? &s.requests[request_index].steps : nullptr;
    if (flow && !flow->empty() && flow->back().kind == pg::StepKind::call && flow->back().target == name_of(s, from)) {
      out.requests[request_index].steps.push_back(step);
      changed = item_pointer(Kind::request, request_index);
    } else {
      out.services[from_index].steps.push_back(step);
      changed = from;
    }
  }
  return checked(s, std::move(out), changed);
}

Edit remove_element(const pg::Scenario& s, const std::string& pointer) {
  size_t i = 0;
  const Kind kind = kind_of(pointer, &i);
  const std::string name = name_of(s, pointer);
  if (name.empty()) return refused(s, "nothing selected to delete");
  pg::Scenario out = s;
  switch (kind) {
    case Kind::service: out.services.erase(out.services.begin() + (std::ptrdiff_t)i); break;
    case Kind::cache: out.caches.erase(out.caches.begin() + (std::ptrdiff_t)i); break;
    case Kind::lock: out.locks.erase(out.locks.begin() + (std::ptrdiff_t)i); break;
    case Kind::queue: out.queues.erase(out.queues.begin() + (std::ptrdiff_t)i); break;
    case Kind::request: {
      out.requests.erase(out.requests.begin() + (std::ptrdiff_t)i);
      std::vector<pg::MixEntry>& mix = out.workload.mix;
      mix.erase(std::remove_if(mix.begin(), mix.end(), [&](const pg::MixEntry& m) { return m.request == name; }),
                mix.end());
      break;
    }
    case Kind::none: break;
  }
  if (kind != Kind::request) each_list(out, [&](std::vector<pg::StepSpec>& steps) { retarget(steps, step_kind(kind), name, ""); });
  if (nlohmann::json* positions = positions_of(out)) positions->erase(name);
  return checked(s, std::move(out), "");
}

Edit rename_element(const pg::Scenario& s, const std::string& pointer, const std::string& name) {
  size_t i = 0;
  const Kind kind = kind_of(pointer, &i);
  const std::string old = name_of(s, pointer);
  if (old.empty()) return refused(s, "nothing selected to rename");
  if (name == old) return {s, "", pointer};
  if (name.empty()) return refused(s, "a name cannot be empty");
  if (name.size() > pg::limits::name_length_max) return refused(s, "a name has at most 64 characters");
  if (name == "clients" || taken(s, name, kind == Kind::request))
    return refused(s, "\"" + name + "\" is already taken");
  pg::Scenario out = s;
  switch (kind) {
    case Kind::service: out.services[i].name = name; break;
    case Kind::cache: out.caches[i].name = name; break;
    case Kind::lock: out.locks[i].name = name; break;
    case Kind::queue: out.queues[i].name = name; break;
    case Kind::request:
      out.requests[i].name = name;
      for (pg::MixEntry& m : out.workload.mix)
        if (m.request == old) m.request = name;
      break;
    case Kind::none: break;
  }
  if (kind != Kind::request) each_list(out, [&](std::vector<pg::StepSpec>& steps) { retarget(steps, step_kind(kind), old, name); });
  // Targets: "order", "order#1" (services), "inventory/2" (locks), "orders/consumer#3" and "orders/consumers" (queues).
  const char* target_seps = kind == Kind::service ? "#" : kind == Kind::lock || kind == Kind::queue ? "/" : "";
  // Paths and metrics spell the name in their own way: "/services/order/workers", "services.order.latency_ms".
  const std::string list = lists[(int)kind];
  const std::string path_old = "/" + list + "/" + pg::json_pointer_escape(old);
  const std::string path_new = "/" + list + "/" + pg::json_pointer_escape(name);
  for (std::vector<pg::FaultSpec>* faults : {&out.faults, &out.interventions})
    for (pg::FaultSpec& f : *faults) {
      if (kind != Kind::request) {
        replace_head(f.target, old, name, target_seps);
        if (kind == Kind::service)
          for (std::vector<std::string>* group : {&f.groups_a, &f.groups_b})
            for (std::string& g : *group) replace_head(g, old, name, "#");
      }
      replace_head(f.path, path_old, path_new, "/");
    }
  for (pg::GoalSpec& g : out.goals) replace_head(g.metric, list + "." + old, list + "." + name, ".");
  if (out.exercise.is_object() && out.exercise.contains("allowed") && out.exercise["allowed"].is_array())
    for (nlohmann::json& a : out.exercise["allowed"])
      if (a.is_string()) {
        std::string text = a.get<std::string>();
        if (replace_head(text, path_old, path_new, "/")) a = text;
      }
  if (nlohmann::json* positions = positions_of(out); positions && positions->contains(old)) {
    (*positions)[name] = (*positions)[old];
    positions->erase(old);
  }
  return checked(s, std::move(out), pointer);
}

std::vector<pg::StepSpec>* step_list(pg::Scenario& s, const std::string& list_pointer) {
  // The top-level list, then /N/on_miss, /N/inside, /N/parallel/B down the nesting.
  std::vector<pg::StepSpec>* list = nullptr;
  size_t i = 0, at = 0;
  auto number = [&](size_t& out) {
    const size_t end = list_pointer.find('/', at);
    const std::string digits = list_pointer.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (digits.empty() || digits.size() > 4 || digits.find_first_not_of("0123456789") != std::string::npos) return false;
    out = (size_t)std::stoul(digits);
    at = end == std::string::npos ? list_pointer.size() : end + 1;
    return true;
  };
  auto word = [&](const char* w) {
    const std::string head = w;
    if (list_pointer.compare(at, head.size(), head) != 0) return false;
    at += head.size();
    return true;
  };
  if (word("/requests/") && number(i) && i < s.requests.size() && word("steps")) list = &s.requests[i].steps;
  else if (at = 0; word("/services/") && number(i) && i < s.services.size() && word("steps")) list = &s.services[i].steps;
  else if (at = 0; word("/queues/") && number(i) && i < s.queues.size() && word("consumers/steps"))
    list = &s.queues[i].consumers.steps;
  while (list && at < list_pointer.size()) {
    size_t step = 0, branch = 0;
    if (!word("/") || !number(step) || step >= list->size()) return nullptr;
    pg::StepSpec& spec = (*list)[step];
    if (word("on_miss") && spec.kind == pg::StepKind::cache) list = &spec.on_miss;
    else if (word("inside") && spec.kind == pg::StepKind::lock) list = &spec.inside;
    else if (word("parallel/") && number(branch) && branch < spec.branches.size()) {
      list = &spec.branches[branch];
      if (at != list_pointer.size()) --at;   // number() stepped over the '/' that follows
    } else return nullptr;
  }
  return list;
}

Edit add_step(const pg::Scenario& s, const std::string& list_pointer, pg::StepKind kind, const std::string& target) {
  pg::Scenario out = s;
  std::vector<pg::StepSpec>* list = step_list(out, list_pointer);
  if (!list) return refused(s, "no step list at " + list_pointer);
  pg::StepSpec step{kind, target, {}, {}, {}};
  if (kind == pg::StepKind::parallel) {
    step.target.clear();
    step.branches.resize(2);
  }
  list->push_back(step);
  return checked(s, std::move(out), list_pointer);
}

Edit remove_step(const pg::Scenario& s, const std::string& list_pointer, size_t index) {
  pg::Scenario out = s;
  std::vector<pg::StepSpec>* list = step_list(out, list_pointer);
  if (!list || index >= list->size()) return refused(s, "no such step");
  list->erase(list->begin() + (std::ptrdiff_t)index);
  return checked(s, std::move(out), list_pointer);
}

Edit move_step(const pg::Scenario& s, const std::string& list_pointer, size_t index, int delta) {
  pg::Scenario out = s;
  std::vector<pg::StepSpec>* list = step_list(out, list_pointer);
  const long to = (long)index + delta;
  if (!list || index >= list->size() || to < 0 || to >= (long)list->size()) return refused(s, "no such step");
  std::swap((*list)[index], (*list)[(size_t)to]);
  return checked(s, std::move(out), list_pointer);
}

Edit set_mix_weight(const pg::Scenario& s, const std::string& request, double weight) {
  pg::Scenario out = s;
  std::vector<pg::MixEntry>& mix = out.workload.mix;
  if (mix.empty())
    for (const pg::RequestSpec& r : s.requests) mix.push_back({r.name, 1});
  for (pg::MixEntry& m : mix)
    if (m.request == request) {
      m.weight = weight;
      return checked(s, std::move(out), "/workload");
    }
  return refused(s, "no request type \"" + request + "\" in the mix");
}

}  // namespace pgweb::compose
