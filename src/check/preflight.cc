#include "check/preflight.h"

#include "db/quote.h"
#include "inspect/inspector.h"
#include "report/log.h"
#include "util/strings.h"

namespace shadowalter {

const std::vector<PreflightCheck>& PreflightChecks() {
  static const std::vector<PreflightCheck> kChecks = {
      {"engine", CheckEngineIsInnoDB},
      {"chunk key", CheckHasWalkableKey},
      {"triggers", CheckNoOwnTriggers},
      {"foreign keys", CheckNoChildForeignKeys},
      {"leftovers", CheckNoLeftoverArtifacts},
      {"replication", CheckNotReplicating},
  };
  return kChecks;
}

Status CheckEngineIsInnoDB(PreflightContext& ctx) {
  if (AsciiLower(ctx.table.engine) == "innodb") return Status::Ok();
  return RefusedError("the table uses the " + ctx.table.engine +
                      " engine; only InnoDB gives the transactions and row locks an online copy "
                      "needs");
}

Status CheckHasWalkableKey(PreflightContext& ctx) {
  for (const Index& idx : ctx.table.indexes) {
    if (!idx.unique || idx.has_prefix) continue;
    bool not_null = true;
    for (const std::string& c : idx.columns) {
      const Column* col = ctx.table.FindColumn(c);
      if (col == nullptr || col->nullable) not_null = false;
    }
    if (not_null) return Status::Ok();
  }
  return RefusedError("the table has no primary key and no unique key on NOT NULL columns; add "
                      "one first (rows without a unique key can't be copied exactly)");
}

Status CheckNoOwnTriggers(PreflightContext& ctx) {
  if (ctx.table.triggers.empty()) return Status::Ok();
  std::vector<std::string> names;
  for (const Trigger& t : ctx.table.triggers) names.push_back(QuoteIdentifier(t.name));
  if (ctx.preserve_triggers) {
    LogInfo("the table's own triggers (" + Join(names, ", ") +
            ") keep firing during the copy and move to the new table at the swap");
    return Status::Ok();
  }
  return RefusedError("the table has triggers of its own (" + Join(names, ", ") +
                      "); run with --preserve-triggers to carry them over to the new table at "
                      "the swap (under a brief write lock), or drop them first");
}

Status CheckNoChildForeignKeys(PreflightContext& ctx) {
  if (ctx.table.referenced_by.empty()) return Status::Ok();
  std::vector<std::string> refs;
  for (const ForeignKeyRef& fk : ctx.table.referenced_by) {
    refs.push_back(QualifiedName(fk.child_schema, fk.child_table) + " (" +
                   QuoteIdentifier(fk.constraint_name) + ")");
  }
  return RefusedError("other tables reference this one with foreign keys (" + Join(refs, ", ") +
                      "); after the swap they would point at the old table, so shadowalter "
                      "refuses");
}

Status CheckNoLeftoverArtifacts(PreflightContext& ctx) {
  std::vector<std::string> found;
  for (const std::string* t :
       {&ctx.names.shadow_table, &ctx.names.old_table, &ctx.names.heartbeat_table,
        &ctx.names.trigger_check_table}) {
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
                      " behind; another run may still be working on this table. If none is, "
                      "drop the triggers first, then the tables, and run again");
}

Status CheckNotReplicating(PreflightContext& ctx) {
  // Triggers do not fire for row-based events a replica applies: on a replica (or an
  // intermediate primary) the writes arriving from upstream would never reach the new table.
  const bool maria = ctx.session.flavor() == ServerFlavor::kMariaDB;
  StatusOr<ResultSet> rs = ctx.session.Query(maria ? "SHOW ALL SLAVES STATUS" : "SHOW REPLICA STATUS");
  if (!rs.ok() && !maria) rs = ctx.session.Query("SHOW SLAVE STATUS");
  if (!rs.ok()) {
    return RefusedError("cannot tell whether this server replicates from another (" +
                        rs.status().message() +
                        "); grant REPLICATION CLIENT (MySQL) or SLAVE MONITOR (MariaDB)");
  }
  if (rs->empty()) return Status::Ok();
  return RefusedError("this server is a replica; triggers miss the row events it applies, so run "
                      "shadowalter against the primary");
}

Status RunPreflight(PreflightContext& ctx) {
  std::vector<std::string> failures;
  for (const PreflightCheck& check : PreflightChecks()) {
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
