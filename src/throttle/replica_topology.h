// Whether every binary log reader of the servers looked into is accounted for by a replica the
// run knows, so that discovery never fails open: a reader nobody can place may be a replica
// whose lag nobody watches. Pure: the servers' ids, sources and readers are read elsewhere.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace shadowalter {

// One server of the replication tree as the run sees it.
struct TopologyServer {
  std::string name;  // "the primary", or "replica host:port": for messages
  std::string id;    // @@server_id
  // The ids of the servers it replicates from (Master_Server_Id / Source_Server_Id of each
  // status row); nullopt when unknown (its status could not be read, or it was not reached).
  std::optional<std::vector<std::string>> source_ids;
  // The client host of each of its binary log dump threads; nullopt when not looked into (a
  // replica whose lag is deliberately not checked, or --recursion-method none).
  std::optional<std::vector<std::string>> reader_hosts;
};

// The readers of one server that no known server accounts for.
struct UnplacedReaders {
  size_t server = 0;  // index into the servers given
  size_t count = 0;   // readers minus the known servers that replicate from it
};

// servers[0] is the primary. A server's readers are accounted for by the other servers whose
// sources include its id; a server whose sources are unknown is taken to replicate from the
// primary, and so are `known_elsewhere` replicas known only by name (given, but not reached).
// Returns the servers with readers left over, in order.
std::vector<UnplacedReaders> FindUnplacedReaders(const std::vector<TopologyServer>& servers,
                                                 size_t known_elsewhere);

// Ok when every reader left over comes from a host in `allowed_hosts` (--allow-binlog-client:
// a CDC tool, a binlog server), adding one warning per such server to `warnings`; otherwise
// kRefused, naming the server, its readers' hosts and the options that place them.
Status AccountForReaders(const std::vector<TopologyServer>& servers,
                         const std::vector<UnplacedReaders>& unplaced,
                         const std::vector<std::string>& allowed_hosts,
                         std::vector<std::string>& warnings);

}  // namespace shadowalter
