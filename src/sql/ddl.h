// DDL statements of a migration: the swap and the drops. Pure.
#pragma once

#include <string>
#include <vector>

#include "db/session.h"

namespace shadowalter {

// One atomic RENAME: t -> old, shadow -> t. Readers and writers never see the table missing.
std::string SwapStatement(const std::string& schema, const std::string& table,
                          const std::string& old_table, const std::string& shadow_table);

std::string DropTableStatement(const std::string& schema, const std::string& table);

// ALTER TABLE `schema`.`table` <clauses>
std::string AlterStatement(const std::string& schema, const std::string& table,
                           const std::string& clauses);

// ALTER TABLE `schema`.`table` ALGORITHM=INSTANT, <clauses>: the server does it as a metadata-only
// change or refuses at once without touching the table. The option goes first so a trailing
// comment in the clauses can't swallow it.
std::string InstantAlterStatement(const std::string& schema, const std::string& table,
                                  const std::string& clauses);

// SET SESSION lock_wait_timeout (metadata and table-level locks) and innodb_lock_wait_timeout
// (row locks) to `seconds`, so that no statement of the session waits longer for a lock. 0 is
// "do not wait", which MariaDB accepts; MySQL's minimum for both is 1, so 0 becomes 1 there.
std::string SetLockWaits(ServerFlavor flavor, unsigned seconds);

// GET_LOCK(name, 0) / whether another session holds it: 1 taken, 0 held elsewhere.
std::string TakeNamedLock(const std::string& name);
// 1 when this session holds the named lock.
std::string HoldsNamedLock(const std::string& name);
// The connection id of the session holding the named lock; NULL when none does.
std::string NamedLockHolder(const std::string& name);

// SET SESSION foreign_key_checks = 0: the session's writes skip the parent-row checks.
std::string DisableForeignKeyChecks();

// One group of rows sharing a non-NULL value of `columns` (the first found), or none: whether a
// unique key on them would reject the data. Reads the whole table. `compare_as[i]`, when given
// and not empty, is the expression column i is grouped by instead (its value as the new table
// compares it, see sql/shadow_match.h).
std::string FindDuplicate(const std::string& schema, const std::string& table,
                          const std::vector<std::string>& columns,
                          const std::vector<std::string>& compare_as = {});

// The heartbeat table (see throttle/heartbeat.h): one row, rewritten with the primary's clock.
std::string CreateHeartbeatTable(const std::string& schema, const std::string& table);
std::string HeartbeatBeat(const std::string& schema, const std::string& table);
// Seconds between the replica's clock and the newest beat it applied.
std::string HeartbeatLagQuery(const std::string& schema, const std::string& table);

}  // namespace shadowalter
