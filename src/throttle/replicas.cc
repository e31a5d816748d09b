#include "throttle/replicas.h"

#include <algorithm>
#include <set>

#include "cli/connect_params.h"
#include "cli/dsn.h"
#include "report/log.h"
#include "sql/replication_queries.h"
#include "throttle/replica_topology.h"
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

// --recursion-method processlist: each host with a Binlog Dump thread on a server (`dumps`), on
// that server's port (`parent`: its connection, carrying the credentials for replicas).
void AddProcesslistCandidates(const ResultSet& dumps, const ConnectionConfig& parent,
                              std::vector<ConnectionConfig>& candidates) {
  for (const auto& row : dumps.rows) {
    std::string host = row[0].value_or("");
    host = host.substr(0, host.rfind(':'));
    if (host.empty()) continue;
    ConnectionConfig c;
    c.host = host;
    c.port = parent.port;
    candidates.push_back(WithPrimaryCredentials(c, parent));
  }
}

// --recursion-method hosts: each replica that registered its host and port with a server
// (SHOW SLAVE HOSTS). Without the privilege to list them, a warning and no candidates.
void AddReplicaHostsCandidates(Session& server, const ConnectionConfig& credentials,
                               std::vector<ConnectionConfig>& candidates) {
  StatusOr<ResultSet> hosts = server.Query(ReplicaHostsQuery(server.flavor()));
  if (!hosts.ok() && server.flavor() == ServerFlavor::kMySQL) {
    hosts = server.Query(LegacyReplicaHostsQuery());
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
    if (host.empty() || !ParsePortNumber(port)) continue;
    ConnectionConfig c;
    c.host = host;
    c.port = ParsePortNumber(port);
    candidates.push_back(WithPrimaryCredentials(c, credentials));
  }
}

// Connects to each candidate, adding one Replica per server not `seen` yet (by server id; the
// primary and the replicas whose lag is not checked are seen from the start). The first
// `explicit_count` were given (--replica, the DSN table): one of them unreachable is refused,
// while an unreachable discovered one is only logged.
Status ConnectCandidates(const std::vector<ConnectionConfig>& candidates, size_t explicit_count,
                         std::set<std::string>& seen, std::vector<Replica>& out) {
  for (size_t i = 0; i < candidates.size(); ++i) {
    const std::string name = NameOf(candidates[i]);
    StatusOr<std::unique_ptr<Session>> s = ConnectReplica(candidates[i]);
    if (!s.ok()) {
      if (i < explicit_count) {
        return RefusedError("cannot reach replica " + name + " given with --replica" +
                            " or the --recursion-method dsn= table: " + s.status().message());
      }
      LogDebug("discovered replica candidate " + name + " is unreachable: " + s.status().message());
      continue;
    }
    StatusOr<std::string> id = ServerId(**s);
    if (!id.ok() && i < explicit_count) {
      return RefusedError("cannot read the server id of replica " + name + ": " +
                          id.status().message());
    }
    if (!id.ok() || !seen.insert(*id).second) continue;  // the primary itself, or seen already
    out.push_back(Replica{name, candidates[i], std::move(s).value(), *id});
  }
  return Status::Ok();
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

// The ids of the servers `s` replicates from through a running IO thread (so through a binary
// log reader on that server: a stopped one keeps reporting its source's id); nullopt when its
// status can't be read.
std::optional<std::vector<std::string>> SourceIds(Session& s) {
  StatusOr<ResultSet> rs = s.Query(ReplicationStatusQuery(s.flavor()));
  if (!rs.ok() && s.flavor() == ServerFlavor::kMySQL) rs = s.Query(LegacyReplicationStatusQuery());
  if (!rs.ok()) return std::nullopt;
  std::vector<std::string> ids;
  for (size_t i = 0; i < rs->rows.size(); ++i) {
    if (CellText(rs->Cell(i, "Slave_IO_Running", "Replica_IO_Running")) != "Yes") continue;
    const std::string id = CellText(rs->Cell(i, "Master_Server_Id", "Source_Server_Id"));
    if (!id.empty() && id != "0") ids.push_back(id);
  }
  return ids;
}

// A server's binary log readers. An account without PROCESS sees only its own sessions, so
// replicas would go unseen: when none is seen and the account can't be shown to see others,
// refused rather than watched by nobody (`name`: "the primary" or "replica host:port"), unless
// `checked_later` (the primary, whose PROCESS the preflight `privileges` check requires: it
// names every missing privilege at once).
StatusOr<ResultSet> ReadersOf(Session& s, const std::string& name, bool checked_later = false) {
  SA_ASSIGN_OR_RETURN(ResultSet dumps, s.Query(BinlogDumpHostsQuery()));
  // A reader seen proves other sessions visible; the primary's PROCESS is judged by preflight.
  if (!dumps.empty() || checked_later) return dumps;
  SA_ASSIGN_OR_RETURN(ResultSet sees, s.Query(SeesOtherSessionsQuery()));
  if (sees.Scalar().value_or("0") != "0") return dumps;
  return RefusedError("cannot tell whether " + name +
                      " has replicas: the account used on it sees only its own sessions; grant "
                      "it PROCESS there (directly: a role's is not seen), or give every replica "
                      "with --replica and --recursion-method none");
}

// --recursion-method dsn=D=db,t=table: the replicas listed in the dsn column of that table (on
// the primary unless the DSN names another server), in id order, as if given with --replica.
StatusOr<std::vector<ConnectionConfig>> ReadDsnTable(const Config& config,
                                                     const ConnectionConfig& defaults) {
  const ConnectionConfig& table = *config.recursion_dsn_table;
  ConnectionConfig where = config.conn;
  MergeConnection(where, table);
  const std::string name = table.database + "." + table.table;
  StatusOr<std::unique_ptr<Session>> s = ConnectReplica(where);
  if (!s.ok()) {
    return RefusedError("connecting to read the DSN table " + name + ": " + s.status().message());
  }
  StatusOr<ResultSet> rows = (*s)->Query(DsnTableQuery(table.database, table.table));
  if (!rows.ok()) {
    return RefusedError("reading the DSN table " + name + ": " + rows.status().message());
  }
  std::vector<ConnectionConfig> out;
  for (const auto& row : rows->rows) {
    const std::string id = row[0].value_or("NULL");
    StatusOr<ConnectionConfig> dsn = ParseDsn(row[1].value_or(""));
    if (dsn.ok() && !dsn->host && !dsn->socket) {
      dsn = UsageError("it names no h= (or S=)");
    } else if (dsn.ok() && !dsn->dsn_tls.empty()) {
      dsn = UsageError("a replica takes the primary's TLS settings, not its own ssl-* keys");
    }
    if (!dsn.ok()) {
      return RefusedError("the DSN table " + name + ", row id " + id + ": " +
                          dsn.status().message());
    }
    out.push_back(WithPrimaryCredentials(*dsn, defaults));
  }
  LogInfo("the DSN table " + name + " lists " + std::to_string(out.size()) + " replica(s)");
  return out;
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
  const std::string& method = config.recursion_method;
  const bool look = method != "none";  // look for replicas beyond those given
  const bool by_processlist = method.find("processlist") != std::string::npos;
  const bool by_hosts = method.find("hosts") != std::string::npos;
  const ConnectionConfig defaults = ReplicaDefaults(config);
  std::vector<ConnectionConfig> given;
  for (const ConnectionConfig& r : config.replicas) {
    given.push_back(WithPrimaryCredentials(r, defaults));
  }
  if (config.recursion_dsn_table) {
    SA_ASSIGN_OR_RETURN(std::vector<ConnectionConfig> listed, ReadDsnTable(config, defaults));
    given.insert(given.end(), listed.begin(), listed.end());
  }

  // --skip-check-replica-lag: a replica neither watched nor waited for, but counted as found: it
  // is known and deliberately left alone (replicas of it are still looked for). Recognised by
  // its server id where it can be reached (whatever name discovery gives it), else by host:port
  // (the port the primary's when left out).
  SA_ASSIGN_OR_RETURN(std::string primary_id, ServerId(primary));
  std::vector<TopologyServer> tree = {{"the primary", primary_id, "", std::nullopt, {}}};
  std::set<std::string> seen = {primary_id};
  std::set<std::string> skipped_names;
  std::vector<Replica> left_alone;  // reached, not watched, looked into
  for (const ConnectionConfig& r : config.lag_unchecked) {
    const ConnectionConfig where = WithPrimaryCredentials(r, defaults);
    const std::string name = NameOf(where);
    skipped_names.insert(name);
    StatusOr<std::unique_ptr<Session>> s = ConnectReplica(where);
    StatusOr<std::string> id = s.ok() ? ServerId(**s) : StatusOr<std::string>(s.status());
    const bool named = std::any_of(given.begin(), given.end(),
                                   [&](const ConnectionConfig& c) { return NameOf(c) == name; });
    if (id.ok() && *id == primary_id) {
      LogWarning("--skip-check-replica-lag " + name + " names the primary, not a replica");
      continue;
    }
    if (id.ok() && !id->empty()) {
      if (seen.insert(*id).second) {
        left_alone.push_back(Replica{name, where, std::move(s).value(), *id});
      }
    } else if (named) {
      // Known only by name: its place in the tree is unknown (taken to be the primary's).
      tree.push_back({"replica " + name, "", where.host.value_or(""), std::nullopt, {}});
    }
    if ((id.ok() && !id->empty()) || named) {
      LogInfo("not watching the lag of replica " + name + " (--skip-check-replica-lag)");
    } else {
      LogWarning("--skip-check-replica-lag " + name + ": no such replica was found or reached (" +
                 (s.ok() ? std::string("its server id is unknown") : s.status().message()) + ")");
    }
  }
  std::vector<ConnectionConfig> watched;
  for (const ConnectionConfig& c : given) {
    if (skipped_names.count(NameOf(c)) == 0) watched.push_back(c);
  }
  std::vector<Replica> out;
  SA_RETURN_IF_ERROR(ConnectCandidates(watched, watched.size(), seen, out));
  if (!look) {
    LogWatched(out);
    return out;
  }

  // Every server reached is looked into in turn, the primary first, then the replicas left
  // alone, then those watched: its readers are counted, and discovery's candidates among them
  // (on that server's port) are connected and looked into later. Server ids keep each server
  // once, so a ring ends.
  const bool privileges_checked = std::find(config.skip_checks.begin(), config.skip_checks.end(),
                                            "privileges") == config.skip_checks.end();
  SA_ASSIGN_OR_RETURN(ResultSet primary_dumps,
                      ReadersOf(primary, "the primary", privileges_checked));
  tree[0].source_ids = SourceIds(primary);
  tree[0].reader_hosts = DumpHosts(primary_dumps);
  std::vector<ConnectionConfig> candidates;
  if (by_processlist) AddProcesslistCandidates(primary_dumps, defaults, candidates);
  if (by_hosts) AddReplicaHostsCandidates(primary, defaults, candidates);
  SA_RETURN_IF_ERROR(ConnectCandidates(candidates, 0, seen, out));
  // Looks into one reached replica; its new candidates join `out`.
  auto look_into = [&](Replica& r) -> Status {
    SA_ASSIGN_OR_RETURN(ResultSet dumps, ReadersOf(*r.session, "replica " + r.name));
    tree.push_back({"replica " + r.name, r.server_id, r.where.host.value_or(""),
                    SourceIds(*r.session), DumpHosts(dumps)});
    std::vector<ConnectionConfig> found;
    // Processlist candidates take the replica's port; one reached by its socket has none to give.
    if (by_processlist && r.where.host) AddProcesslistCandidates(dumps, r.where, found);
    if (by_hosts) AddReplicaHostsCandidates(*r.session, r.where, found);
    return ConnectCandidates(found, 0, seen, out);
  };
  for (Replica& r : left_alone) SA_RETURN_IF_ERROR(look_into(r));
  for (size_t i = 0; i < out.size(); ++i) {
    // By value of the index: look_into may grow `out`, so no reference into it survives a call.
    Replica& r = out[i];
    SA_RETURN_IF_ERROR(look_into(r));
  }

  std::vector<std::string> warnings;
  SA_RETURN_IF_ERROR(AccountForReaders(tree, config.allowed_binlog_clients, warnings));
  for (const std::string& w : warnings) LogWarning(w);
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
