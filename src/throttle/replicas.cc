#include "throttle/replicas.h"

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
ConnectionConfig WithPrimaryCredentials(ConnectionConfig replica, const ConnectionConfig& primary) {
  if (!replica.user) replica.user = primary.user;
  if (!replica.password) replica.password = primary.password;
  if (!replica.defaults_file) replica.defaults_file = primary.defaults_file;
  if (!replica.port && replica.host) replica.port = primary.port;
  replica.tls = primary.tls;  // one TLS policy for every server of the run
  return replica;
}

StatusOr<std::string> ServerId(Session& s) {
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(ServerIdQuery()));
  return rs.Scalar().value_or("");
}

// The cell of column `name` (or its MySQL 8 spelling `alt`) in a result row; null when the
// result has no such column.
const std::optional<std::string>* Column(const ResultSet& rs, size_t row, const std::string& name,
                                         const std::string& alt) {
  for (size_t i = 0; i < rs.column_names.size(); ++i) {
    if (rs.column_names[i] == name || rs.column_names[i] == alt) return &rs.rows[row][i];
  }
  return nullptr;
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
    const std::string host = CellText(Column(*hosts, i, "Host", "Host"));
    const std::string port = CellText(Column(*hosts, i, "Port", "Port"));
    if (host.empty() || port.empty()) continue;
    ConnectionConfig c;
    c.host = host;
    c.port = static_cast<unsigned>(std::stoul(port));
    candidates.push_back(WithPrimaryCredentials(c, primary_conn));
  }
}

// Connects to each candidate, keeping one session per server (by server id; never the primary,
// `primary_id`). The first `explicit_count` were given with --replica: one of them unreachable is
// refused, while an unreachable discovered one is only logged.
StatusOr<std::vector<Replica>> ConnectCandidates(const std::vector<ConnectionConfig>& candidates,
                                                 size_t explicit_count,
                                                 const std::string& primary_id) {
  std::vector<Replica> out;
  std::set<std::string> seen{primary_id};
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
  std::vector<ConnectionConfig> candidates;
  for (const ConnectionConfig& r : config.replicas) {
    candidates.push_back(WithPrimaryCredentials(r, config.conn));
  }
  const size_t explicit_count = candidates.size();

  SA_ASSIGN_OR_RETURN(ResultSet dumps, primary.Query(BinlogDumpHostsQuery()));
  if (discover && config.recursion_method.find("processlist") != std::string::npos) {
    AddProcesslistCandidates(dumps, config.conn, candidates);
  }
  if (discover && config.recursion_method.find("hosts") != std::string::npos) {
    AddReplicaHostsCandidates(primary, config.conn, candidates);
  }

  SA_ASSIGN_OR_RETURN(std::string primary_id, ServerId(primary));
  SA_ASSIGN_OR_RETURN(std::vector<Replica> out,
                      ConnectCandidates(candidates, explicit_count, primary_id));
  if (discover && out.size() < dumps.rows.size()) {
    return RefusedError(
        "the primary has " + std::to_string(dumps.rows.size()) +
        " replica connection(s) but only " + std::to_string(out.size()) +
        " replica(s) could be found and reached, so their lag could not be watched; give each "
        "with --replica h=HOST,P=PORT (or --recursion-method none to copy without watching them)");
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
    const auto sql = Column(rs, i, "Slave_SQL_Running", "Replica_SQL_Running");
    const auto io = Column(rs, i, "Slave_IO_Running", "Replica_IO_Running");
    const auto lag = Column(rs, i, "Seconds_Behind_Master", "Seconds_Behind_Source");
    if (!sql || !*sql || **sql != "Yes") return {std::nullopt, "has its SQL thread stopped"};
    if (!io || !*io || **io != "Yes") return {std::nullopt, "has its IO thread stopped"};
    if (!lag || !*lag) return {std::nullopt, "reports no lag (NULL)"};
    worst = std::max(worst, std::stod(**lag));
  }
  return {worst, ""};
}

}  // namespace shadowalter
