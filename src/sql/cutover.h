// Statements of the cut-over that carries the table's own triggers over (--preserve-triggers).
// Pure. The sequence and why it is safe: docs/design.md "Tables with triggers of their own" and
// Migration::SwapBehindLock.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schema/table.h"

namespace shadowalter {

// LOCK TABLES `schema`.`table` WRITE: holds off every other session's reads and writes of the
// table (they queue) while its triggers are moved.
std::string LockTableWrite(const std::string& schema, const std::string& table);
std::string UnlockTables();

// CREATE DEFINER=... TRIGGER `schema`.`name` <timing> <event> ON `schema`.`table` FOR EACH ROW
// <body>: `trigger` recreated on `table`. Created in ACTION_ORDER on a table with no other trigger
// of its timing and event, each lands after the previous one: the same relative order. The
// statement must run under TriggerContext(trigger).
std::string CreateTriggerOn(const std::string& schema, const std::string& table,
                            const Trigger& trigger);
// The same, placed right before trigger `precedes` of the same timing and event (PRECEDES: MariaDB
// 10.2.3+, MySQL 5.7.2+; neither keeps the clause in SHOW CREATE TRIGGER's statement).
std::string CreateTriggerOn(const std::string& schema, const std::string& table,
                            const Trigger& trigger, const std::string& precedes);

// SET SESSION sql_mode, character_set_client, collation_connection to what the trigger was
// created with: the server stores them with the trigger (and runs its body under that sql_mode).
std::string TriggerContext(const Trigger& trigger);

// CREATE TABLE `schema`.`table` LIKE `schema`.`like`: a scratch copy to test-create triggers on.
std::string CreateTableLike(const std::string& schema, const std::string& table,
                            const std::string& like);

// The session's current values of the three, as one row, to restore them afterwards.
std::string SessionContextQuery();
std::string RestoreSessionContext(const std::string& sql_mode, const std::string& charset_client,
                                  const std::string& collation_connection);

// The state of connection `id` (information_schema.PROCESSLIST.STATE), to see that the RENAME
// is queued on the table's lock before the lock is released.
std::string ConnectionStateQuery(uint64_t id);
// The state a statement waiting for a metadata lock shows.
inline constexpr const char* kWaitingForMetadataLock = "Waiting for table metadata lock";
std::string KillQuery(uint64_t id);

}  // namespace shadowalter
