// Preflight: the ordered list of checks that run before anything is created. Each check is one
// small function that reads the server and says OK or why the run must not start (kRefused with
// what to do). All checks run, and every failure is reported, not just the first.
#pragma once

#include <string>
#include <vector>

#include "cli/config.h"
#include "db/session.h"
#include "schema/table.h"
#include "sql/names.h"
#include "util/status.h"

namespace shadowalter {

// A replica being watched, for the checks that look at replicas too.
struct ReplicaSession {
  std::string name;  // host:port
  Session* session;  // never null
};

struct PreflightContext {
  Session& session;  // the primary
  const TableInfo& table;
  const ArtifactNames& names;
  const Config& config;
  std::vector<ReplicaSession> replicas;
  bool resuming = false;  // continuing a stopped run: its artifacts are expected, not leftovers
};

// When a check runs: most before anything is created; a few judge the new table, once the
// server has applied the ALTER to it (nothing else exists then but the new table and the
// checkpoint, which a refusal drops again).
enum class PreflightStage { kBeforeCreating, kNewTableAltered };

struct PreflightCheck {
  std::string name;  // as --skip-check takes it
  Status (*run)(PreflightContext&);
  // Empty when --skip-check may skip it; else why not (and what to do instead).
  std::string unskippable_because;
  PreflightStage stage = PreflightStage::kBeforeCreating;
};

// The checks in the order they run.
const std::vector<PreflightCheck>& PreflightChecks();

// Usage error (one line naming the check and the skippable ones) when a --skip-check name is
// unknown or names a check that can't be skipped.
Status ValidateSkippedChecks(const std::vector<std::string>& names);

Status CheckServerVersion(PreflightContext& ctx);
// The original is InnoDB (check/server_rules.h: ClassifyEngine says why only InnoDB).
Status CheckEngineIsInnoDB(PreflightContext& ctx);
// A key the copy can walk exists, and the ALTER's text does not drop one of its columns.
Status CheckHasWalkableKey(PreflightContext& ctx);
Status CheckNoOwnTriggers(PreflightContext& ctx);
// Child tables (other tables whose foreign keys reference this one; self-references are not
// children) need an explicit --alter-foreign-keys-method, and MariaDB for its SET STATEMENT.
Status CheckChildForeignKeys(PreflightContext& ctx);
Status CheckNoLeftoverArtifacts(PreflightContext& ctx);
Status CheckNotReplicating(PreflightContext& ctx);
// SHOW GRANTS covers sql/grants.sql's schema privileges, PROCESS (to see replicas and blockers),
// and SUPER when binary logging is on without log_bin_trust_function_creators (CREATE TRIGGER).
Status CheckPrivileges(PreflightContext& ctx);
// No server involved (primary or watched replica) logs in STATEMENT format: the copy's
// INSERT ... SELECT is unsafe there, and a replica logging row events in STATEMENT mode stops.
Status CheckBinlogFormat(PreflightContext& ctx);
// No replication filters on the primary's binary log or on a watched replica: a filter can drop
// the new table, the triggers' writes or the RENAME on a replica while applying the rest.
Status CheckReplicationFilters(PreflightContext& ctx);
// Room for the copy on the data directory's file system, where the server can tell (MariaDB's
// information_schema.DISKS plugin); otherwise logged as not checked.
Status CheckFreeSpace(PreflightContext& ctx);

// The new table (names.shadow_table), with the ALTER applied, is InnoDB too: decided by the
// engine the server actually gave it (information_schema.TABLES.ENGINE), whatever the ALTER
// asked for. Stage kNewTableAltered.
Status CheckNewTableEngine(PreflightContext& ctx);

// Runs every check of `stage` not skipped by --skip-check; returns OK, or one kRefused Status
// whose message lists each failure as "<check>: <reason>" separated by "; ".
Status RunPreflight(PreflightContext& ctx, PreflightStage stage = PreflightStage::kBeforeCreating);

}  // namespace shadowalter
