// Reads a table's definition from the server into schema/ structs. Read-only: never changes
// anything on the server.
#pragma once

#include <string>

#include "db/session.h"
#include "schema/table.h"
#include "sql/trigger_restore.h"
#include "util/status.h"

namespace shadowalter {

// Whether the table exists (a missing table is not an error here).
StatusOr<bool> TableExists(Session& session, const std::string& schema, const std::string& table);
// The table's storage engine as information_schema.TABLES.ENGINE names it ("" for a view);
// an error when the table does not exist.
StatusOr<std::string> TableEngine(Session& session, const std::string& schema,
                                  const std::string& table);

// Columns, indexes, triggers, child foreign keys, the CREATE statement and the row estimate.
// A missing table is Code::kRefused naming it.
StatusOr<TableInfo> InspectTable(Session& session, const std::string& schema,
                                 const std::string& table);

// The table's triggers in firing order per timing and event, each with what recreating it needs.
// The InnoDB table ids of the table and its partitions, as one text (sql/inspect_queries.h): a
// TRUNCATE, a rebuild (OPTIMIZE, ALTER ... FORCE) or TRUNCATE PARTITION changes it. "" when it
// can't be read (a name that is no plain identifier, no privilege).
std::string InnodbTableIds(Session& session, const std::string& schema, const std::string& table);

StatusOr<std::vector<Trigger>> InspectTriggers(Session& session, const std::string& schema,
                                               const std::string& table);

// Names of triggers in the schema whose names are among `names` (to find leftovers).
StatusOr<std::vector<std::string>> ExistingTriggers(Session& session, const std::string& schema,
                                                    const std::vector<std::string>& names);

// Where each trigger of the schema named in `names` is now: its table, timing, event and order.
StatusOr<std::vector<TriggerPlace>> LocateTriggers(Session& session, const std::string& schema,
                                                   const std::vector<std::string>& names);

}  // namespace shadowalter
