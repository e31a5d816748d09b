// The dry run's report: what --execute would do, statement by statement. Printed to stdout so a
// runbook can keep it (to stderr with --output json, where stdout carries the same as a `plan`
// event); nothing here changes the server.
#include <algorithm>
#include <iostream>

#include "check/preflight.h"
#include "db/quote.h"
#include "migration/migration.h"
#include "sql/cutover.h"
#include "sql/ddl.h"
#include "sql/foreign_keys.h"
#include "sql/session_statements.h"
#include "sql/triggers.h"
#include "util/strings.h"

namespace shadowalter {

namespace {

// What the plan is made from; all filled by the phases before report_plan.
struct PlanParts {
  const Config& config;
  const ArtifactNames& names;
  const TableInfo& original;
  const CopySpec& spec;
  const AlterAnalysis& alter;
  const std::string& alter_clauses;
  const std::string& instant_refusal;  // empty: the new table took ALGORITHM=INSTANT
  const Cutover& cutover;
};

void PrintPathAndChunking(std::ostream& out, const PlanParts& p) {
  const Config& c = p.config;
  out << "Plan for " << QualifiedName(c.conn.database, c.conn.table) << " (~"
      << p.original.estimated_rows << " rows)\n";
  if (p.instant_refusal.empty()) {
    out << "Path: instant. The server accepts " +
               InstantAlterStatement(c.conn.database, c.conn.table, p.alter_clauses) +
               " (metadata only, no copy); --execute runs it under the same short lock wait, "
               "and copies as planned below only if the server refuses it on the original\n";
  } else {
    out << "Path: copy (not instant: " << p.instant_refusal << ")\n";
  }
  out << "Chunk key: " << QuoteIdentifier(p.spec.key.index_name) << " ("
      << Join(SourceKeyNames(p.spec.key), ", ") << "), "
      << (c.chunk_size_fixed
              ? std::to_string(c.chunk_size) + " rows per chunk"
              : "first chunk " + std::to_string(c.chunk_size) + " rows, then sized to take " +
                    ShortNumber(c.chunk_time) + " s each")
      << "\n";
  out << "Columns copied (original -> new):\n";
  for (const ColumnPair& pair : p.spec.columns) {
    out << "  " << QuoteIdentifier(pair.source) << " -> " << QuoteIdentifier(pair.target) << "\n";
  }
  for (const std::string& d : p.alter.dropped_columns) {
    out << "  dropped: " << QuoteIdentifier(d) << "\n";
  }
}

// Children's foreign keys, the table's own triggers carried over, and matching row by row.
void PrintWhatTheCutoverCarries(std::ostream& out, const PlanParts& p) {
  if (!p.original.referenced_by.empty()) {
    out << "Child foreign keys (method " << ForeignKeyMethodName(p.cutover.foreign_key_method())
        << "):\n";
    for (const ForeignKeyRef& fk : p.original.referenced_by) {
      out << "  " << QualifiedName(fk.child_schema, fk.child_table) << " "
          << QuoteIdentifier(fk.constraint_name) << " ON DELETE " << fk.on_delete << " ON UPDATE "
          << fk.on_update << "\n";
    }
  }
  if (p.cutover.CarriesOwnTriggers()) {
    out << "Triggers carried over to the new table at the swap (same name, definer, body, "
           "sql_mode, character set and order):\n";
    for (const Trigger& t : p.original.triggers) {
      out << "  " << QuoteIdentifier(t.name) << " " << t.timing << " " << t.event << " (order "
          << t.action_order << ", definer " << t.definer << ")\n";
    }
  }
  if (p.spec.key.matches_row_by_row()) {
    out << "The new table does not compare key " << QuoteIdentifier(p.spec.key.index_name)
        << " as the original does, or has no unique key on its columns: the copy, the triggers "
           "and the verification find each row there through its key "
        << QuoteIdentifier(p.spec.key.shadow_index_name)
        << ", by the values the ALTER converts them to (text compared byte for byte), and the "
           "verification also compares both tables' row counts\n";
  }
}

// The new table, its triggers, and one chunk's transaction (`first`: the first chunk now).
std::vector<std::string> CopyStatements(const PlanParts& p, const ChunkRange& first) {
  const Config& c = p.config;
  const TriggerStatements triggers = BuildTriggers(
      TriggerSpec{c.conn.database, c.conn.table, p.names.shadow_table, p.spec.columns, p.spec.key,
                  p.original.triggers, p.names.refusals_table, p.spec.fills});
  return {
      "CREATE TABLE " + QualifiedName(c.conn.database, p.names.shadow_table) +
          " ... (from SHOW CREATE TABLE)",
      AlterStatement(c.conn.database, p.names.shadow_table, p.alter_clauses),
      triggers.create_insert,
      triggers.create_update,
      triggers.create_delete,
      "-- per transaction of a chunk (the first shown; sizes adapt to --chunk-time):",
      LockNextChunk(p.spec, std::nullopt, c.chunk_size),
      ShadowKeysInRange(p.spec, first),
      "-- DELETE FROM the new table the keys that returned, by exact key, if any",
      CopyChunk(p.spec, first),
      CommitTransaction(),
      c.threads > 1 ? "-- --threads " + std::to_string(c.threads) +
                          ": a chunk's ranges are chosen first; each session then locks its own "
                          "with " +
                          LockRange(p.spec, first)
                    : "-- one session copies (--threads 1)",
      c.verify ? "-- verification: per chunk, in a consistent snapshot, COUNT(*) and a "
                 "checksum of both tables"
               : "-- verification skipped (--no-verify)",
  };
}

// The swap keeping the table's own triggers (migration/trigger_cutover.h), session by session.
std::vector<std::string> OwnTriggerSwapStatements(const PlanParts& p) {
  const std::string& db = p.config.conn.database;
  const std::string& table = p.config.conn.table;
  std::vector<std::string> swap;
  swap.push_back("-- the swap keeping the table's own triggers: session A takes the write lock");
  swap.push_back(LockTableWrite(db, table));
  for (const std::string* t :
       {&p.names.insert_trigger, &p.names.update_trigger, &p.names.delete_trigger}) {
    swap.push_back(DropTriggerStatement(db, *t));
  }
  for (auto it = p.original.triggers.rbegin(); it != p.original.triggers.rend(); ++it) {
    swap.push_back(DropTriggerStatement(db, it->name));
  }
  swap.push_back("-- session B queues for the lock; A releases it, B gets it before any writer");
  swap.push_back(LockTableWrite(db, table));
  swap.push_back(UnlockTables());
  swap.push_back("-- session A, each under the trigger's own sql_mode and character set:");
  for (const Trigger& t : p.original.triggers) {
    swap.push_back(CreateTriggerOn(db, p.names.shadow_table, t));
  }
  swap.push_back("-- session A queues the RENAME; B releases the lock, the RENAME goes first");
  swap.push_back(SwapStatement(db, table, p.names.old_table, p.names.shadow_table));
  swap.push_back(UnlockTables());
  return swap;
}

// Repointing the children (rebuild_constraints), the swap, and the steps after it.
StatusOr<std::vector<std::string>> CutoverStatements(const PlanParts& p) {
  const std::string& db = p.config.conn.database;
  const std::string& table = p.config.conn.table;
  std::vector<std::string> out;
  const ForeignKeyMethod fk = p.cutover.foreign_key_method();
  if (fk == ForeignKeyMethod::kRebuildConstraints) {
    out.push_back("-- repoint each child to the new table (name restored after the swap):");
    for (const ForeignKeyRef& ref : p.original.referenced_by) {
      SA_ASSIGN_OR_RETURN(auto statements, p.cutover.RepointStatements(ref));
      out.push_back(statements.first);
    }
  }
  std::vector<std::string> swap;
  if (p.cutover.CarriesOwnTriggers()) {
    swap = OwnTriggerSwapStatements(p);
  } else if (fk == ForeignKeyMethod::kDropSwap) {
    swap = {LockTablesForDropSwap(db, table, p.names.shadow_table, p.original.referenced_by),
            "-- drop_swap: the table does not exist between these two, and there is no rollback",
            DropTableWithoutForeignKeyChecks(db, table),
            RenameTableStatement(db, p.names.shadow_table, table), UnlockTables()};
  } else if (const std::optional<ReverseSide>& reverse = p.cutover.reverse_side()) {
    swap.push_back("-- --revertible: before the swap, the log of writes the old table refuses");
    swap.push_back(reverse->refusal_log_create);
    swap.push_back(
        "-- under the write lock: the mirror triggers are dropped, then the reverse "
        "triggers, on the new table, write into the old table under the name the "
        "RENAME gives it");
    for (const std::string* t :
         {&p.names.insert_trigger, &p.names.update_trigger, &p.names.delete_trigger}) {
      swap.push_back(DropTriggerStatement(db, *t));
    }
    for (const auto& trigger : reverse->triggers) swap.push_back(trigger.second);
    swap.push_back(SwapStatement(db, table, p.names.old_table, p.names.shadow_table));
  } else {
    swap = {SwapStatement(db, table, p.names.old_table, p.names.shadow_table)};
  }
  out.insert(out.end(), swap.begin(), swap.end());
  if (const std::optional<ReverseSide>& reverse = p.cutover.reverse_side()) {
    out.push_back(DropTableStatement(db, p.names.refusals_table));
    out.push_back("-- kept until `shadowalter revert` or `shadowalter finish`: " +
                  QuoteIdentifier(p.names.old_table) + ", the reverse triggers, " +
                  QuoteIdentifier(p.names.reverse_refusals_table) + ", " +
                  QuoteIdentifier(p.names.checkpoint_table));
    out.push_back(
        "-- shadowalter revert (under the write lock, the reverse triggers dropped first):");
    for (const auto& trigger : reverse->triggers) {
      out.push_back(DropTriggerStatement(db, trigger.first));
    }
    out.push_back(SwapStatement(db, table, p.names.shadow_table, p.names.old_table));
    out.push_back(DropTableStatement(db, p.names.shadow_table));
    out.push_back(DropTableStatement(db, p.names.reverse_refusals_table));
    out.push_back("-- shadowalter finish:");
    for (const auto& trigger : reverse->triggers) {
      out.push_back(DropTriggerStatement(db, trigger.first));
    }
    out.push_back(DropTableStatement(db, p.names.old_table));
    out.push_back(DropTableStatement(db, p.names.reverse_refusals_table));
    return out;
  }
  for (const std::string* t :
       {&p.names.insert_trigger, &p.names.update_trigger, &p.names.delete_trigger}) {
    out.push_back(DropTriggerStatement(db, *t));
  }
  out.push_back(p.config.drop_old_table ? DropTableStatement(db, p.names.old_table)
                                        : "-- keeping " + QuoteIdentifier(p.names.old_table));
  return out;
}

// The plan as data, for --output json.
PlanEvent PlanData(const PlanParts& p, std::vector<std::string> statements) {
  PlanEvent e;
  e.path = p.instant_refusal.empty() ? "instant" : "copy";
  e.not_instant_because = p.instant_refusal;
  e.rows_estimated = p.original.estimated_rows;
  e.chunk_key = p.spec.key.index_name;
  e.chunk_key_columns = SourceKeyNames(p.spec.key);
  for (const ColumnPair& pair : p.spec.columns) e.columns.emplace_back(pair.source, pair.target);
  e.dropped_columns = p.alter.dropped_columns;
  if (!p.original.referenced_by.empty()) {
    e.foreign_key_method = ForeignKeyMethodName(p.cutover.foreign_key_method());
  }
  for (const ForeignKeyRef& fk : p.original.referenced_by) {
    e.child_foreign_keys.push_back(QualifiedName(fk.child_schema, fk.child_table) + " " +
                                   QuoteIdentifier(fk.constraint_name));
  }
  if (p.cutover.CarriesOwnTriggers()) {
    for (const Trigger& t : p.original.triggers) e.own_triggers.push_back(t.name);
  }
  e.matches_row_by_row = p.spec.key.matches_row_by_row();
  const std::vector<std::string>& skipped = p.config.skip_checks;
  for (const PreflightCheck& c : PreflightChecks()) {
    if (!c.named_for_skip_check) continue;
    const bool skip = std::find(skipped.begin(), skipped.end(), c.name) != skipped.end();
    (skip ? e.skipped_checks : e.checks).push_back(c.name);
  }
  e.statements = std::move(statements);
  return e;
}

}  // namespace

Status Migration::ReportPlan() {
  std::ostream& out = config_.output == OutputFormat::kJson ? std::cerr : std::cout;
  const PlanParts parts{config_,     plan_.names,         plan_.original,        plan_.copy,
                        plan_.alter, plan_.alter_clauses, plan_.instant_refusal, cutover_};
  // The first chunk as it would run now (a plain read: nothing is locked by a dry run).
  ChunkRange first{std::nullopt, std::nullopt};
  auto bound = sessions_.ddl().Query(NthKeyAfter(plan_.copy, std::nullopt, config_.chunk_size));
  if (bound.ok() && !bound->empty()) {
    KeyTuple k;
    for (const auto& v : bound->rows[0]) k.push_back(v.value_or(""));
    first.through = k;
  }
  PrintPathAndChunking(out, parts);
  PrintWhatTheCutoverCarries(out, parts);
  std::vector<std::string> all = CopyStatements(parts, first);
  SA_ASSIGN_OR_RETURN(std::vector<std::string> cutover, CutoverStatements(parts));
  all.insert(all.end(), cutover.begin(), cutover.end());
  out << "Statements --execute would run:\n";
  for (const auto& s : all) out << "  " << s << (s.rfind("--", 0) == 0 ? "" : ";") << "\n";
  out.flush();
  events_.Plan(PlanData(parts, std::move(all)));
  return Status::Ok();
}

}  // namespace shadowalter
