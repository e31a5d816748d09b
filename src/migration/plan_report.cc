// The dry run's report: what --execute would do, statement by statement. Printed to stdout so a
// runbook can keep it; nothing here touches the server.
#include <iostream>

#include "db/quote.h"
#include "migration/migration.h"
#include "sql/cutover.h"
#include "sql/ddl.h"
#include "sql/triggers.h"
#include "util/strings.h"

namespace shadowalter {

Status Migration::ReportPlan() {
  std::ostream& out = std::cout;
  out << "Plan for " << QualifiedName(config_.conn.database, config_.conn.table) << " (~"
      << original_.estimated_rows << " rows)\n";
  out << "Chunk key: " << QuoteIdentifier(copy_spec_.key.index_name) << " ("
      << Join(SourceKeyNames(copy_spec_.key), ", ") << "), "
      << (config_.chunk_size_fixed
              ? std::to_string(config_.chunk_size) + " rows per chunk"
              : "first chunk " + std::to_string(config_.chunk_size) +
                    " rows, then sized to take " + ShortNumber(config_.chunk_time) + " s each")
      << "\n";
  out << "Columns copied (original -> new):\n";
  for (const ColumnPair& p : copy_spec_.columns) {
    out << "  " << QuoteIdentifier(p.source) << " -> " << QuoteIdentifier(p.target) << "\n";
  }
  for (const std::string& d : alter_.dropped_columns) out << "  dropped: " << QuoteIdentifier(d) << "\n";
  const TriggerStatements triggers =
      BuildTriggers(TriggerSpec{config_.conn.database, config_.conn.table, names_.shadow_table,
                                copy_spec_.columns, copy_spec_.key, original_.triggers});
  // The first chunk as it would run now (a plain read: nothing is locked by a dry run).
  ChunkRange first{std::nullopt, std::nullopt};
  auto bound = ddl_->Query(NthKeyAfter(copy_spec_, std::nullopt, config_.chunk_size));
  if (bound.ok() && !bound->empty()) {
    KeyTuple k;
    for (const auto& v : bound->rows[0]) k.push_back(v.value_or(""));
    first.through = k;
  }
  if (CarriesOwnTriggers()) {
    out << "Triggers carried over to the new table at the swap (same name, definer, body, "
           "sql_mode, character set and order):\n";
    for (const Trigger& t : original_.triggers) {
      out << "  " << QuoteIdentifier(t.name) << " " << t.timing << " " << t.event << " (order "
          << t.action_order << ", definer " << t.definer << ")\n";
    }
  }
  out << "Statements --execute would run:\n";
  const std::vector<std::string> statements = {
      "CREATE TABLE " + QualifiedName(config_.conn.database, names_.shadow_table) +
          " ... (from SHOW CREATE TABLE)",
      AlterStatement(config_.conn.database, names_.shadow_table, alter_clauses_),
      triggers.create_insert,
      triggers.create_update,
      triggers.create_delete,
      "-- per chunk, in one transaction (the first chunk shown; sizes adapt to --chunk-time):",
      LockNextChunk(copy_spec_, std::nullopt, config_.chunk_size),
      ClearChunkInShadow(copy_spec_, first),
      CopyChunk(copy_spec_, first),
      "COMMIT",
      config_.verify ? "-- verification: per chunk, in a consistent snapshot, COUNT(*) and a "
                       "checksum of both tables"
                     : "-- verification skipped (--no-verify)",
  };
  std::vector<std::string> swap;
  if (CarriesOwnTriggers()) {
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
  } else {
    swap.push_back(SwapStatement(config_.conn.database, config_.conn.table, names_.old_table,
                                 names_.shadow_table));
  }
  const std::vector<std::string> after = {
      DropTriggerStatement(config_.conn.database, names_.insert_trigger),
      DropTriggerStatement(config_.conn.database, names_.update_trigger),
      DropTriggerStatement(config_.conn.database, names_.delete_trigger),
      config_.drop_old_table ? DropTableStatement(config_.conn.database, names_.old_table)
                             : "-- keeping " + QuoteIdentifier(names_.old_table),
  };
  for (const std::vector<std::string>* list :
       std::initializer_list<const std::vector<std::string>*>{&statements, &swap, &after}) {
    for (const auto& s : *list) out << "  " << s << (s.rfind("--", 0) == 0 ? "" : ";") << "\n";
  }
  out.flush();
  return Status::Ok();
}


}  // namespace shadowalter
