// ModelContext's own members. See model.hpp.
#include "engine/run/model.hpp"

namespace pg {

namespace {
constexpr size_t log_entries_max = 512;
}

const std::string& ModelContext::caller_name(uint32_t service_id) const {
  static const std::string client("client");
  return service_id == no_id ? client : service_name(service_id);
}

void ModelContext::log(std::string text) {
  ++log_total;
  if (log_entries.size() >= log_entries_max) log_entries.erase(log_entries.begin());
  log_entries.push_back({kernel.now_ns, std::move(text)});
}

}  // namespace pg
