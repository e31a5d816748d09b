// The dry run's report: what --execute would do, statement by statement. Printed to stdout so a
// runbook can keep it (to stderr with --output json, where stdout carries only events); nothing
// here touches the server.
#include <iostream>

#include "db/quote.h"
#include "migration/migration.h"
#include "sql/cutover.h"
#include "sql/ddl.h"
#include "sql/foreign_keys.h"
#include "sql/triggers.h"
#include "util/strings.h"

namespace shadowalter {

Status Migration::ReportPlan() {
  std::ostream& out = config_.output == OutputFormat::kJson ? std::cerr : std::cout;
  out << "Plan for " << QualifiedName(config_.conn.database, config_.conn.table) << " (~"
      << original_.estimated_rows << " rows)\n";
  if (instant_refusal_.empty()) {
    out << "Path: instant. The server accepts " +
               InstantAlterStatement(config_.conn.database, config_.conn.table, alter_clauses_) +
               " (metadata only, no copy); --execute runs it under the same short lock wait, "
               "and copies as planned below only if the server refuses it on the original\n";
  } else {
    out << "Path: copy (not instant: " << instant_refusal_ << ")\n";
  }
  out << "Chunk key: " << QuoteIdentifier(copy_spec_.key.index_name) << " ("
      << Join(SourceKeyNames(copy_spec_.key), ", ") << "), "
      << (config_.chunk_size_fixed
              ? std::to_string(config_.chunk_size) + " rows per chunk"
              : "first chunk " + std::to_string(config_.chunk_size) + " rows, then sized to take " +
                    ShortNumber(config_.chunk_time) + " s each")
      << "\n";
  out << "Columns copied (original -> new):\n";
  for (const ColumnPair& p : copy_spec_.columns) {
    out << "  " << QuoteIdentifier(p.source) << " -> " << QuoteIdentifier(p.target) << "\n";
  }
  for (const std::string& d : alter_.dropped_columns)
    out << "  dropped: " << QuoteIdentifier(d) << "\n";
  const TriggerStatements triggers = BuildTriggers(
      TriggerSpec{config_.conn.database, config_.conn.table, names_.shadow_table,
                  copy_spec_.columns, copy_spec_.key, original_.triggers, names_.refusals_table});
  // The first chunk as it would run now (a plain read: nothing is locked by a dry run).
  ChunkRange first{std::nullopt, std::nullopt};
  auto bound = ddl_->Query(NthKeyAfter(copy_spec_, std::nullopt, config_.chunk_size));
  if (bound.ok() && !bound->empty()) {
    KeyTuple k;
    for (const auto& v : bound->rows[0]) k.push_back(v.value_or(""));
    first.through = k;
  }
  if (!original_.referenced_by.empty()) {
    out << "Child foreign keys (method " << ForeignKeyMethodName(cutover_.foreign_key_method())
        << "):\n";
    for (const ForeignKeyRef& fk : original_.referenced_by) {
      out << "  " << QualifiedName(fk.child_schema, fk.child_table) << " "
          << QuoteIdentifier(fk.constraint_name) << " ON DELETE " << fk.on_delete << " ON UPDATE "
          << fk.on_update << "\n";
    }
  }
  std::vector<std::string> before_swap, swap;  // filled below; printed between copy and after_swap
  if (cutover_.foreign_key_method() == ForeignKeyMethod::kRebuildConstraints) {
    before_swap.push_back("-- repoint each child to the new table (name restored after the swap):");
    for (const ForeignKeyRef& fk : original_.referenced_by) {
      SA_ASSIGN_OR_RETURN(auto statements, cutover_.RepointStatements(fk));
      before_swap.push_back(statements.first);
    }
  }
  if (cutover_.foreign_key_method() == ForeignKeyMethod::kDropSwap) {
    swap = {LockTablesForDropSwap(config_.conn.database, config_.conn.table, names_.shadow_table,
                                  original_.referenced_by),
            "-- drop_swap: the table does not exist between these two, and there is no rollback",
            DropTableWithoutForeignKeyChecks(config_.conn.database, config_.conn.table),
            RenameTableStatement(config_.conn.database, names_.shadow_table, config_.conn.table),
            UnlockTables()};
  } else {
    swap = {SwapStatement(config_.conn.database, config_.conn.table, names_.old_table,
                          names_.shadow_table)};
  }
  if (CarriesOwnTriggers()) {
    out << "Triggers carried over to the new table at the swap (same name, definer, body, "
           "sql_mode, character set and order):\n";
    for (const Trigger& t : original_.triggers) {
      out << "  " << QuoteIdentifier(t.name) << " " << t.timing << " " << t.event << " (order "
          << t.action_order << ", definer " << t.definer << ")\n";
    }
  }
  if (copy_spec_.key.matches_row_by_row()) {
    out << "The new table does not compare key " << QuoteIdentifier(copy_spec_.key.index_name)
        << " as the original does, or has no unique key on its columns: the copy, the triggers "
           "and the verification find each row there through its key "
        << QuoteIdentifier(copy_spec_.key.shadow_index_name)
        << ", by the values the ALTER converts them to (text compared byte for byte), and the "
           "verification also compares both tables' row counts\n";
  }
  out << "Statements --execute would run:\n";
  const std::vector<std::string> copy = {
      "CREATE TABLE " + QualifiedName(config_.conn.database, names_.shadow_table) +
          " ... (from SHOW CREATE TABLE)",
      AlterStatement(config_.conn.database, names_.shadow_table, alter_clauses_),
      triggers.create_insert,
      triggers.create_update,
      triggers.create_delete,
      "-- per transaction of a chunk (the first shown; sizes adapt to --chunk-time):",
      LockNextChunk(copy_spec_, std::nullopt, config_.chunk_size),
      ShadowKeysInRange(copy_spec_, first),
      "-- DELETE FROM the new table the keys that returned, by exact key, if any",
      CopyChunk(copy_spec_, first),
      "COMMIT",
      config_.threads > 1
          ? "-- --threads " + std::to_string(config_.threads) +
                ": a chunk's ranges are chosen first; each session then locks its own with " +
                LockRange(copy_spec_, first)
          : "-- one session copies (--threads 1)",
      config_.verify ? "-- verification: per chunk, in a consistent snapshot, COUNT(*) and a "
                       "checksum of both tables"
                     : "-- verification skipped (--no-verify)",
  };
  if (CarriesOwnTriggers()) {
    swap.clear();
    const std::string& db = config_.conn.database;
    swap.push_back("-- the swap keeping the table's own triggers: session A takes the write lock");
    swap.push_back(LockTableWrite(db, config_.conn.table));
    for (const std::string* t :
         {&names_.insert_trigger, &names_.update_trigger, &names_.delete_trigger}) {
      swap.push_back(DropTriggerStatement(db, *t));
    }
    for (auto it = original_.triggers.rbegin(); it != original_.triggers.rend(); ++it) {
      swap.push_back(DropTriggerStatement(db, it->name));
    }
    swap.push_back("-- session B queues for the lock; A releases it, B gets it before any writer");
    swap.push_back(LockTableWrite(db, config_.conn.table));
    swap.push_back(UnlockTables());
    swap.push_back("-- session A, each under the trigger's own sql_mode and character set:");
    for (const Trigger& t : original_.triggers) {
      swap.push_back(CreateTriggerOn(db, names_.shadow_table, t));
    }
    swap.push_back("-- session A queues the RENAME; B releases the lock, the RENAME goes first");
    swap.push_back(SwapStatement(db, config_.conn.table, names_.old_table, names_.shadow_table));
    swap.push_back(UnlockTables());
  }
  const std::vector<std::string> after_swap = {
      DropTriggerStatement(config_.conn.database, names_.insert_trigger),
      DropTriggerStatement(config_.conn.database, names_.update_trigger),
      DropTriggerStatement(config_.conn.database, names_.delete_trigger),
      config_.drop_old_table ? DropTableStatement(config_.conn.database, names_.old_table)
                             : "-- keeping " + QuoteIdentifier(names_.old_table),
  };
  std::vector<std::string> all = copy;
  all.insert(all.end(), before_swap.begin(), before_swap.end());
  all.insert(all.end(), swap.begin(), swap.end());
  all.insert(all.end(), after_swap.begin(), after_swap.end());
  for (const auto& s : all) out << "  " << s << (s.rfind("--", 0) == 0 ? "" : ";") << "\n";
  out.flush();
  return Status::Ok();
}

}  // namespace shadowalter
