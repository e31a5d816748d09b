// The replicas whose lag holds the copy back: given with --replica, found by discovery, and
// checked so that discovery never fails open (a connected replica nobody watches is refused).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/config.h"
#include "db/session.h"
#include "util/status.h"

namespace shadowalter {

struct Replica {
  std::string name;                  // host:port, for logs
  ConnectionConfig where;            // credentials filled in from the primary's
  std::unique_ptr<Session> session;  // null while unreachable
  std::string server_id;             // @@server_id, as found when it was first reached
};

// Connects to every replica to watch: those given (--replica, the --recursion-method dsn= table),
// and, unless --recursion-method none, those discovery finds on the primary and, in turn, on
// every replica reached (replicas of replicas, at any depth). Refused (kRefused, naming the
// --replica to give) when a given replica can't be reached, or when a server looked into has
// more binary log readers (Binlog Dump threads) than known replicas replicating from it (by
// their Master_Server_Id), unless the readers from --allow-binlog-client hosts account for the
// difference (then a warning). Refused too when a replica's account can't see other sessions
// (no PROCESS), since replicas of it would go unseen. Replicas named by --skip-check-replica-lag
// are left out, and not looked into, but count as placed.
StatusOr<std::vector<Replica>> FindReplicas(Session& primary, const Config& config);

// A replica's lag in seconds; nullopt when it is stopped, broken or not replicating at all
// (then it counts as infinitely behind: the copy waits). `why` says which.
struct ReplicaLag {
  std::optional<double> seconds;
  std::string why;  // set when seconds is nullopt
};
ReplicaLag ReadReplicaLag(Replica& replica);

// The lag that a replica's status rows report: SHOW ALL SLAVES STATUS (MariaDB; one row per
// source), SHOW REPLICA STATUS (MySQL 8.0.22+: Replica_*_Running, Seconds_Behind_Source) or SHOW
// SLAVE STATUS (older MySQL: Slave_*_Running, Seconds_Behind_Master). Columns are found by name.
// The worst source counts; no row, a stopped thread or a NULL lag is nullopt with the reason.
ReplicaLag LagFromStatus(const ResultSet& status);

// Opens a session to a replica with the primary's credentials for the fields it leaves unset.
StatusOr<std::unique_ptr<Session>> ConnectReplica(const ConnectionConfig& where);

}  // namespace shadowalter
