// Undo and redo (web/editor/undo.hpp, Session::undo/redo): for every kind of edit the page makes — a field, an
// intervention, a box moved in the layout, a structural change made on the JSON document, an exercise's goal, the
// scenario's texts — undo gives back exactly the scenario before it (canonical JSON equal) and redo the one after,
// and the run after undo is the run of that scenario (the same trace hash as a fresh run of it). The history's
// bounds, and what a load or a cancelled replay does to it.
#include <string>
#include <vector>

#include "tests/unit/test_support.hpp"
#include "web/editor/undo.hpp"
#include "web/session.hpp"

using namespace pg;
using pgweb::Session;
using pgweb::UndoHistory;

namespace {

void finish_jobs(Session& session) {
  for (int slices = 0; session.busy(); ++slices) {
    session.slice(0.050);
    REQUIRE(slices < 100'000);
  }
}

std::string canonical(const Session& session) { return scenario_to_text(session.scenario(), -1); }

std::string fresh_hash(const std::string& canonical_text) {
  Simulation direct(test::parse_or_fail(canonical_text));
  direct.run_until(direct.end_ns());
  return direct.trace_hash_hex();
}

// One edit, undone, redone, undone again; the run after the last undo is finished and compared with a fresh run.
void check_undo_of(Session& session, const char* what, const std::function<void()>& edit) {
  INFO(what);
  const std::string before = canonical(session);
  const double clock_s = session.clock_s();
  edit();
  finish_jobs(session);
  const std::string after = canonical(session);
  REQUIRE(after != before);
  REQUIRE(session.can_undo());
  REQUIRE(session.undo());
  finish_jobs(session);
  CHECK(canonical(session) == before);
  CHECK(session.clock_s() == Approx(clock_s));   // replayed to the same time
  CHECK(session.can_redo());
  REQUIRE(session.redo());
  finish_jobs(session);
  CHECK(canonical(session) == after);
  REQUIRE(session.undo());
  finish_jobs(session);
  CHECK(canonical(session) == before);
  // The run now is the run of `before`: to the end it gives a fresh run's trace hash.
  const double back_to_s = session.clock_s();
  REQUIRE(session.run_to_end() != 0);
  finish_jobs(session);
  CHECK(session.trace_hash_hex() == fresh_hash(before));
  // Back to where the test was (seeking back keeps the scenario and the history).
  session.seek(back_to_s);
  finish_jobs(session);
  CHECK(canonical(session) == before);
}

}  // namespace

TEST_CASE("undo gives back exactly the scenario before each kind of edit, and its run", "[editor]") {
  Session session;
  REQUIRE(session.load_scenario_text(test::read_text("scenarios/exercise-spike-capacity.json"), "file").empty());
  CHECK_FALSE(session.can_undo());
  CHECK_FALSE(session.undo());
  REQUIRE(session.seek(5.0) != 0);
  finish_jobs(session);

  check_undo_of(session, "a field", [&] {
    Scenario edit = session.scenario();
    edit.services[0].workers += 3;
    REQUIRE(session.apply_scenario(edit).empty());
  });
  check_undo_of(session, "an intervention", [&] {
    REQUIRE(session.intervene_json(R"({"kind":"crash","target":")" + session.scenario().services[0].name + R"(#0"})")
                .empty());
  });
  check_undo_of(session, "a box moved (view)", [&] {
    nlohmann::json view = nlohmann::json::object();
    view["positions"] = nlohmann::json::object();
    view["positions"][session.scenario().services[0].name] = nlohmann::json::array({0.25, 0.75});
    session.set_view(view);
  });
  check_undo_of(session, "a service added (document)", [&] {
    nlohmann::json doc = scenario_to_json(session.scenario());
    nlohmann::json service = nlohmann::json::object();
    service["name"] = "audit";
    doc["services"].push_back(service);
    REQUIRE(session.apply_document(doc).empty());
  });
  check_undo_of(session, "a goal changed", [&] {
    Scenario edit = session.scenario();
    REQUIRE_FALSE(edit.goals.empty());
    edit.goals[0].value *= 2;
    edit.goals[0].label = "twice as strict";
    REQUIRE(session.apply_scenario(edit).empty());
  });
  check_undo_of(session, "the exercise's task (document)", [&] {
    nlohmann::json doc = scenario_to_json(session.scenario());
    doc["exercise"]["task"] = "Another task.";
    REQUIRE(session.apply_document(doc).empty());
  });
  check_undo_of(session, "name and description", [&] {
    Scenario edit = session.scenario();
    edit.name = "Renamed";
    edit.description = "Described again.";
    REQUIRE(session.apply_scenario(edit).empty());
  });

  // A service removed: one added first (a step of its own), then taken out of the document.
  nlohmann::json doc = scenario_to_json(session.scenario());
  nlohmann::json service = nlohmann::json::object();
  service["name"] = "audit";
  doc["services"].push_back(service);
  REQUIRE(session.apply_document(doc).empty());
  finish_jobs(session);
  check_undo_of(session, "a service removed (document)", [&] {
    nlohmann::json less = scenario_to_json(session.scenario());
    REQUIRE(less["services"].back()["name"] == "audit");
    less["services"].erase(less["services"].size() - 1);
    REQUIRE(session.apply_document(less).empty());
  });
}

TEST_CASE("several edits undo in reverse order; a new edit forgets redo; a load forgets all", "[editor]") {
  Session session;
  REQUIRE(session.load_scenario_text(test::read_text("scenarios/shop-spike.json"), "file").empty());
  std::vector<std::string> states{canonical(session)};
  for (int k = 1; k <= 3; ++k) {
    Scenario edit = session.scenario();
    edit.workload.rate_per_s += 10 * k;
    REQUIRE(session.apply_scenario(edit).empty());
    finish_jobs(session);
    states.push_back(canonical(session));
  }
  // An edit that changes nothing is no step.
  REQUIRE(session.apply_scenario(session.scenario()).empty());
  finish_jobs(session);
  CHECK(session.history().undo_count() == 3);
  for (int k = 2; k >= 0; --k) {
    REQUIRE(session.undo());
    finish_jobs(session);
    CHECK(canonical(session) == states[(size_t)k]);
  }
  CHECK_FALSE(session.undo());
  REQUIRE(session.redo());
  finish_jobs(session);
  CHECK(canonical(session) == states[1]);
  Scenario other = session.scenario();
  other.name = "Other";
  REQUIRE(session.apply_scenario(other).empty());
  finish_jobs(session);
  CHECK_FALSE(session.can_redo());

  // A refused edit or document records nothing.
  const size_t steps = session.history().undo_count();
  Scenario bad = session.scenario();
  bad.services[0].workers = 0;
  CHECK_FALSE(session.apply_scenario(bad).empty());
  nlohmann::json doc = scenario_to_json(session.scenario());
  doc["services"][0]["workres"] = 2;
  CHECK_FALSE(session.apply_document(doc).empty());
  CHECK(session.history().undo_count() == steps);

  REQUIRE(session.load_scenario_text(test::read_text("scenarios/black-friday.json"), "file").empty());
  CHECK_FALSE(session.can_undo());
  CHECK_FALSE(session.can_redo());
}

TEST_CASE("a cancelled replay takes its step out of the history", "[editor]") {
  double wall_s = 0;   // every look at the clock a second later: each slice stops at its first look
  Session session({}, [&] { return wall_s += 1.0; });
  REQUIRE(session.load_scenario_text(test::read_text("scenarios/shop-spike.json"), "file").empty());
  REQUIRE(session.seek(10.0) != 0);
  finish_jobs(session);
  Scenario first = session.scenario();
  first.workload.rate_per_s *= 2;
  REQUIRE(session.apply_scenario(first).empty());
  finish_jobs(session);
  const std::string landed = canonical(session);

  Scenario second = session.scenario();
  second.services[0].workers += 1;
  REQUIRE(session.apply_scenario(second).empty());
  REQUIRE(session.busy());
  session.cancel();
  CHECK(canonical(session) == landed);
  CHECK(session.history().undo_count() == 1);

  // An undo whose replay is cancelled leaves the scenario and the history as they were.
  REQUIRE(session.undo());
  REQUIRE(session.busy());
  session.cancel();
  CHECK(canonical(session) == landed);
  CHECK(session.can_undo());
  CHECK_FALSE(session.can_redo());
}

TEST_CASE("the history is bounded by count and by bytes", "[editor]") {
  UndoHistory history;
  for (size_t k = 0; k < UndoHistory::max_states + 20; ++k) history.record("state " + std::to_string(k));
  CHECK(history.undo_count() == UndoHistory::max_states);
  std::string out;
  REQUIRE(history.undo("now", out));
  CHECK(out == "state " + std::to_string(UndoHistory::max_states + 19));   // the newest kept
  CHECK(history.redo_count() == 1);

  UndoHistory big;
  const std::string mb(1024 * 1024, 'x');
  for (int k = 0; k < 20; ++k) big.record(mb + std::to_string(k));
  CHECK(big.bytes() <= UndoHistory::max_bytes);
  CHECK(big.undo_count() < 20);
  REQUIRE(big.undo("now", out));
  CHECK(out == mb + "19");
  // Equal states (an edit that changed nothing) are skipped, and undo with nothing left changes nothing.
  UndoHistory same;
  same.record("a");
  same.record("b");
  same.record("b");
  REQUIRE(same.undo("b", out));
  CHECK(out == "a");
  CHECK_FALSE(same.undo("a", out));
  CHECK(same.redo_count() == 1);
}
