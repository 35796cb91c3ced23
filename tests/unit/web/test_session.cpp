// The page's session (web/session.hpp), natively: what the page does to a scenario and its run, without a browser.
// Loading keeps the previous scenario when the text is bad; an intervention recorded mid-run goes into the share
// link, and opening that link in another session replays the same run (same trace hash); an invalid edit is
// refused and a cancelled one undone; the CSV has a row per sample; the page's storage hook sees each commit.
#include <string>
#include <vector>

#include "engine/run/world.hpp"
#include "tests/unit/test_support.hpp"
#include "web/session.hpp"

using namespace pg;
using pgweb::Session;
using pgweb::SessionHooks;

namespace {

constexpr const char* scenario_file = "scenarios/shop-spike.json";
constexpr const char* page = "http://127.0.0.1:8080/";

// Works on the running job until it ends, as frames would.
void finish_jobs(Session& session) {
  for (int slices = 0; session.busy(); ++slices) {
    session.slice(0.050);
    REQUIRE(slices < 100'000);
  }
}

std::string direct_hash(const Scenario& scenario) {
  Simulation direct(scenario);
  direct.run_until(direct.end_ns());
  return direct.trace_hash_hex();
}

}  // namespace

TEST_CASE("a loaded scenario runs to the end in jobs with the CLI's trace hash", "[session]") {
  std::vector<std::string> saved;
  SessionHooks hooks;
  hooks.save = [&](const std::string& json_text) { saved.push_back(json_text); };
  Session session(hooks);
  const std::string text = test::read_text(scenario_file);
  REQUIRE(session.load_scenario_text(text, scenario_file).empty());
  CHECK_FALSE(session.message_is_error());
  REQUIRE(saved.size() == 1);
  CHECK(saved.back() == scenario_to_text(test::parse_or_fail(text), -1));   // what a reload restores
  CHECK(session.cost().events > 0);

  REQUIRE(session.run_to_end() != 0);
  finish_jobs(session);
  REQUIRE(session.sim()->finished());
  CHECK(session.trace_hash_hex() == direct_hash(test::load(scenario_file)));

  // One CSV row per sample, after the header; every row has as many cells as the header.
  const std::string csv = session.metrics_csv();
  std::vector<std::string> rows;
  for (size_t start = 0, end; (end = csv.find('\n', start)) != std::string::npos; start = end + 1)
    rows.push_back(csv.substr(start, end - start));
  REQUIRE(rows.size() == session.sim()->world().time_axis.size() + 1);
  const auto cells = [](const std::string& row) { return std::count(row.begin(), row.end(), ',') + 1; };
  for (const std::string& row : rows) CHECK(cells(row) == cells(rows.front()));
}

TEST_CASE("a bad file or link is refused and the scenario kept", "[session]") {
  Session session;
  REQUIRE(session.load_scenario_text(test::read_text(scenario_file), "file").empty());
  const std::string before = session.scenario_json();

  std::vector<std::string> errors = session.load_scenario_text(R"({"version":1,"services":[{"name":"a","workres":2}]})", "bad.json");
  REQUIRE_FALSE(errors.empty());
  CHECK(session.message_is_error());
  CHECK(session.message().find("You still have \"A small shop under a traffic spike\"") != std::string::npos);
  CHECK(session.message_detail().find("workres") != std::string::npos);   // the technical reason, on its own
  CHECK(session.scenario_json() == before);
  REQUIRE(session.sim() != nullptr);

  // Not JSON at all: the message says so (what to do), the parser's words are the details.
  REQUIRE_FALSE(session.load_scenario_text("{\"version\": 1, \"name\": ", "cut.json").empty());
  CHECK(session.message_headline().find("cut.json is not a scenario file") == 0);
  CHECK(session.message_detail().find("not valid JSON") != std::string::npos);

  // A link cut short: what happened and what to do first, then "Details: " and the decoder's reason.
  errors = session.open_link(std::string(page) + "#s=1.not-a-real-payload");
  REQUIRE_FALSE(errors.empty());
  CHECK(session.scenario_json() == before);
  CHECK(session.message_headline().find("This link is damaged or was cut off when copied.") == 0);
  CHECK(session.message().find("\nDetails: " + session.message_detail()) != std::string::npos);
}

TEST_CASE("an intervention goes into the link, and the link replays the same run elsewhere", "[session]") {
  Session sender;
  REQUIRE(sender.load_scenario_text(test::read_text(scenario_file), "file").empty());
  REQUIRE(sender.seek(25.0) != 0);
  finish_jobs(sender);
  REQUIRE(sender.clock_s() == Approx(25.0));
  REQUIRE(sender.intervene_json(R"({"kind":"crash","target":"order#0"})").empty());
  finish_jobs(sender);
  REQUIRE(sender.scenario().interventions.size() == 1);
  CHECK(sender.scenario().interventions[0].at_s == 25.0);
  CHECK(sender.clock_s() == Approx(25.0));   // replayed to now, not further
  CHECK(sender.message().find("Intervention at 25.0 s recorded") != std::string::npos);

  const std::string link = sender.link(page);
  REQUIRE(link.rfind(page, 0) == 0);
  REQUIRE(link.find("#s=1.") != std::string::npos);

  Session receiver;
  REQUIRE(receiver.open_link(link).empty());
  finish_jobs(receiver);
  CHECK(receiver.clock_s() == Approx(25.0));   // paused at the last intervention, as the sender saw it
  CHECK(receiver.scenario_json() == sender.scenario_json());
  CHECK(receiver.trace_hash_hex() == sender.trace_hash_hex());

  REQUIRE(sender.run_to_end() != 0);
  REQUIRE(receiver.run_to_end() != 0);
  finish_jobs(sender);
  finish_jobs(receiver);
  CHECK(receiver.trace_hash_hex() == sender.trace_hash_hex());
  // The crash changed the run: without it the hash differs.
  CHECK(sender.trace_hash_hex() != direct_hash(test::load(scenario_file)));
}

TEST_CASE("an invalid edit is refused; a cancelled edit is undone", "[session]") {
  // A wall clock that jumps a second at every look: each slice stops at its first look (1024 events), so the replay
  // after the edit is certainly still running when it is cancelled.
  double wall_s = 0;
  Session session({}, [&] { return wall_s += 1.0; });
  REQUIRE(session.load_scenario_text(test::read_text(scenario_file), "file").empty());
  REQUIRE(session.seek(10.0) != 0);
  finish_jobs(session);
  const std::string before = session.scenario_json();
  const std::string hash_before = session.trace_hash_hex();

  Scenario bad = session.scenario();
  bad.services[0].workers = 0;
  REQUIRE_FALSE(session.apply_scenario(bad).empty());
  CHECK(session.message_is_error());
  CHECK(session.scenario_json() == before);

  // The edit is shown in the scenario at once, the previous run stays shown while the new one replays to 10 s.
  Scenario more = session.scenario();
  more.workload.rate_per_s *= 2;
  REQUIRE(session.apply_scenario(more).empty());
  REQUIRE(session.busy());
  CHECK(session.job_status().staged);
  CHECK(session.scenario().workload.rate_per_s == more.workload.rate_per_s);
  CHECK(session.trace_hash_hex() == hash_before);
  session.cancel();
  CHECK_FALSE(session.busy());
  CHECK(session.scenario_json() == before);
  CHECK(session.trace_hash_hex() == hash_before);
  CHECK(session.clock_s() == Approx(10.0));

  // Not cancelled, it lands: the new scenario, replayed to the same time.
  REQUIRE(session.apply_scenario(more).empty());
  finish_jobs(session);
  CHECK(session.scenario().workload.rate_per_s == more.workload.rate_per_s);
  CHECK(session.clock_s() == Approx(10.0));
  CHECK(session.trace_hash_hex() != hash_before);
}

TEST_CASE("Check over several seeds runs the next seeds in slices and keeps their reports", "[session]") {
  int check_ended = 0;
  SessionHooks hooks;
  hooks.check_ended = [&] { ++check_ended; };
  Session session(hooks);
  const std::string text = test::read_text("scenarios/services-retry-storm.json");
  REQUIRE(session.load_scenario_text(text, "retry-storm").empty());
  const Scenario scenario = session.scenario();

  REQUIRE(session.check(3) != 0);
  finish_jobs(session);
  REQUIRE(session.sim()->finished());
  CHECK(session.check_seeds() == 3);
  REQUIRE(session.seed_reports().size() == 2);
  CHECK(session.seed_runs_complete());
  CHECK(check_ended >= 2);   // the shown run's end, then the last seed's
  // Each kept report is what a run of the scenario under that seed reports (the CLI's check --seeds runs these).
  for (uint64_t k = 1; k <= 2; ++k) {
    Scenario other = scenario;
    other.seed = scenario.seed + k;
    Simulation direct(other);
    direct.run_to_end();
    CHECK(session.seed_reports()[k - 1] == direct.report());
  }
  CHECK(session.seed_reports()[0] != session.sim()->report());   // another seed, another run

  // Cancel while a later seed runs: no verdict, nothing left running.
  REQUIRE(session.check(3) != 0);
  for (int slices = 0; session.busy() && session.seed_reports().empty(); ++slices) {
    session.slice(0.002);
    REQUIRE(slices < 100'000);
  }
  if (session.busy()) {
    session.cancel();
    CHECK_FALSE(session.busy());
    CHECK_FALSE(session.seed_runs_complete());
  }
  // Another run shown (a reset) forgets the seeds' reports.
  REQUIRE(session.check(2) != 0);
  finish_jobs(session);
  REQUIRE(session.seed_runs_complete());
  session.reset();
  CHECK(session.seed_reports().empty());
  CHECK(session.check_seeds() == 1);
}
