// The AFTER INSERT / UPDATE / DELETE triggers that mirror every write on the original into the new
// table, inside the writer's own transaction.
//
// Design (see docs/design.md, "How the copy stays correct"):
//  - INSERT: inserts the row into the new table.
//  - UPDATE keeping the key (compared byte for byte, so 'a' -> 'A' under a case-insensitive
//    collation counts as a change): one upsert, INSERT ... ON DUPLICATE KEY UPDATE, guarded so
//    that it only ever updates the row with the same key. No DELETE + REPLACE, and no gap lock
//    on the part of the new table the copy has not reached yet.
//  - UPDATE changing the key: deletes the old key's row, inserts the new one.
//  - DELETE: deletes the row by key.
//  - A write the new table refuses (a duplicate on a key the ALTER added, a value that no longer
//    fits) must not fail the application's statement: a handler skips it and records it in the
//    refusal log (sql/refusals.h), in the same transaction. The new table then differs from the
//    original; verification stops the run if it compares the row afterwards, and the swap refuses
//    while any refusal is not covered by a verification. Never REPLACE, which would delete the
//    other row holding the value.
//  - A value whose type crosses TIMESTAMP is converted between the writer's session time zone and
//    the server's global one (sql/time_zones.h), so it is stored as a native ALTER would store it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "schema/table.h"
#include "sql/column_map.h"
#include "sql/implicit_fills.h"

namespace shadowalter {

// The names of the three mirror triggers.
struct MirrorTriggerNames {
  std::string insert_trigger;
  std::string update_trigger;
  std::string delete_trigger;
};

struct TriggerSpec {
  std::string schema;
  std::string table;         // the original
  std::string shadow_table;  // the new table
  std::vector<ColumnPair> columns;
  ChunkKey key;
  // The table's own triggers (--preserve-triggers). Each mirror trigger is created FOLLOWS the
  // last of them with its event and AFTER timing, so it fires after theirs: the row it mirrors is
  // then final, whatever their AFTER triggers do elsewhere first.
  std::vector<Trigger> own_triggers;
  // The refusal log (sql/refusals.h) the INSERT and UPDATE triggers record refused writes in.
  std::string refusals_table;
  // Columns of the new table no column feeds that need a value (sql/implicit_fills.h): set on
  // every row the triggers insert, never on an update.
  std::vector<ImplicitFill> fills = {};
  // The triggers' names; unset: NamesFor(table)'s insert_trigger, update_trigger, delete_trigger.
  std::optional<MirrorTriggerNames> names = std::nullopt;
};

struct TriggerStatements {
  std::string create_insert;
  std::string create_update;
  std::string create_delete;
};

TriggerStatements BuildTriggers(const TriggerSpec& spec);

// DROP TRIGGER IF EXISTS for one trigger.
std::string DropTriggerStatement(const std::string& schema, const std::string& trigger);

// Server errors a trigger skips instead of failing the application (duplicates, conversions).
const std::vector<unsigned>& TriggerSkippedErrors();

}  // namespace shadowalter
