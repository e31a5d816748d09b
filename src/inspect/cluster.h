// Whether the server is a Galera Cluster node (MariaDB's wsrep), and the cluster's state as that
// node sees it: what the preflight judges (check/cluster_checks.h), the cut-over picks its way
// by (migration/cutover.h), and the copy sizes its transactions within. Read-only.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "db/session.h"
#include "util/status.h"

namespace shadowalter {

struct GaleraNode {
  bool wsrep_on = false;       // false: not a cluster node (or a server without wsrep)
  std::string osu_method;      // this session's wsrep_OSU_method: TOI, RSU (or NBO)
  std::string cluster_status;  // Primary, non-Primary, Disconnected
  std::string local_state;     // Synced, Donor/Desynced, Joining, ...
  unsigned cluster_size = 0;
  std::vector<std::string> nodes;  // wsrep_incoming_addresses: each node's host:port for clients
  uint64_t max_ws_rows = 0;        // wsrep_max_ws_rows: 0 for no limit
  uint64_t max_ws_size = 0;        // wsrep_max_ws_size, bytes
};

// The node's wsrep settings and state. A server without wsrep variables (MySQL, or a MariaDB
// built without them) is a node with wsrep_on false.
StatusOr<GaleraNode> InspectGalera(Session& s);

// The node's wsrep status variables that GaleraStatusQuery reads, as numbers (name -> value; 0
// when not a number), in one round trip.
StatusOr<std::map<std::string, uint64_t>> GaleraCounters(Session& s);

}  // namespace shadowalter
