#include "throttle/replica_topology.h"

#include <algorithm>
#include <set>

#include "util/strings.h"

namespace shadowalter {

std::vector<UnplacedReaders> FindUnplacedReaders(const std::vector<TopologyServer>& servers,
                                                 size_t known_elsewhere) {
  std::vector<UnplacedReaders> out;
  for (size_t i = 0; i < servers.size(); ++i) {
    if (!servers[i].reader_hosts) continue;
    size_t placed = i == 0 ? known_elsewhere : 0;
    for (size_t j = 0; j < servers.size(); ++j) {
      if (j == i) continue;
      const auto& sources = servers[j].source_ids;
      if (!sources) {
        if (i == 0) ++placed;
        continue;
      }
      if (std::find(sources->begin(), sources->end(), servers[i].id) != sources->end()) ++placed;
    }
    const size_t readers = servers[i].reader_hosts->size();
    if (readers > placed) out.push_back({i, readers - placed});
  }
  return out;
}

Status AccountForReaders(const std::vector<TopologyServer>& servers,
                         const std::vector<UnplacedReaders>& unplaced,
                         const std::vector<std::string>& allowed_hosts,
                         std::vector<std::string>& warnings) {
  std::vector<std::string> found;
  for (const UnplacedReaders& u : unplaced) {
    const TopologyServer& server = servers[u.server];
    const std::vector<std::string>& hosts = *server.reader_hosts;
    std::set<std::string> allowed_seen;
    size_t allowed = 0;
    for (const std::string& host : hosts) {
      if (std::find(allowed_hosts.begin(), allowed_hosts.end(), host) != allowed_hosts.end()) {
        ++allowed;
        allowed_seen.insert(host);
      }
    }
    if (allowed >= u.count) {
      found.push_back(
          std::to_string(u.count) + " binary log reader(s) on " + server.name +
          " are not replicas shadowalter watches (from " +
          Join(std::vector<std::string>(allowed_seen.begin(), allowed_seen.end()), ", ") +
          ", allowed by --allow-binlog-client): their lag is not checked, and the "
          "copy does not wait for them");
      continue;
    }
    return RefusedError(
        server.name + " has " + std::to_string(hosts.size()) + " binary log reader(s) (from " +
        Join(hosts, ", ") + ") but only " + std::to_string(hosts.size() - u.count) +
        " replica(s) of it could be found and reached, so their lag could not be watched; give "
        "each replica with --replica h=HOST,P=PORT, allow a reader that is no replica (a CDC "
        "tool, a binlog server) with --allow-binlog-client HOST, or copy without watching any "
        "with --recursion-method none");
  }
  warnings.insert(warnings.end(), found.begin(), found.end());
  return Status::Ok();
}

}  // namespace shadowalter
