// Who holds a table: the sessions that would make a DDL on it wait for its metadata lock. Read
// only. Used to name the blockers before and between tries of CREATE/DROP TRIGGER and RENAME.
#pragma once

#include <string>
#include <vector>

#include "db/session.h"

namespace shadowalter {

// One line per blocker, e.g. "connection 42 (app@10.0.0.5, in a transaction for 35 s, now:
// Sleep)". Sources: the metadata lock views where available (MariaDB METADATA_LOCK_INFO plugin,
// MySQL performance_schema.metadata_locks), else open InnoDB transactions older than a second.
// Never fails: what can't be read is left out. `self` (our own connections) are skipped.
std::vector<std::string> DescribeBlockers(Session& session, const std::string& schema,
                                          const std::string& table,
                                          const std::vector<uint64_t>& self);

}  // namespace shadowalter
