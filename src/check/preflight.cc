#include "check/preflight.h"

#include <algorithm>

#include "check/cluster_checks.h"
#include "check/grants.h"
#include "check/new_table_checks.h"
#include "check/server_rules.h"
#include "db/quote.h"
#include "inspect/inspector.h"
#include "report/log.h"
#include "sql/alter_clauses.h"
#include "sql/implicit_fills.h"
#include "sql/inspect_queries.h"
#include "sql/replication_queries.h"
#include "sql/server_queries.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

constexpr const char* kEssential = "without it the copy can't be exact";
// The later stages' checks: never --skip-check options.
constexpr const char* kNotAnOption = "not a preflight option";

// This server's replication status rows (one per source): SHOW ALL SLAVES STATUS on MariaDB, SHOW
// REPLICA STATUS on MySQL (SHOW SLAVE STATUS before 8.0.22).
StatusOr<ResultSet> ReplicationStatus(Session& s) {
  const bool maria = s.flavor() == ServerFlavor::kMariaDB;
  StatusOr<ResultSet> rs = s.Query(ReplicationStatusQuery(s.flavor()));
  if (!rs.ok() && !maria) rs = s.Query(LegacyReplicationStatusQuery());
  return rs;
}

// "Column=value" for each non-empty column of `row` whose name is in `names`.
std::vector<std::string> NonEmptyColumns(const ResultSet& rs, size_t row,
                                         const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (size_t i = 0; i < rs.column_names.size(); ++i) {
    if (std::find(names.begin(), names.end(), rs.column_names[i]) == names.end()) continue;
    const std::optional<std::string>& v = rs.rows[row][i];
    if (v && !v->empty()) out.push_back(rs.column_names[i] + "=" + *v);
  }
  return out;
}

std::string Megabytes(uint64_t bytes) {
  char buf[32];
  const double mb = static_cast<double>(bytes) / (1024.0 * 1024.0);
  std::snprintf(buf, sizeof buf, mb < 10 ? "%.1f MB" : "%.0f MB", mb);
  return buf;
}

}  // namespace

const std::vector<PreflightCheck>& PreflightChecks() {
  static const std::vector<PreflightCheck> kChecks = {
      {"table-exists", CheckTableExists, kNotAnOption, PreflightStage::kBeforeInspecting, false},
      {"server-version", CheckServerVersion, "older servers lack what the copy relies on"},
      {"engine", CheckEngineIsInnoDB, kEssential},
      {"chunk-key", CheckHasWalkableKey, kEssential},
      {"triggers", CheckNoOwnTriggers, "the table's triggers would be lost"},
      {"foreign-keys", CheckChildForeignKeys, "choose --alter-foreign-keys-method instead"},
      {"leftovers", CheckNoLeftoverArtifacts, "drop the earlier run's artifacts instead"},
      {"replication", CheckNotReplicating, "triggers miss the row events a replica applies"},
      {"galera", CheckGaleraCluster,
       "on a cluster node the swap's write lock holds this node's writers only and stalls the "
       "cluster"},
      {"privileges", CheckPrivileges, ""},
      {"binlog-format", CheckBinlogFormat, ""},
      {"replication-filters", CheckReplicationFilters, ""},
      {"free-space", CheckFreeSpace, ""},
      {"new-table-engine", CheckNewTableEngine,
       "rolled-back writes would survive in the new table, and lock waits could hang the "
       "application",
       PreflightStage::kNewTableAltered},
      {"copy-plan", CheckCopyCanBePlanned, kNotAnOption, PreflightStage::kNewTableInspected, false},
      {"default-zone", CheckDefaultZone, kNotAnOption, PreflightStage::kCopyPlanned, false},
      {"unique-keys", CheckNewUniqueKeys, kNotAnOption, PreflightStage::kNewUniqueKeys, false},
      {"own-triggers", CheckOwnTriggersRecreatable, kNotAnOption, PreflightStage::kOwnTriggers,
       false},
      {"new-table-exists", CheckNewTableExists, kNotAnOption, PreflightStage::kBeforeComparing,
       false},
  };
  return kChecks;
}

Status ValidateSkippedChecks(const std::vector<std::string>& names) {
  std::vector<std::string> skippable;
  for (const PreflightCheck& c : PreflightChecks()) {
    if (c.unskippable_because.empty()) skippable.push_back(c.name);
  }
  for (const std::string& name : names) {
    auto it = std::find_if(
        PreflightChecks().begin(), PreflightChecks().end(),
        [&](const PreflightCheck& c) { return c.named_for_skip_check && c.name == name; });
    if (it == PreflightChecks().end()) {
      return UsageError("unknown check '" + name +
                        "' for --skip-check: the checks that can be "
                        "skipped are " +
                        Join(skippable, ", "));
    }
    if (!it->unskippable_because.empty()) {
      return UsageError("the '" + name + "' check can't be skipped (" + it->unskippable_because +
                        "); the checks that can be skipped are " + Join(skippable, ", "));
    }
  }
  return Status::Ok();
}

Status CheckServerVersion(PreflightContext& ctx) {
  const std::optional<std::string> problem =
      ServerVersionProblem(ctx.session.flavor(), ctx.session.server_version());
  return problem ? RefusedError(*problem) : Status::Ok();
}

Status CheckEngineIsInnoDB(PreflightContext& ctx) {
  const std::optional<std::string> problem = OriginalEngineProblem(ctx.table.engine);
  return problem ? RefusedError(*problem) : Status::Ok();
}

Status CheckNewTableEngine(PreflightContext& ctx) {
  SA_ASSIGN_OR_RETURN(std::string engine,
                      TableEngine(ctx.session, ctx.table.schema, ctx.names.shadow_table));
  const std::optional<std::string> problem = NewTableEngineProblem(engine);
  return problem ? RefusedError(*problem) : Status::Ok();
}

Status CheckHasWalkableKey(PreflightContext& ctx) {
  // The key the copy will walk (sql/column_map.h): the primary key, else the first unique key on
  // NOT NULL columns.
  const Index* walked = nullptr;
  for (const Index& idx : ctx.table.indexes) {
    if (!idx.IdentifiesRowsByColumns()) continue;
    bool not_null = true;
    for (const std::string& c : idx.columns) {
      const Column* col = ctx.table.FindColumn(c);
      if (col == nullptr || col->nullable) not_null = false;
    }
    if (not_null && (walked == nullptr || idx.primary)) walked = &idx;
  }
  if (walked == nullptr) {
    return RefusedError(
        "the table has no primary key and no unique key on NOT NULL columns; add "
        "one first (rows without a unique key can't be copied exactly)");
  }
  // Known from the ALTER's text alone, so refused before anything is created.
  StatusOr<AlterAnalysis> alter = AnalyzeAlter(ctx.config.alter);
  if (!alter.ok()) return Status::Ok();  // reported where the ALTER is analysed
  for (const std::string& c : walked->columns) {
    for (const std::string& dropped : alter->dropped_columns) {
      if (!SameColumnName(c, dropped)) continue;
      return RefusedError("the ALTER drops column " + QuoteIdentifier(c) + " of key " +
                          QuoteIdentifier(walked->name) +
                          ", which the copy and the triggers need to match rows; keep the "
                          "column (a new primary key may be added beside it)");
    }
  }
  return Status::Ok();
}

Status CheckNoOwnTriggers(PreflightContext& ctx) {
  if (ctx.table.triggers.empty()) return Status::Ok();
  std::vector<std::string> names;
  for (const Trigger& t : ctx.table.triggers) names.push_back(QuoteIdentifier(t.name));
  if (ctx.config.preserve_triggers) {
    LogInfo("the table's own triggers (" + Join(names, ", ") +
            ") keep firing during the copy and move to the new table at the swap");
    return Status::Ok();
  }
  return RefusedError("the table has triggers of its own (" + Join(names, ", ") +
                      "); run with --preserve-triggers to carry them over to the new table at "
                      "the swap (under a brief write lock), or drop them first");
}

Status CheckChildForeignKeys(PreflightContext& ctx) {
  if (ctx.table.referenced_by.empty()) return Status::Ok();
  std::vector<std::string> refs;
  for (const ForeignKeyRef& fk : ctx.table.referenced_by) {
    refs.push_back(QualifiedName(fk.child_schema, fk.child_table) + " (" +
                   QuoteIdentifier(fk.constraint_name) + ")");
  }
  const std::string children =
      "other tables reference this one with foreign keys (" + Join(refs, ", ") + ")";
  if (ctx.config.foreign_keys_method == ForeignKeyMethod::kUnset) {
    return RefusedError(
        children +
        "; after a plain swap they would point at the old table, so choose "
        "--alter-foreign-keys-method: rebuild_constraints repoints each child's "
        "foreign key to the new table just before the atomic swap (metadata-only, "
        "a brief lock on each child), drop_swap drops the original and renames the new "
        "table (the table is missing for a moment, the children are write-locked "
        "meanwhile, and there is no rollback once it is dropped), "
        "none swaps only (the children keep referencing the old table, which is "
        "then dropped: they reference a missing table), auto picks "
        "rebuild_constraints");
  }
  if (ctx.config.foreign_keys_method == ForeignKeyMethod::kDropSwap &&
      !ctx.table.triggers.empty()) {
    return RefusedError(children +
                        "; drop_swap would drop the table's own triggers with it: use "
                        "rebuild_constraints (with --preserve-triggers)");
  }
  if (ctx.session.flavor() != ServerFlavor::kMariaDB) {
    // The statements rely on SET STATEMENT ... FOR to switch checks off per statement.
    return RefusedError(children +
                        "; --alter-foreign-keys-method is supported on MariaDB only "
                        "for now");
  }
  return Status::Ok();
}

Status CheckNoLeftoverArtifacts(PreflightContext& ctx) {
  if (ctx.resuming) return Status::Ok();
  std::vector<std::string> found;
  for (const std::string* t :
       {&ctx.names.shadow_table, &ctx.names.old_table, &ctx.names.heartbeat_table,
        &ctx.names.refusals_table, &ctx.names.trigger_check_table, &ctx.names.checkpoint_table}) {
    SA_ASSIGN_OR_RETURN(bool exists, TableExists(ctx.session, ctx.table.schema, *t));
    if (exists) found.push_back("table " + QualifiedName(ctx.table.schema, *t));
  }
  SA_ASSIGN_OR_RETURN(std::vector<std::string> triggers,
                      ExistingTriggers(ctx.session, ctx.table.schema,
                                       {ctx.names.insert_trigger, ctx.names.update_trigger,
                                        ctx.names.delete_trigger}));
  for (const auto& t : triggers) found.push_back("trigger " + QuoteIdentifier(t));
  if (found.empty()) return Status::Ok();
  return RefusedError("an earlier run left " + Join(found, ", ") +
                      " behind; `shadowalter status` shows what it was, `shadowalter cleanup` "
                      "removes it (triggers first, then the tables)");
}

// "host:port" of each source a replica's status rows name.
std::string Upstreams(const ResultSet& rs) {
  std::vector<std::string> out;
  const auto text = [](const std::optional<std::string>* cell) {
    return cell && *cell ? **cell : std::string();
  };
  for (size_t row = 0; row < rs.rows.size(); ++row) {
    out.push_back(text(rs.Cell(row, "Master_Host", "Source_Host")) + ":" +
                  text(rs.Cell(row, "Master_Port", "Source_Port")));
  }
  return Join(out, ", ");
}

Status CheckNotReplicating(PreflightContext& ctx) {
  // Triggers do not fire for row-based events a replica applies: on a replica (or an
  // intermediate primary, one of a master-master pair) the writes arriving from upstream would
  // never reach the new table. Unless MariaDB fires them (slave_run_triggers_for_rbr), or the DBA
  // states that the channel brings no writes to this table (--upstream-writes).
  StatusOr<ResultSet> rs = ReplicationStatus(ctx.session);
  if (!rs.ok()) {
    return RefusedError("cannot tell whether this server replicates from another (" +
                        rs.status().message() +
                        "); grant REPLICATION CLIENT (MySQL) or SLAVE MONITOR (MariaDB)");
  }
  if (rs->empty()) return Status::Ok();
  const std::string upstream = Upstreams(*rs);
  const std::string& mode = ctx.config.upstream_writes;
  if (mode == "none") {
    LogWarning("this server replicates from " + upstream +
               "; by --upstream-writes none, no write to the table arrives that way (one that "
               "does reaches no trigger: verification stops the run if it sees one, a later one "
               "is lost at the swap)");
    return Status::Ok();
  }
  if (mode == "fire-triggers") {
    if (ctx.session.flavor() != ServerFlavor::kMariaDB) {
      return RefusedError("this server replicates from " + upstream +
                          ", and MySQL fires no triggers for the row events a replica applies; "
                          "--upstream-writes fire-triggers is for MariaDB (give "
                          "--upstream-writes none if that channel brings no writes to the table)");
    }
    SA_ASSIGN_OR_RETURN(ResultSet v, ctx.session.Query(RunTriggersForRbrQuery()));
    const std::string setting = v.Scalar().value_or("NO");
    if (setting == "NO") {
      return RefusedError(
          "this server replicates from " + upstream +
          " with slave_run_triggers_for_rbr = NO: the row events it applies fire no triggers; "
          "set it to YES (SET GLOBAL slave_run_triggers_for_rbr = YES, then STOP SLAVE; START "
          "SLAVE) or give --upstream-writes none if that channel brings no writes to the table");
    }
    LogWarning("this server replicates from " + upstream +
               "; slave_run_triggers_for_rbr = " + setting +
               " makes the row events it applies fire the triggers, so those writes "
               "reach the new table too (--upstream-writes fire-triggers)");
    return Status::Ok();
  }
  return RefusedError(
      "this server replicates from " + upstream +
      "; triggers miss the row events it applies, so writes arriving that way would never reach "
      "the new table: run shadowalter against the primary, or, on MariaDB with "
      "slave_run_triggers_for_rbr = YES, give --upstream-writes fire-triggers, or, if that "
      "channel brings no writes to this table (a stale replication setting, the passive side of "
      "a master-master pair), give --upstream-writes none");
}

Status CheckPrivileges(PreflightContext& ctx) {
  SA_ASSIGN_OR_RETURN(ResultSet rs, ctx.session.Query(ShowGrants()));
  std::vector<Grant> grants;
  for (const auto& row : rs.rows) {
    if (!row.empty() && row[0]) {
      if (std::optional<Grant> g = ParseGrant(*row[0])) grants.push_back(std::move(*g));
    }
  }
  // LOCK TABLES: the swap's checks run under the table's write lock (migration/trigger_cutover.h).
  std::vector<std::string> schema_needs = {"SELECT", "INSERT", "UPDATE",  "DELETE",     "CREATE",
                                           "DROP",   "ALTER",  "TRIGGER", "LOCK TABLES"};
  // MySQL checks REFERENCES when the new table is created with the original's foreign keys.
  if (ctx.session.flavor() == ServerFlavor::kMySQL &&
      ctx.table.create_statement.find(" FOREIGN KEY ") != std::string::npos) {
    schema_needs.push_back("REFERENCES");
  }
  std::vector<std::string> global_needs;
  // Without PROCESS the replicas' dump threads are invisible, and discovery would find none.
  if (ctx.config.recursion_method != "none") global_needs.push_back("PROCESS");
  SA_ASSIGN_OR_RETURN(ResultSet vars, ctx.session.Query(BinlogTrustQuery()));
  const bool binlog = !vars.empty() && vars.rows[0][0].value_or("0") == "1";
  const bool trusted = !vars.empty() && vars.rows[0][1].value_or("0") == "1";
  if (binlog && !trusted) global_needs.push_back("SUPER");

  std::vector<std::string> missing;
  for (const std::string& p : MissingPrivileges(grants, ctx.table.schema, schema_needs, false)) {
    missing.push_back(p + " on " + QuoteIdentifier(ctx.table.schema) + ".*");
  }
  for (const std::string& p : MissingPrivileges(grants, ctx.table.schema, global_needs, true)) {
    missing.push_back(p + " on *.*" +
                      (p == "SUPER" ? " (CREATE TRIGGER with binary logging on; or set "
                                      "log_bin_trust_function_creators = 1 instead)"
                                    : ""));
  }
  if (missing.empty()) return Status::Ok();
  return RefusedError("the account lacks " + Join(missing, ", ") +
                      "; grant them as sql/grants.sql shows (or --skip-check privileges if "
                      "they come from a role SHOW GRANTS does not list)");
}

Status CheckBinlogFormat(PreflightContext& ctx) {
  std::vector<std::pair<std::string, Session*>> servers = {{"the primary", &ctx.session}};
  for (const ReplicaSession& r : ctx.replicas) servers.emplace_back("replica " + r.name, r.session);
  std::vector<std::string> statement_based;
  for (const auto& [name, session] : servers) {
    SA_ASSIGN_OR_RETURN(ResultSet rs, session->Query(BinlogFormatQuery()));
    if (rs.empty() || rs.rows[0][0].value_or("0") != "1") continue;  // no binary log
    if (AsciiLower(rs.rows[0][1].value_or("")) == "statement") statement_based.push_back(name);
  }
  if (statement_based.empty()) return Status::Ok();
  return RefusedError("binlog_format is STATEMENT on " + Join(statement_based, ", ") +
                      ": the copy's INSERT ... SELECT is unsafe to log as a statement, and a "
                      "replica can't log the row events it applies that way; set binlog_format "
                      "to ROW (or MIXED) there");
}

Status CheckReplicationFilters(PreflightContext& ctx) {
  std::vector<std::string> found;
  // The primary's own binary-log filters (SHOW BINARY LOG STATUS on MySQL 8.4 and later).
  StatusOr<ResultSet> master = ctx.session.Query(BinaryLogStatusQuery());
  if (!master.ok()) master = ctx.session.Query(NewBinaryLogStatusQuery());
  if (master.ok() && !master->empty()) {
    for (const std::string& f : NonEmptyColumns(*master, 0, {"Binlog_Do_DB", "Binlog_Ignore_DB"})) {
      found.push_back("the primary: " + f);
    }
  }
  static const std::vector<std::string> kFilters = {
      "Replicate_Do_DB",        "Replicate_Ignore_DB",     "Replicate_Do_Table",
      "Replicate_Ignore_Table", "Replicate_Wild_Do_Table", "Replicate_Wild_Ignore_Table",
      "Replicate_Rewrite_DB",   "Replicate_Do_Domain_Ids", "Replicate_Ignore_Domain_Ids"};
  for (const ReplicaSession& r : ctx.replicas) {
    StatusOr<ResultSet> rs = ReplicationStatus(*r.session);
    if (!rs.ok()) {
      return RefusedError("cannot read the replication status of replica " + r.name + " (" +
                          rs.status().message() + ")");
    }
    for (size_t row = 0; row < rs->rows.size(); ++row) {
      for (const std::string& f : NonEmptyColumns(*rs, row, kFilters)) {
        found.push_back("replica " + r.name + ": " + f);
      }
    }
  }
  if (found.empty()) return Status::Ok();
  return RefusedError("replication is filtered (" + Join(found, "; ") +
                      "): a filter can drop the new table, the triggers' writes or the swap on "
                      "a replica while it applies the rest; remove the filters, or "
                      "--skip-check replication-filters if none of them can match this schema");
}

Status CheckFreeSpace(PreflightContext& ctx) {
  StatusOr<ResultSet> disks = ctx.session.Query(DisksQuery());
  if (!disks.ok()) {
    LogInfo(
        "free space not checked: the server can't tell (MariaDB's DISKS plugin is not "
        "loaded, or this is MySQL)");
    return Status::Ok();
  }
  std::vector<DiskSpace> mounts;
  for (const auto& row : disks->rows) {
    // DISKS reports kilobytes.
    mounts.push_back({row[0].value_or(""), std::stoull(row[1].value_or("0")) * 1024});
  }
  SA_ASSIGN_OR_RETURN(ResultSet vars, ctx.session.Query(DatadirQuery()));
  const std::string datadir = vars.rows[0][0].value_or("");
  const std::optional<DiskSpace> disk = DiskHolding(mounts, datadir);
  if (!disk) {
    LogInfo("free space not checked: no file system the server reports holds " + datadir);
    return Status::Ok();
  }
  const uint64_t needed =
      BytesNeededForCopy(ctx.table.estimated_bytes, vars.rows[0][1].value_or("0") == "1");
  LogInfo("free space: " + Megabytes(disk->available_bytes) + " available on " + disk->path +
          ", the copy needs about " + Megabytes(needed));
  if (disk->available_bytes >= needed) return Status::Ok();
  return RefusedError("the copy needs about " + Megabytes(needed) +
                      " (the table, and as much again in binary logs when they are on) but only " +
                      Megabytes(disk->available_bytes) + " are free on " + disk->path +
                      "; free some space, or --skip-check free-space");
}

Status CheckTableExists(PreflightContext& ctx) {
  const std::string& schema = ctx.config.conn.database;
  const std::string& table = ctx.config.conn.table;
  SA_ASSIGN_OR_RETURN(ResultSet t, ctx.session.Query(TableSummaryQuery(schema, table)));
  if (t.empty()) {
    return RefusedError("table " + QualifiedName(schema, table) +
                        " does not exist: check the D= and t= parts of the DSN");
  }
  const std::string type = t.rows[0].size() > 2 ? t.rows[0][2].value_or("") : "";
  if (type != "BASE TABLE") {
    return RefusedError(QualifiedName(schema, table) + " is a " + type + ", not a base table");
  }
  return Status::Ok();
}

Status CheckCopyCanBePlanned(PreflightContext& ctx) {
  SA_ASSIGN_OR_RETURN(std::vector<ColumnPair> columns,
                      MapColumns(ctx.table, *ctx.new_table, *ctx.alter));
  SA_RETURN_IF_ERROR(ImplicitFills(*ctx.new_table, columns).status());
  SA_RETURN_IF_ERROR(NewTableCanBeMirrored(ctx.table, *ctx.new_table));
  return ChooseChunkKey(ctx.table, *ctx.new_table, columns).status();
}

Status RunPreflight(PreflightContext& ctx, PreflightStage stage) {
  // The later stages judge inside a phase of the run, with its artifacts in place: their first
  // failure is the phase's, in its own words and with its own code.
  const bool gathers =
      stage == PreflightStage::kBeforeCreating || stage == PreflightStage::kNewTableAltered;
  std::vector<std::string> failures;
  const std::vector<std::string>& skipped = ctx.config.skip_checks;
  for (const PreflightCheck& check : PreflightChecks()) {
    if (check.stage != stage) continue;
    if (!gathers) {
      SA_RETURN_IF_ERROR(check.run(ctx));
      continue;
    }
    if (std::find(skipped.begin(), skipped.end(), check.name) != skipped.end()) {
      LogWarning("preflight " + check.name + ": skipped (--skip-check " + check.name + ")");
      continue;
    }
    Status s = check.run(ctx);
    if (s.ok()) {
      LogDebug("preflight " + check.name + ": ok");
      continue;
    }
    failures.push_back(check.name + ": " + s.message());
  }
  if (failures.empty()) return Status::Ok();
  return RefusedError(Join(failures, "; "));
}

}  // namespace shadowalter
