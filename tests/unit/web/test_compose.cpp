// Composing a scenario (web/editor/compose.hpp): each edit gives a document that validates and has exactly the change
// it names; a refused edit keeps the scenario and says why; a rename carries every reference along.
#include <string>

#include "engine/run/simulation.hpp"
#include "tests/unit/test_support.hpp"
#include "web/editor/compose.hpp"

using namespace pg;
namespace compose = pgweb::compose;

namespace {

Scenario load(const char* file) { return test::parse_or_fail(test::read_text(file)); }

// The canonical document, as a link carries it.
nlohmann::json doc(const Scenario& s) { return scenario_to_json(s); }

// The document without one member, to say "nothing else changed".
nlohmann::json without(nlohmann::json d, const char* key) {
  d.erase(key);
  return d;
}

std::string run_hash(const Scenario& s) {
  Simulation run(s);
  run.run_until(run.end_ns());
  return run.trace_hash_hex();
}

}  // namespace

TEST_CASE("the blank scenario validates and has nothing in it yet", "[editor]") {
  const Scenario blank = compose::blank_scenario();
  CHECK(compose::problems(blank).empty());
  CHECK(blank.services.empty());
  CHECK(blank.requests.empty());
  CHECK(!blank.description.empty());
  // The page builds a run of it (the Architecture view draws the clients' box alone).
  Simulation run(blank);
  run.run_until(run.end_ns());
  CHECK(run.finished());
}

TEST_CASE("each kind of element is added with a new name and valid defaults", "[editor]") {
  Scenario s = compose::blank_scenario();
  compose::Edit e = compose::add_element(s, compose::Kind::service, 0.25, 0.5);
  REQUIRE(e.ok());
  CHECK(e.pointer == "/services/0");
  REQUIRE(e.scenario.services.size() == 1);
  CHECK(e.scenario.services[0].name == "service");
  // The first service gets a request type calling it, so the clients have something to do.
  REQUIRE(e.scenario.requests.size() == 1);
  CHECK(e.scenario.requests[0].steps.size() == 1);
  CHECK(e.scenario.requests[0].steps[0].target == "service");
  CHECK(doc(e.scenario)["view"]["positions"]["service"] == nlohmann::json::parse("[0.25, 0.5]"));
  s = e.scenario;

  e = compose::add_element(s, compose::Kind::service);
  REQUIRE(e.ok());
  CHECK(e.scenario.services[1].name == "service-2");
  CHECK(e.scenario.requests.size() == 1);   // only the first service brings a request type
  CHECK(doc(e.scenario).dump() != doc(s).dump());
  CHECK(without(doc(e.scenario), "services") == without(doc(s), "services"));
  s = e.scenario;

  for (compose::Kind kind : {compose::Kind::cache, compose::Kind::lock, compose::Kind::queue}) {
    const size_t before = doc(s).dump().size();
    e = compose::add_element(s, kind);
    INFO(e.problem);
    REQUIRE(e.ok());
    CHECK(compose::problems(e.scenario).empty());
    CHECK(doc(e.scenario).dump().size() > before);
    s = e.scenario;
  }
  CHECK(s.caches.at(0).name == "cache");
  CHECK(s.caches.at(0).nodes.size() == 3);
  CHECK(s.locks.at(0).name == "lock");
  CHECK(s.queues.at(0).name == "queue");
  CHECK(compose::pointer_of(s, "queue") == "/queues/0");

  e = compose::add_element(s, compose::Kind::request);
  REQUIRE(e.ok());
  CHECK(e.pointer == "/requests/1");
  CHECK(e.scenario.requests[1].name == "request-2");
  CHECK(e.scenario.requests[1].steps.at(0).target == "service");
}

TEST_CASE("a call from a box to a box becomes the step its target needs", "[editor]") {
  Scenario s = load("scenarios/shop-spike.json");
  const std::string gateway = compose::pointer_of(s, "gateway"), order = compose::pointer_of(s, "order");
  s = compose::add_element(s, compose::Kind::cache).scenario;
  s = compose::add_element(s, compose::Kind::lock).scenario;
  s = compose::add_element(s, compose::Kind::queue).scenario;

  SECTION("service to service: the caller's own steps (a call tree)") {
    compose::Edit e = compose::add_call(s, order, "/caches/0", "");
    REQUIRE(e.ok());
    CHECK(e.pointer == order);
    const nlohmann::json steps = doc(e.scenario)["services"][3]["steps"];
    CHECK(steps == nlohmann::json::parse(R"([{"cache": "cache"}])"));
    e = compose::add_call(e.scenario, order, "/locks/0", "");
    e = compose::add_call(e.scenario, order, "/queues/0", "");
    REQUIRE(e.ok());
    CHECK(doc(e.scenario)["services"][3]["steps"] ==
          nlohmann::json::parse(R"([{"cache": "cache"}, {"lock": "lock"}, {"publish": "queue"}])"));
    CHECK(without(doc(e.scenario), "services") == without(doc(s), "services"));
  }
  SECTION("from the end of the selected request type's flow: the flow goes on") {
    // checkout ends at order: a drag from order to the cache extends checkout, not order's own steps.
    compose::Edit e = compose::add_call(s, order, "/caches/0", "/requests/2");
    REQUIRE(e.ok());
    CHECK(e.pointer == "/requests/2");
    CHECK(doc(e.scenario)["requests"][2]["steps"].back() == nlohmann::json::parse(R"({"cache": "cache"})"));
    CHECK(without(doc(e.scenario), "requests") == without(doc(s), "requests"));
    // From a box that is not the end of that flow: the box's own steps.
    e = compose::add_call(s, gateway, order, "/requests/0");
    REQUIRE(e.ok());
    CHECK(e.pointer == gateway);
    CHECK(doc(e.scenario)["services"][0]["steps"] == nlohmann::json::parse(R"([{"call": "order"}])"));
  }
  SECTION("from the clients: the selected request type, or a new one") {
    compose::Edit e = compose::add_call(s, "/workload", "/queues/0", "/requests/1");
    REQUIRE(e.ok());
    CHECK(doc(e.scenario)["requests"][1]["steps"].back() == nlohmann::json::parse(R"({"publish": "queue"})"));
    e = compose::add_call(s, "/workload", order, "");
    REQUIRE(e.ok());
    CHECK(e.pointer == "/requests/3");
    CHECK(doc(e.scenario)["requests"][3] == nlohmann::json::parse(R"({"name": "request", "steps": [{"call": "order"}]})"));
    // shop-spike's mix is written out: the new type joins it with weight 1.
    CHECK(doc(e.scenario)["workload"]["mix"].back() == nlohmann::json::parse(R"({"request": "request", "weight": 1})"));
  }
  SECTION("a queue's consumers") {
    compose::Edit e = compose::add_call(s, "/queues/0", order, "");
    REQUIRE(e.ok());
    CHECK(doc(e.scenario)["queues"][0]["consumers"]["steps"] == nlohmann::json::parse(R"([{"call": "order"}])"));
  }
  SECTION("refused: a cycle, a call to itself, a call from a cache") {
    compose::Edit e = compose::add_call(s, gateway, order, "");
    REQUIRE(e.ok());
    compose::Edit cycle = compose::add_call(e.scenario, order, gateway, "");
    CHECK(!cycle.ok());
    CHECK(cycle.problem.find("cycle") != std::string::npos);
    CHECK(doc(cycle.scenario) == doc(e.scenario));   // the scenario is kept
    CHECK(!compose::add_call(s, order, order, "").ok());
    CHECK(!compose::add_call(s, "/caches/0", order, "").ok());
    CHECK(!compose::add_call(s, "/workload", "/requests/0", "").ok());
  }
}

TEST_CASE("deleting an element takes the steps that use it and its mix entry", "[editor]") {
  Scenario s = load("scenarios/shop-spike.json");
  compose::Edit e = compose::remove_element(s, compose::pointer_of(s, "cart"));
  REQUIRE(e.ok());
  nlohmann::json expected = doc(s);
  expected["services"].erase(2);
  expected["requests"][1]["steps"] = nlohmann::json::parse(R"([{"call": "gateway"}])");
  expected["requests"][2]["steps"] = nlohmann::json::parse(R"([{"call": "gateway"}, {"call": "order"}])");
  CHECK(doc(e.scenario) == expected);

  e = compose::remove_element(s, "/requests/1");
  REQUIRE(e.ok());
  expected = doc(s);
  expected["requests"].erase(1);
  expected["workload"]["mix"].erase(1);
  CHECK(doc(e.scenario) == expected);

  // A cache step goes with the steps it runs on a miss.
  Scenario cached = load("scenarios/ring-cache-node-dies-during-sale.json");
  REQUIRE(!cached.caches.empty());
  e = compose::remove_element(cached, "/caches/0");
  INFO(e.problem);
  if (cached.faults.empty() || e.ok()) {
    REQUIRE(e.ok());
    CHECK(doc(e.scenario).dump().find("\"cache\":") == std::string::npos);
  } else {
    // Its faults name a node of the cache: refused, the validator says where, the scenario is kept.
    CHECK(e.problem.find("/faults/") != std::string::npos);
    CHECK(doc(e.scenario) == doc(cached));
  }
}

TEST_CASE("a delete that would leave a fault naming nothing is refused with the validator's message", "[editor]") {
  const Scenario s = load("scenarios/exercise-services-slow-instance.json");   // slows order#2 at 5 s
  const compose::Edit e = compose::remove_element(s, compose::pointer_of(s, "order"));
  CHECK(!e.ok());
  CHECK(e.problem.find("/faults/0/target") != std::string::npos);
  CHECK(doc(e.scenario) == doc(s));
}

TEST_CASE("a rename carries every reference along", "[editor]") {
  Scenario s = load("scenarios/exercise-services-slow-instance.json");
  // A goal on the service, a set intervention on it and a saved position, so every kind of reference is there.
  s.goals.push_back({"order is not overloaded", "services.order.utilisation", "<", 1, 1});
  FaultSpec set;
  set.at_s = 10;
  set.kind = FaultKind::set;
  set.path = "/services/order/workers";
  set.value = 8;
  s.interventions.push_back(set);
  s.view["positions"]["order"] = nlohmann::json::parse("[0.5, 0.5]");
  REQUIRE(compose::problems(s).empty());
  const std::string before = doc(s).dump();

  compose::Edit e = compose::rename_element(s, compose::pointer_of(s, "order"), "orders-v2");
  INFO(e.problem);
  REQUIRE(e.ok());
  // The description, its translations and the exercise's task and hints are prose a person wrote ("while order#2 is
  // slow"): not rewritten.
  const std::string after =
      without(without(without(doc(e.scenario), "exercise"), "description"), "i18n").dump();
  CHECK(after.find("\"order\"") == std::string::npos);
  CHECK(after.find("order#") == std::string::npos);
  CHECK(e.scenario.faults[0].target == "orders-v2#2");
  CHECK(e.scenario.interventions[0].path == "/services/orders-v2/workers");
  CHECK(e.scenario.goals.back().metric == "services.orders-v2.utilisation");
  CHECK(e.scenario.exercise["allowed"][0] == "/services/orders-v2/balancer");
  CHECK(e.scenario.view["positions"].contains("orders-v2"));
  CHECK(!e.scenario.view["positions"].contains("order"));
  // Goals on request types keep their names: only the service was renamed.
  CHECK(e.scenario.goals[0].metric == "requests.checkout.failed");

  // The run: names feed the random streams ("service/order/retry"), so the renamed scenario may draw other
  // numbers; what is certain is that renaming back gives the same document, hence the same run.
  compose::Edit back = compose::rename_element(e.scenario, compose::pointer_of(e.scenario, "orders-v2"), "order");
  REQUIRE(back.ok());
  CHECK(doc(back.scenario).dump() == before);
  CHECK(run_hash(back.scenario) == run_hash(s));
  Simulation renamed(e.scenario);
  renamed.run_until(renamed.end_ns());
  CHECK(renamed.report()["services"].contains("orders-v2"));

  // A request type: the mix and goals follow.
  Scenario shop = load("scenarios/shop-spike.json");
  shop.goals.push_back({"fast", "requests.checkout.latency_ms.p99", "<", 100, 1});
  e = compose::rename_element(shop, "/requests/2", "buy");
  REQUIRE(e.ok());
  CHECK(e.scenario.workload.mix[2].request == "buy");
  CHECK(e.scenario.goals[0].metric == "requests.buy.latency_ms.p99");
  // The renamed shop runs the same as the original: request names feed no random stream.
  CHECK(run_hash(e.scenario) == run_hash(shop));

  // Refused: a name another element has, an empty name, "clients".
  CHECK(!compose::rename_element(shop, "/services/0", "cart").ok());
  CHECK(compose::rename_element(shop, "/services/0", "checkout").ok());   // request types have names of their own
  CHECK(!compose::rename_element(shop, "/services/0", "").ok());
  CHECK(!compose::rename_element(shop, "/services/0", "clients").ok());
}

TEST_CASE("a rename follows locks, queues and caches in steps and targets", "[editor]") {
  for (const char* file : {"scenarios/exercise-locks-gc-pause-ttl.json", "scenarios/queues-consumer-crash.json",
                           "scenarios/ring-cache-node-dies-during-sale.json"}) {
    INFO(file);
    const Scenario s = load(file);
    const std::string pointer = !s.locks.empty() ? "/locks/0" : !s.queues.empty() ? "/queues/0" : "/caches/0";
    const std::string old = compose::name_of(s, pointer);
    compose::Edit e = compose::rename_element(s, pointer, "renamed-x");
    INFO(e.problem);
    REQUIRE(e.ok());
    const std::string after = doc(e.scenario).dump();
    CHECK(after.find("\"" + old + "\"") == std::string::npos);
    CHECK(after.find("\"" + old + "/") == std::string::npos);
    compose::Edit back = compose::rename_element(e.scenario, pointer, old);
    REQUIRE(back.ok());
    CHECK(doc(back.scenario) == doc(s));
  }
}

TEST_CASE("step lists: add, nest, move and remove steps", "[editor]") {
  Scenario s = load("scenarios/shop-spike.json");
  s = compose::add_element(s, compose::Kind::cache).scenario;
  compose::Edit e = compose::add_step(s, "/requests/0/steps", StepKind::cache, "cache");
  REQUIRE(e.ok());
  e = compose::add_step(e.scenario, "/requests/0/steps/2/on_miss", StepKind::call, "order");
  REQUIRE(e.ok());
  e = compose::add_step(e.scenario, "/requests/0/steps", StepKind::parallel, "");
  REQUIRE(e.ok());
  e = compose::add_step(e.scenario, "/requests/0/steps/3/parallel/1", StepKind::call, "cart");
  INFO(e.problem);
  REQUIRE(e.ok());
  CHECK(doc(e.scenario)["requests"][0]["steps"] == nlohmann::json::parse(
            R"([{"call": "gateway"}, {"call": "catalog"}, {"cache": "cache", "on_miss": [{"call": "order"}]},
                {"parallel": [[], [{"call": "cart"}]]}])"));
  const Scenario four = e.scenario;
  e = compose::move_step(four, "/requests/0/steps", 2, -1);
  REQUIRE(e.ok());
  CHECK(doc(e.scenario)["requests"][0]["steps"][1]["cache"] == "cache");
  CHECK(doc(e.scenario)["requests"][0]["steps"][2]["call"] == "catalog");
  CHECK(!compose::move_step(four, "/requests/0/steps", 0, -1).ok());
  e = compose::remove_step(four, "/requests/0/steps", 3);
  REQUIRE(e.ok());
  e = compose::remove_step(e.scenario, "/requests/0/steps", 2);
  REQUIRE(e.ok());
  // The steps are back to the shop's; the cache is still there.
  CHECK(doc(e.scenario)["requests"] == doc(load("scenarios/shop-spike.json"))["requests"]);
  CHECK(e.scenario.caches.size() == 1);
  // A step naming nothing is refused by the validator.
  CHECK(!compose::add_step(s, "/services/0/steps", StepKind::call, "nowhere").ok());
  CHECK(compose::step_list(s, "/requests/9/steps") == nullptr);
  CHECK(compose::step_list(s, "/services/0/steps") == &s.services[0].steps);
}

TEST_CASE("mix weights: an empty mix is written out first", "[editor]") {
  Scenario s = compose::blank_scenario();
  s = compose::add_element(s, compose::Kind::service).scenario;
  s = compose::add_element(s, compose::Kind::request).scenario;
  REQUIRE(s.workload.mix.empty());
  compose::Edit e = compose::set_mix_weight(s, "request-2", 30);
  REQUIRE(e.ok());
  CHECK(doc(e.scenario)["workload"]["mix"] ==
        nlohmann::json::parse(R"([{"request": "request", "weight": 1}, {"request": "request-2", "weight": 30}])"));
  CHECK(!compose::set_mix_weight(s, "nope", 2).ok());
}
