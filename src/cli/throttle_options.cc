// The throttling group: what slows or pauses the copy (replica lag, server load, files).
#include <string>
#include <utility>
#include <vector>

#include "cli/dsn.h"
#include "cli/load_spec.h"
#include "cli/option_groups.h"
#include "cli/option_values.h"

namespace shadowalter {
namespace {

namespace po = boost::program_options;

StatusOr<std::string> ParseUpstreamWrites(std::string_view option, std::string_view text) {
  if (text == "fire-triggers" || text == "none") return std::string(text);
  return BadValue(option, text, "give fire-triggers or none");
}

// Ways of finding replicas, kept as written: either order of the two methods means both.
StatusOr<std::string> ParseRecursionMethod(std::string_view option, std::string_view text) {
  for (std::string_view method :
       {"none", "processlist", "hosts", "processlist,hosts", "hosts,processlist"}) {
    if (text == method) return std::string(text);
  }
  return BadValue(option, text,
                  "give processlist, hosts, processlist,hosts, dsn=D=DB,t=TABLE or none");
}

// --recursion-method dsn=DSN: the table that lists the replicas (pt-online-schema-change's DSN
// table). D= and t= are required; h=, P=, u=, p=, S=, F= default to the primary's connection.
StatusOr<ConnectionConfig> ParseDsnTable(std::string_view option, std::string_view text) {
  StatusOr<ConnectionConfig> table = ParseDsn(text);
  if (!table.ok()) return table.status().With("--" + std::string(option) + " dsn=");
  if (table->database.empty() || table->table.empty()) {
    return UsageError("--" + std::string(option) +
                      " dsn= needs the table that lists the replicas as D=DB,t=TABLE (with "
                      "columns id and dsn), e.g. --recursion-method dsn=D=percona,t=dsns");
  }
  if (!table->dsn_tls.empty()) {
    return UsageError("--" + std::string(option) +
                      " dsn= takes the primary's TLS settings, not its own ssl-* keys");
  }
  return table;
}

}  // namespace

po::options_description ThrottleOptions(unsigned line_length) {
  const Config defaults;
  const std::string chunk_time =
      "Target seconds per chunk; the chunk size adapts after every "
      "chunk unless --chunk-size is given (default: " +
      FormatNumber(defaults.chunk_time) + ")";
  const std::string max_lag =
      "Pause the copy while any replica lags more than this many "
      "seconds, fractions allowed (default: " +
      FormatNumber(defaults.max_lag) + ")";
  const std::string check_interval =
      "Seconds between replica lag checks (default: " + FormatNumber(defaults.check_interval) + ")";
  const std::string max_load =
      "Pause while any status variable is at or above its limit; "
      "VAR without =N: its value at start plus 20% (default: " +
      FormatLoadSpec(defaults.max_load) + ")";
  const std::string critical_load =
      "Abort (with full cleanup) when any status variable reaches "
      "its limit (default: " +
      FormatLoadSpec(defaults.critical_load) + ")";
  const std::string checkpoint_age =
      "Pause the copy while InnoDB's checkpoint age is at or above this percentage of its "
      "maximum, before the server's furious flushing stalls every write, until it is 2 points "
      "below; 0 to 100, 0: off (MariaDB reports it; default: " +
      FormatNumber(defaults.max_checkpoint_age) + ")";
  const std::string flow_ctl =
      "On a Galera Cluster node: pause the copy while the cluster spent more than this "
      "percentage of the time since the last check paused by flow control; 0 to 100 (default: " +
      FormatNumber(defaults.max_flow_ctl) + ")";
  const std::string recv_queue =
      "On a Galera Cluster node: pause the copy while any node has more than this many "
      "writesets left to apply (wsrep_local_recv_queue) (default: " +
      std::to_string(defaults.max_recv_queue) + ")";
  const std::string recursion =
      "How to find replicas, on the primary and then on each replica found: processlist, hosts, "
      "both comma-separated, dsn=D=DB,t=TABLE (the replicas that table's dsn column lists), "
      "or none (default: " +
      defaults.recursion_method + ")";

  po::options_description throttle("Throttling", line_length);
  // clang-format off
  throttle.add_options()
      ("chunk-time", po::value<std::string>()->value_name("SECONDS"), chunk_time.c_str())
      ("max-lag", po::value<std::string>()->value_name("SECONDS"), max_lag.c_str())
      ("check-interval", po::value<std::string>()->value_name("SECONDS"), check_interval.c_str())
      ("replica", po::value<std::vector<std::string>>()->value_name("DSN"),
       "A replica to watch, repeatable; fields it leaves out (user, password, port...) are the "
       "primary's (default: the discovered ones)")
      ("replica-user", po::value<std::string>()->value_name("USER"),
       "User for every replica whose DSN has no u= (default: the primary's)")
      ("replica-password", po::value<std::string>()->value_name("PASS"),
       "Password for every replica whose DSN has no p=; others can see it until it is "
       "scrubbed, so prefer a replica DSN's F= option file (default: the primary's)")
      ("skip-check-replica-lag", po::value<std::vector<std::string>>()->value_name("DSN"),
       "Do not let this replica's lag (h= and P= as discovery names it) pause the copy, "
       "repeatable: a delayed replica, a reporting copy (default: none)")
      ("upstream-writes", po::value<std::string>()->value_name("MODE"),
       "On a server that itself replicates from another: fire-triggers (MariaDB with "
       "slave_run_triggers_for_rbr on: the rows it applies fire the triggers, checked) or none "
       "(you state that no write to the table arrives that way) (default: refused)")
      ("allow-binlog-client", po::value<std::vector<std::string>>()->value_name("HOST"),
       "A binary log reader on the primary from this host that is no replica (a CDC tool, a "
       "binlog server) may stay unwatched, with a warning, repeatable (default: none: every "
       "reader must be a replica shadowalter reaches)")
      ("recursion-method", po::value<std::string>()->value_name("METHOD"), recursion.c_str())
      ("replica-timeout", po::value<std::string>()->value_name("SECONDS"),
       "Abort (with full cleanup) when a replica has been stopped, broken or unreachable this "
       "long (default: wait forever)")
      ("max-load", po::value<std::string>()->value_name("VAR[=N],..."), max_load.c_str())
      ("critical-load", po::value<std::string>()->value_name("VAR[=N],..."),
       critical_load.c_str())
      ("max-checkpoint-age", po::value<std::string>()->value_name("PERCENT"),
       checkpoint_age.c_str())
      ("max-flow-ctl", po::value<std::string>()->value_name("PERCENT"), flow_ctl.c_str())
      ("max-recv-queue", po::value<std::string>()->value_name("N"), recv_queue.c_str())
      ("pause-file", po::value<std::string>()->value_name("PATH"),
       "Pause the copy while this file exists (default: none)")
      ("panic-file", po::value<std::string>()->value_name("PATH"),
       "Abort, cleaning up (exit 1), as soon as this file exists: checked between chunks, "
       "while paused and while the cut-over waits (default: none)")
      ("heartbeat", po::bool_switch(),
       "Measure replica lag with a heartbeat row written on the primary every 100 ms: "
       "sub-second, and through intermediate replicas (default: off, Seconds_Behind_Master)");
  // clang-format on
  return throttle;
}

Status ParseThrottleOptions(const po::variables_map& vm, Config& config) {
  SA_RETURN_IF_ERROR(
      ParseIfGiven(vm, "chunk-time", config.chunk_time, ParseSeconds, SecondsAboveZero()));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "max-lag", config.max_lag, ParseSeconds, SecondsFromZero()));
  SA_RETURN_IF_ERROR(
      ParseIfGiven(vm, "check-interval", config.check_interval, ParseSeconds, SecondsAboveZero()));
  SA_RETURN_IF_ERROR(
      ParseIfGiven(vm, "max-checkpoint-age", config.max_checkpoint_age, ParsePercentage));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "max-flow-ctl", config.max_flow_ctl, ParsePercentage));
  SA_RETURN_IF_ERROR(
      ParseIfGiven(vm, "max-recv-queue", config.max_recv_queue, ParseCount, kAnyCount));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "replica-timeout", config.replica_timeout, ParseSeconds,
                                  SecondsAboveZero()));
  if (vm.count("replica") != 0) {
    for (const std::string& dsn : vm["replica"].as<std::vector<std::string>>()) {
      SA_ASSIGN_OR_RETURN(ConnectionConfig replica, ParseReplicaDsn("replica", dsn));
      config.replicas.push_back(std::move(replica));
    }
  }
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "replica-user", config.replica_user, ParseNonEmpty));
  // An empty password is a real one.
  config.replica_password = GivenText(vm, "replica-password");
  if (vm.count("skip-check-replica-lag") != 0) {
    for (const std::string& dsn : vm["skip-check-replica-lag"].as<std::vector<std::string>>()) {
      SA_ASSIGN_OR_RETURN(ConnectionConfig skipped, ParseReplicaDsn("skip-check-replica-lag", dsn));
      config.lag_unchecked.push_back(std::move(skipped));
    }
  }
  SA_RETURN_IF_ERROR(
      ParseIfGiven(vm, "upstream-writes", config.upstream_writes, ParseUpstreamWrites));
  if (vm.count("allow-binlog-client") != 0) {
    for (const std::string& host : vm["allow-binlog-client"].as<std::vector<std::string>>()) {
      SA_ASSIGN_OR_RETURN(std::string h, ParseNonEmpty("allow-binlog-client", host));
      config.allowed_binlog_clients.push_back(std::move(h));
    }
  }
  if (const std::optional<std::string> method = GivenText(vm, "recursion-method");
      method && method->rfind("dsn=", 0) == 0) {
    SA_ASSIGN_OR_RETURN(config.recursion_dsn_table,
                        ParseDsnTable("recursion-method", std::string_view(*method).substr(4)));
    config.recursion_method = "dsn";
  } else {
    SA_RETURN_IF_ERROR(
        ParseIfGiven(vm, "recursion-method", config.recursion_method, ParseRecursionMethod));
  }
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "max-load", config.max_load, ParseLoadSpec));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "critical-load", config.critical_load, ParseLoadSpec));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "pause-file", config.pause_file, ParseNonEmpty));
  SA_RETURN_IF_ERROR(ParseIfGiven(vm, "panic-file", config.panic_file, ParseNonEmpty));
  config.heartbeat = vm["heartbeat"].as<bool>();
  return ParseIfGiven(vm, "postpone-cutover-file", config.postpone_cutover_file, ParseNonEmpty);
}

}  // namespace shadowalter
