// Preflight: the ordered list of checks that judge the table, the new table and the planned copy
// before the run changes anything that matters. Each check is one small function that reads the
// server and says OK or why the run must not go on (kRefused with what to do). Before anything is
// created all checks run, and every failure is reported, not just the first.
//
// Every judgement that refuses a run is a check here or in check/stopped_run.h. What else exits
// with a refusal is an attempt that failed before anything was made, in the words of whatever
// failed: connecting to the primary or to a replica given with --replica, taking the run lock
// another run holds, finding every replica that streams the binary log, reading a status
// variable --max-load names, and putting the table's own triggers back where another table's
// trigger now has the name (migration/saved_triggers.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/config.h"
#include "db/session.h"
#include "schema/table.h"
#include "sql/column_map.h"
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
  // Known once the new table is inspected and the copy planned (kCopyPlanned, kNewUniqueKeys,
  // kOwnTriggers); null otherwise.
  const TableInfo* new_table = nullptr;
  const std::vector<ColumnPair>* columns = nullptr;  // the copy's column pairs
  const AlterAnalysis* alter = nullptr;              // kNewTableInspected: the ALTER, as analyzed
  // Told the name of each scratch table a check is about to create, so that the run drops it
  // should it fail; unset where no check of the stage creates one.
  std::function<void(const std::string& table)> will_create_table = nullptr;
};

// When a check runs: most before anything is created; one judges the new table once the server
// has applied the ALTER to it (nothing else exists then but the new table and the checkpoint,
// which a refusal drops again). Each later stage is run by one phase of the orchestrator, at the
// point where it judged inline before; their checks are not --skip-check options.
enum class PreflightStage {
  kBeforeInspecting,  // the table named is one to inspect (ctx.table is still empty then)
  kBeforeCreating,
  kNewTableAltered,
  kNewTableInspected,  // the new table inspected: can the copy be planned at all?
  kCopyPlanned,        // while planning the copy (or verify's comparison), before it is recorded
  kNewUniqueKeys,      // a fresh run, the copy planned: before any trigger exists
  kOwnTriggers,        // --preserve-triggers, the copy planned: before any trigger exists
  kBeforeComparing,    // verify: before comparing a stopped run's new table with the table
};

struct PreflightCheck {
  std::string name;  // as --skip-check takes it
  Status (*run)(PreflightContext&);
  // Empty when --skip-check may skip it; else why not (and what to do instead).
  std::string unskippable_because;
  PreflightStage stage = PreflightStage::kBeforeCreating;
  // False for the checks --skip-check does not know by name: it calls them unknown, as it did
  // before they were on this list.
  bool named_for_skip_check = true;
};

// The checks in the order they run.
const std::vector<PreflightCheck>& PreflightChecks();

// Usage error (one line naming the check and the skippable ones) when a --skip-check name is
// unknown (or not named_for_skip_check) or names a check that can't be skipped.
Status ValidateSkippedChecks(const std::vector<std::string>& names);

// kBeforeInspecting: the table the DSN names exists and is a base table (not a view).
Status CheckTableExists(PreflightContext& ctx);
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

// kNewTableInspected: the copy can be planned (sql/column_map.h): each column of the original
// has its counterpart in the new table or was dropped, and a key finds each row in both tables.
// The planners' refusal, as it is.
Status CheckCopyCanBePlanned(PreflightContext& ctx);

// The new table (names.shadow_table), with the ALTER applied, is InnoDB too: decided by the
// engine the server actually gave it (information_schema.TABLES.ENGINE), whatever the ALTER
// asked for. Stage kNewTableAltered.
Status CheckNewTableEngine(PreflightContext& ctx);

// Runs every check of `stage` not skipped by --skip-check. For kBeforeCreating and
// kNewTableAltered it returns OK, or one kRefused Status whose message lists each failure as
// "<check>: <reason>" separated by "; ". The later stages stop at the first failure and return it
// as it is: a refusal in the check's own words, or the server's error (a lost connection, say),
// for the run to handle like any failure of its phase.
Status RunPreflight(PreflightContext& ctx, PreflightStage stage = PreflightStage::kBeforeCreating);

}  // namespace shadowalter
