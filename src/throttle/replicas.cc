#include "throttle/replicas.h"

#include <algorithm>
#include <set>

#include "cli/connect_params.h"
#include "cli/dsn.h"
#include "report/log.h"
#include "sql/replication_queries.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

std::string NameOf(const ConnectionConfig& c) {
  if (c.socket && !c.host) return *c.socket;
  return c.host.value_or("localhost") + ":" + std::to_string(c.port.value_or(3306));
}

// A replica's settings: its own fields, the primary's for the rest (not host, port or socket).
// `primary` carries --replica-user / --replica-password in place of the primary's own (see
// ReplicaDefaults).
ConnectionConfig WithPrimaryCredentials(ConnectionConfig replica, const ConnectionConfig& primary) {
  if (!replica.user) replica.user = primary.user;
  if (!replica.password) replica.password = primary.password;
  if (!replica.defaults_file) replica.defaults_file = primary.defaults_file;
  if (!replica.port && replica.host) replica.port = primary.port;
  replica.tls = primary.tls;  // one TLS policy for every server of the run
  return replica;
}

// What a replica's DSN leaves unset comes from: the primary's connection, with --replica-user
// and --replica-password in place of its credentials where given.
ConnectionConfig ReplicaDefaults(const Config& config) {
  ConnectionConfig defaults = config.conn;
  if (config.replica_user) defaults.user = config.replica_user;
  if (config.replica_password) defaults.password = config.replica_password;
  return defaults;
}

StatusOr<std::string> ServerId(Session& s) {
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(ServerIdQuery()));
  return rs.Scalar().value_or("");
}

std::string CellText(const std::optional<std::string>* cell) { return cell && *cell ? **cell : ""; }

// --recursion-method processlist: each host with a Binlog Dump thread on the primary (`dumps`),
// on the primary's port.
void AddProcesslistCandidates(const ResultSet& dumps, const ConnectionConfig& primary,
                              std::vector<ConnectionConfig>& candidates) {
  for (const auto& row : dumps.rows) {
    std::string host = row[0].value_or("");
    host = host.substr(0, host.rfind(':'));
    if (host.empty()) continue;
    ConnectionConfig c;
    c.host = host;
    candidates.push_back(WithPrimaryCredentials(c, primary));  // same port as the primary
  }
}

// --recursion-method hosts: each replica that registered its host and port with the primary
// (SHOW SLAVE HOSTS). Without the privilege to list them, a warning and no candidates.
void AddReplicaHostsCandidates(Session& primary, const ConnectionConfig& primary_conn,
                               std::vector<ConnectionConfig>& candidates) {
  StatusOr<ResultSet> hosts = primary.Query(ReplicaHostsQuery(primary.flavor()));
  if (!hosts.ok() && primary.flavor() == ServerFlavor::kMySQL) {
    hosts = primary.Query(LegacyReplicaHostsQuery());
  }
  if (!hosts.ok()) {
    LogWarning("replica discovery by hosts: " + hosts.status().message() +
               " (SHOW SLAVE HOSTS needs REPLICATION MASTER ADMIN on MariaDB 10.5 and later, "
               "REPLICATION SLAVE on MySQL)");
    return;
  }
  for (size_t i = 0; i < hosts->rows.size(); ++i) {
    const std::string host = CellText(hosts->Cell(i, "Host"));
    const std::string port = CellText(hosts->Cell(i, "Port"));
    if (host.empty() || port.empty()) continue;
    ConnectionConfig c;
    c.host = host;
    c.port = static_cast<unsigned>(std::stoul(port));
    candidates.push_back(WithPrimaryCredentials(c, primary_conn));
  }
}

// Connects to each candidate, keeping one session per server (by server id; never one of
// `excluded_ids`: the primary, replicas whose lag is not checked). The first `explicit_count` were
// given with --replica: one of them unreachable is refused, while an unreachable discovered one
// is only logged.
StatusOr<std::vector<Replica>> ConnectCandidates(const std::vector<ConnectionConfig>& candidates,
                                                 size_t explicit_count,
                                                 std::set<std::string> excluded_ids) {
  std::vector<Replica> out;
  std::set<std::string>& seen = excluded_ids;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const std::string name = NameOf(candidates[i]);
    StatusOr<std::unique_ptr<Session>> s = ConnectReplica(candidates[i]);
    if (!s.ok()) {
      if (i < explicit_count) {
        return RefusedError("cannot reach replica " + name +
                            " given with --replica: " + s.status().message());
      }
      LogDebug("discovered replica candidate " + name + " is unreachable: " + s.status().message());
      continue;
    }
    StatusOr<std::string> id = ServerId(**s);
    if (!id.ok() || !seen.insert(*id).second) continue;  // the primary itself, or seen already
    out.push_back(Replica{name, candidates[i], std::move(s).value()});
  }
  return out;
}

// Names the replicas watched, each with whether its connection is encrypted.
void LogWatched(const std::vector<Replica>& replicas) {
  std::vector<std::string> names;
  for (const Replica& r : replicas) {
    names.push_back(r.name + (r.session->tls_cipher().empty()
                                  ? " (not encrypted)"
                                  : " (TLS " + r.session->tls_cipher() + ")"));
  }
  LogInfo(replicas.empty() ? std::string("no replicas to watch")
                           : "watching replica lag on " + Join(names, ", "));
}

// The host part of each Binlog Dump connection's "host:port".
std::vector<std::string> DumpHosts(const ResultSet& dumps) {
  std::vector<std::string> hosts;
  for (const auto& row : dumps.rows) {
    std::string host = row[0].value_or("");
    hosts.push_back(host.substr(0, host.rfind(':')));
  }
  return hosts;
}

// The primary has more binary log readers than replicas found (`placed`): each one left over
// may be a replica whose lag nobody would watch, so the run is refused, unless the readers from
// hosts given with --allow-binlog-client (a CDC tool, a binlog server: not replicas) are enough
// to account for them; those are then named in a warning.
Status AllowUnwatchedBinlogClients(const ResultSet& dumps, size_t placed, const Config& config) {
  const std::vector<std::string> hosts = DumpHosts(dumps);
  const size_t unplaced = hosts.size() - placed;
  std::set<std::string> allowed_seen;
  size_t allowed = 0;
  for (const std::string& host : hosts) {
    if (std::find(config.allowed_binlog_clients.begin(), config.allowed_binlog_clients.end(),
                  host) != config.allowed_binlog_clients.end()) {
      ++allowed;
      allowed_seen.insert(host);
    }
  }
  if (allowed >= unplaced) {
    LogWarning(std::to_string(unplaced) + " binary log reader(s) on the primary are not replicas " +
               "shadowalter watches (from " +
               Join(std::vector<std::string>(allowed_seen.begin(), allowed_seen.end()), ", ") +
               ", allowed by --allow-binlog-client): their lag is not checked, and the copy " +
               "does not wait for them");
    return Status::Ok();
  }
  return RefusedError(
      "the primary has " + std::to_string(hosts.size()) + " binary log reader(s) (from " +
      Join(hosts, ", ") + ") but only " + std::to_string(placed) +
      " replica(s) could be found and reached, so their lag could not be watched; give each "
      "replica with --replica h=HOST,P=PORT, allow a reader that is no replica (a CDC tool, a "
      "binlog server) with --allow-binlog-client HOST, or copy without watching any with "
      "--recursion-method none");
}

}  // namespace

StatusOr<std::unique_ptr<Session>> ConnectReplica(const ConnectionConfig& where) {
  ConnectParams p = ConnectParamsFor(where);
  // No default database: lag is read with SHOW statements, and a replica that filters the
  // schema out (or names it differently) must still be reachable.
  p.database.clear();
  p.connect_timeout_seconds = 5;
  return Session::Connect(p);
}

StatusOr<std::vector<Replica>> FindReplicas(Session& primary, const Config& config) {
  const bool discover = config.recursion_method != "none";
  const ConnectionConfig defaults = ReplicaDefaults(config);
  std::vector<ConnectionConfig> candidates;
  for (const ConnectionConfig& r : config.replicas) {
    candidates.push_back(WithPrimaryCredentials(r, defaults));
  }
  const size_t explicit_count = candidates.size();

  SA_ASSIGN_OR_RETURN(ResultSet dumps, primary.Query(BinlogDumpHostsQuery()));
  if (discover && config.recursion_method.find("processlist") != std::string::npos) {
    AddProcesslistCandidates(dumps, defaults, candidates);
  }
  if (discover && config.recursion_method.find("hosts") != std::string::npos) {
    AddReplicaHostsCandidates(primary, defaults, candidates);
  }

  // --skip-check-replica-lag: a replica neither watched nor waited for, but counted as found: it
  // is known and deliberately left alone. Recognised by its server id where it can be reached
  // (whatever name discovery gives it), else by host:port (the port the primary's when left out).
  SA_ASSIGN_OR_RETURN(std::string primary_id, ServerId(primary));
  std::set<std::string> skipped_ids;
  std::set<std::string> skipped_names;
  size_t skipped_found = 0;
  for (const ConnectionConfig& r : config.lag_unchecked) {
    const ConnectionConfig where = WithPrimaryCredentials(r, defaults);
    const std::string name = NameOf(where);
    skipped_names.insert(name);
    StatusOr<std::unique_ptr<Session>> s = ConnectReplica(where);
    StatusOr<std::string> id = s.ok() ? ServerId(**s) : StatusOr<std::string>(s.status());
    const bool named = std::any_of(candidates.begin(), candidates.end(),
                                   [&](const ConnectionConfig& c) { return NameOf(c) == name; });
    if (id.ok() && *id == primary_id) {
      LogWarning("--skip-check-replica-lag " + name + " names the primary, not a replica");
      continue;
    }
    if (id.ok() && !id->empty()) skipped_ids.insert(*id);
    if ((id.ok() && !id->empty()) || named) {
      ++skipped_found;
      LogInfo("not watching the lag of replica " + name + " (--skip-check-replica-lag)");
    } else {
      LogWarning("--skip-check-replica-lag " + name + ": no such replica was found or reached (" +
                 (s.ok() ? std::string("its server id is unknown") : s.status().message()) + ")");
    }
  }
  std::vector<ConnectionConfig> watched;
  size_t explicit_watched = 0;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (skipped_names.count(NameOf(candidates[i])) != 0) continue;
    if (i < explicit_count) ++explicit_watched;
    watched.push_back(candidates[i]);
  }

  skipped_ids.insert(primary_id);
  SA_ASSIGN_OR_RETURN(std::vector<Replica> out,
                      ConnectCandidates(watched, explicit_watched, skipped_ids));
  if (discover && out.size() + skipped_found < dumps.rows.size()) {
    SA_RETURN_IF_ERROR(AllowUnwatchedBinlogClients(dumps, out.size() + skipped_found, config));
  }
  LogWatched(out);
  return out;
}

ReplicaLag ReadReplicaLag(Replica& replica) {
  if (!replica.session) {
    StatusOr<std::unique_ptr<Session>> s = ConnectReplica(replica.where);
    if (!s.ok()) return {std::nullopt, "unreachable (" + s.status().message() + ")"};
    replica.session = std::move(s).value();
  }
  Session& s = *replica.session;
  const bool maria = s.flavor() == ServerFlavor::kMariaDB;
  StatusOr<ResultSet> rs = s.Query(ReplicationStatusQuery(s.flavor()));
  if (!rs.ok() && !maria) rs = s.Query(LegacyReplicationStatusQuery());
  if (!rs.ok()) {
    if (rs.status().code() == Code::kConnection) replica.session.reset();
    return {std::nullopt, "cannot read its status (" + rs.status().message() + ")"};
  }
  return LagFromStatus(*rs);
}

ReplicaLag LagFromStatus(const ResultSet& rs) {
  if (rs.empty()) return {std::nullopt, "is not replicating"};
  double worst = 0;
  for (size_t i = 0; i < rs.rows.size(); ++i) {
    const auto sql = rs.Cell(i, "Slave_SQL_Running", "Replica_SQL_Running");
    const auto io = rs.Cell(i, "Slave_IO_Running", "Replica_IO_Running");
    const auto lag = rs.Cell(i, "Seconds_Behind_Master", "Seconds_Behind_Source");
    if (!sql || !*sql || **sql != "Yes") return {std::nullopt, "has its SQL thread stopped"};
    if (!io || !*io || **io != "Yes") return {std::nullopt, "has its IO thread stopped"};
    if (!lag || !*lag) return {std::nullopt, "reports no lag (NULL)"};
    worst = std::max(worst, std::stod(**lag));
  }
  return {worst, ""};
}

}  // namespace shadowalter
