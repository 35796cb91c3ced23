// The scenario panel: the built-in library (every embedded scenarios/*.json, with its description), the editable
// parameters of the loaded scenario (seed, duration, workload rate, per service instances/workers/waiting line/
// timeout/balancer/retries) with their ranges in tooltips, and the list of recorded interventions.
// Edits go to a pending copy of the scenario that App::frame applies once no widget is held: the run is rebuilt
// from the edited scenario and replayed to the current time.
#include <algorithm>
#include <cstdio>

#include <imgui.h>

#include "engine/world.hpp"
#include "web/app.hpp"
#include "web/library.hpp"

namespace pgweb {

namespace {

void section_header(const char* text) {
  ImGui::Spacing();
  ImGui::TextDisabled("%s", text);
  ImGui::Separator();
}

// The tooltip of the last widget; a parameter an exercise locks says so first (disabled widgets still get it).
void help_marker(const char* text, bool locked = false) {
  if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 24);
  if (locked) ImGui::TextColored(ImVec4(0.93f, 0.62f, 0.36f, 1.0f), "\u25A0 locked by the exercise");
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

const char* balancer_names[] = {"round_robin", "random", "least_connections", "power_of_two", "key_hash"};

const char* fault_kind_name(pg::FaultKind kind) {
  switch (kind) {
    case pg::FaultKind::crash: return "crash";
    case pg::FaultKind::pause: return "pause";
    case pg::FaultKind::slow: return "slow";
    case pg::FaultKind::partition: return "partition";
    case pg::FaultKind::clock_drift: return "clock drift";
    case pg::FaultKind::add_node: return "add node";
    case pg::FaultKind::remove_node: return "remove node";
    case pg::FaultKind::set: return "set";
  }
  return "?";
}

}  // namespace

std::string describe_fault(const pg::FaultSpec& f);

std::string describe_fault(const pg::FaultSpec& f) {
  char text[256];
  const std::string what = f.kind == pg::FaultKind::set ? f.path : f.target;
  if (f.kind == pg::FaultKind::set) std::snprintf(text, sizeof text, "%.3f s  set %s = %g", f.at_s, what.c_str(), f.value);
  else if (f.kind == pg::FaultKind::slow)
    std::snprintf(text, sizeof text, "%.3f s  slow %s \u00d7%g%s", f.at_s, what.c_str(), f.factor,
                  f.for_ms > 0 ? (" for " + format_seconds(f.for_ms / 1000)).c_str() : "");
  else
    std::snprintf(text, sizeof text, "%.3f s  %s %s%s", f.at_s, fault_kind_name(f.kind), what.c_str(),
                  f.for_ms > 0 ? (" for " + format_seconds(f.for_ms / 1000)).c_str() : "");
  return text;
}

void App::draw_scenario_panel() {
  section_header("SCENARIOS");
  const std::vector<LibraryEntry>& library = scenario_library();
  const float list_height = std::min(ImGui::GetTextLineHeightWithSpacing() * (float)(library.size() + 1) + 8,
                                     ImGui::GetContentRegionAvail().y * 0.3f);
  if (ImGui::BeginChild("library", ImVec2(0, list_height), false)) {
    std::string group;
    for (size_t i = 0; i < library.size(); ++i) {
      const LibraryEntry& entry = library[i];
      if (!entry.group.empty() && entry.group != group) {
        group = entry.group;
        ImGui::TextDisabled("%s", group.c_str());
      }
      ImGui::PushID((int)i);
      ImGui::BeginDisabled(!entry.valid);
      if (ImGui::Selectable(entry.name.c_str(), (int)i == library_index_)) load_builtin(i);
      ImGui::EndDisabled();
      if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 26);
        ImGui::TextUnformatted(entry.valid ? entry.description.c_str() : ("Not loadable: " + entry.error).c_str());
        if (!entry.file.empty()) ImGui::TextDisabled("scenarios/%s", entry.file.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
      ImGui::PopID();
    }
  }
  ImGui::EndChild();

  // The loaded scenario: name and what to look at.
  ImGui::Spacing();
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(scenario_.name.c_str());
  if (!scenario_.description.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextUnformatted(scenario_.description.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::PopTextWrapPos();

  draw_interventions_list();
  draw_parameters();
}

void App::draw_parameters() {
  section_header("PARAMETERS");
  pg::Scenario edit = pending_edit_ ? *pending_edit_ : scenario_;
  bool changed = false;
  const float label_room = ImGui::GetFontSize() * 7.5f;
  // With an exercise loaded, only the parameters it allows stay editable; the others are shown, disabled.
  bool locked = false;
  auto lock = [&](const std::string& path) {
    locked = param_locked(path);
    ImGui::BeginDisabled(locked);
  };
  auto unlock = [&](const char* help) {
    ImGui::EndDisabled();
    help_marker(help, locked);
  };
  ImGui::PushItemWidth(std::max(ImGui::GetContentRegionAvail().x - label_room, ImGui::GetFontSize() * 6));

  lock("/seed");
  changed |= ImGui::InputScalar("Seed", ImGuiDataType_U64, &edit.seed, nullptr, nullptr, "%llu",
                                ImGuiInputTextFlags_EnterReturnsTrue);
  unlock("One number owns all randomness: the same seed gives the same run, in the browser and the CLI.");
  float duration = (float)edit.duration_s;
  lock("/duration_s");
  if (ImGui::DragFloat("Duration (s)", &duration, 1.0f, 1.0f, (float)pg::limits::duration_s_max, "%.0f",
                       ImGuiSliderFlags_AlwaysClamp)) {
    edit.duration_s = (double)duration;
    changed = true;
  }
  unlock("Simulated seconds, 1 to 3600.");
  float rate = (float)edit.workload.rate_per_s;
  lock("/workload/arrivals/rate_per_s");
  if (ImGui::DragFloat("Rate (req/s)", &rate, std::max(1.0f, rate * 0.01f), 0.0f, (float)pg::limits::rate_per_s_max,
                       "%.0f", ImGuiSliderFlags_AlwaysClamp)) {
    edit.workload.rate_per_s = (double)rate;
    changed = true;
  }
  unlock("Arrivals per second at the start of the run, 0 to 200000 (the schedule may change it later). "
         "To change it in the middle of a run, use \"Set rate now\" below.");

  for (size_t s = 0; s < edit.services.size(); ++s) {
    pg::ServiceSpec& service = edit.services[s];
    ImGui::PushID((int)s);
    const std::string base = "/services/" + service.name + "/";
    if (ImGui::CollapsingHeader(service.name.c_str(), s == 0 ? ImGuiTreeNodeFlags_DefaultOpen : 0)) {
      lock(base + "instances");
      changed |= ImGui::SliderInt("Instances", &service.instances, 1, pg::limits::instances_max, "%d",
                                  ImGuiSliderFlags_AlwaysClamp);
      unlock("Copies of the service behind its balancer, 1 to 64.");
      lock(base + "workers");
      changed |= ImGui::DragInt("Workers", &service.workers, 0.2f, 1, pg::limits::workers_max, "%d",
                                ImGuiSliderFlags_AlwaysClamp);
      unlock("Requests one instance serves at the same time (threads), 1 to 1024.");
      lock(base + "queue_max");
      changed |= ImGui::DragInt("Line max", &service.queue_max, 1.0f, 0, pg::limits::queue_max_max, "%d",
                                ImGuiSliderFlags_AlwaysClamp);
      unlock("Waiting line per instance, 0 to 1000000: a request arriving at a full line is rejected at once.");
      lock(base + "timeout_ms");
      float timeout = (float)service.timeout_ms;
      if (ImGui::DragFloat("Timeout (ms)", &timeout, 5.0f, 0.0f, 60000.0f, timeout == 0 ? "none" : "%.0f",
                           ImGuiSliderFlags_AlwaysClamp)) {
        service.timeout_ms = (double)timeout;
        changed = true;
      }
      unlock("Per call attempt; 0 = wait forever. The callee keeps working after its caller gave up.");
      lock(base + "balancer");
      int balancer = (int)service.balancer;
      if (ImGui::Combo("Balancer", &balancer, balancer_names, IM_ARRAYSIZE(balancer_names))) {
        service.balancer = (pg::Balancer)balancer;
        changed = true;
      }
      unlock("How a call picks an instance: round robin, random, least connections, the better of two random "
             "choices, or a hash of the request's key.");
      lock(base + "retries/max");
      changed |= ImGui::SliderInt("Retries", &service.retries.max, 0, 10, "%d", ImGuiSliderFlags_AlwaysClamp);
      unlock("Attempts after the first, 0 to 10, with exponential backoff and jitter.");
    }
    ImGui::PopID();
  }
  ImGui::PopItemWidth();
  if (changed) pending_edit_ = std::make_unique<pg::Scenario>(edit);
  ImGui::TextDisabled("Changes replay the run from zero to now.");
}

void App::draw_interventions_list() {
  section_header("INTERVENTIONS");
  // Set the arrival rate from now on: a timed "set" intervention.
  if (rate_now_ < 0) rate_now_ = simulation_ ? (float)simulation_->world().rate_per_s : 0;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
  ImGui::DragFloat("##rate_now", &rate_now_, std::max(1.0f, rate_now_ * 0.01f), 0.0f,
                   (float)pg::limits::rate_per_s_max, "%.0f /s", ImGuiSliderFlags_AlwaysClamp);
  ImGui::SameLine();
  const bool interventions_locked = param_locked("/interventions");
  ImGui::BeginDisabled(!simulation_ || interventions_locked);
  if (ImGui::Button("Set rate now")) {
    pg::FaultSpec fault;
    fault.kind = pg::FaultKind::set;
    fault.path = "/workload/rate_per_s";
    fault.value = (double)rate_now_;
    intervene(fault);
  }
  remember_rect("set_rate");
  ImGui::EndDisabled();
  help_marker("Changes the arrival rate at the current simulated time (recorded, so the link replays it).",
              interventions_locked);

  if (scenario_.interventions.empty()) {
    ImGui::TextDisabled("None yet: crash, pause or slow an instance in the Inspector.");
    return;
  }
  int remove = -1;
  for (size_t i = 0; i < scenario_.interventions.size(); ++i) {
    ImGui::PushID((int)i);
    if (ImGui::SmallButton("\u2715")) remove = (int)i;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Remove this intervention (the run is replayed without it)");
    ImGui::SameLine();
    ImGui::TextUnformatted(describe_fault(scenario_.interventions[i]).c_str());
    ImGui::PopID();
  }
  if (remove >= 0) {
    pg::Scenario edit = scenario_;
    edit.interventions.erase(edit.interventions.begin() + remove);
    apply_scenario(edit);
  }
}

}  // namespace pgweb
