#include "throttle/replica_topology.h"

#include <algorithm>
#include <set>

#include "util/strings.h"

namespace shadowalter {
namespace {

bool Allowed(const std::vector<std::string>& allowed_hosts, const std::string& host) {
  return std::find(allowed_hosts.begin(), allowed_hosts.end(), host) != allowed_hosts.end();
}

// Whether servers[j] replicates from servers[i] as far as the run can tell.
bool ReplicatesFrom(const std::vector<TopologyServer>& servers, size_t j, size_t i) {
  if (j == i) return false;
  const auto& sources = servers[j].source_ids;
  if (!sources) return i == 0;  // unknown: taken to be the primary's
  return std::find(sources->begin(), sources->end(), servers[i].id) != sources->end();
}

}  // namespace

Status AccountForReaders(const std::vector<TopologyServer>& servers,
                         const std::vector<std::string>& allowed_hosts,
                         std::vector<std::string>& warnings) {
  std::vector<std::string> found;
  for (size_t i = 0; i < servers.size(); ++i) {
    if (!servers[i].reader_hosts) continue;
    const std::vector<std::string>& readers = *servers[i].reader_hosts;
    size_t placed = 0, placed_elsewhere = 0;  // elsewhere: not reached at an allowed host
    for (size_t j = 0; j < servers.size(); ++j) {
      if (!ReplicatesFrom(servers, j, i)) continue;
      ++placed;
      if (!Allowed(allowed_hosts, servers[j].host)) ++placed_elsewhere;
    }
    if (readers.size() <= placed) continue;
    std::set<std::string> allowed_seen;
    size_t from_elsewhere = 0;
    for (const std::string& host : readers) {
      if (Allowed(allowed_hosts, host)) {
        allowed_seen.insert(host);
      } else {
        ++from_elsewhere;
      }
    }
    if (from_elsewhere <= placed_elsewhere) {
      found.push_back(
          std::to_string(readers.size() - placed) + " binary log reader(s) on " + servers[i].name +
          " are not replicas shadowalter watches (from " +
          Join(std::vector<std::string>(allowed_seen.begin(), allowed_seen.end()), ", ") +
          ", allowed by --allow-binlog-client): their lag is not checked, and the "
          "copy does not wait for them");
      continue;
    }
    return RefusedError(
        servers[i].name + " has " + std::to_string(readers.size()) +
        " binary log reader(s) (from " + Join(readers, ", ") + ") but only " +
        std::to_string(placed) +
        " replica(s) of it could be found and reached, so their lag could not be watched; give "
        "each replica with --replica h=HOST,P=PORT, allow a reader that is no replica (a CDC "
        "tool, a binlog server) with --allow-binlog-client HOST, or copy without watching any "
        "with --recursion-method none");
  }
  warnings.insert(warnings.end(), found.begin(), found.end());
  return Status::Ok();
}

}  // namespace shadowalter
