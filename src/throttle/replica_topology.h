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
  std::string id;    // @@server_id; "" when it could not be reached
  std::string host;  // the host it was reached at (or named by); "" for the primary
  // The ids of the servers it replicates from with its IO thread running, i.e. through a binary
  // log reader there (Master_Server_Id / Source_Server_Id of each status row); nullopt when
  // unknown (its status could not be read, or it was not reached).
  std::optional<std::vector<std::string>> source_ids;
  // The client host of each of its binary log dump threads; nullopt when not looked into
  // (--recursion-method none).
  std::optional<std::vector<std::string>> reader_hosts;
};

// servers[0] is the primary. Each server's readers must be accounted for by the other servers
// whose sources include its id; a server whose sources are unknown is taken to replicate from
// the primary. Readers left over are allowed only when they come from hosts in `allowed_hosts`
// (--allow-binlog-client: a CDC tool, a binlog server), and only as far as the known replicas
// not reached at an allowed host account for every reader from elsewhere (so an allowed reader
// never stands in for a replica on another host); then one warning per server goes to
// `warnings`. Otherwise kRefused, naming the server, its readers' hosts and the options that
// place them.
Status AccountForReaders(const std::vector<TopologyServer>& servers,
                         const std::vector<std::string>& allowed_hosts,
                         std::vector<std::string>& warnings);

}  // namespace shadowalter
