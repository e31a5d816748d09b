// The retry settings of each kind of statement that takes a metadata lock. --tries N gives every
// one N tries with growing pauses; --tries in pt-online-schema-change's form OP:TRIES:WAIT sets
// the operations it names apart, with a fixed pause.
#pragma once

#include <string>
#include <vector>

#include "cli/config.h"
#include "db/ddl_retry.h"

namespace shadowalter {

enum class DdlOperation {
  kOther,              // the new table's DDL, the refusal log, the instant ALTER: `base` as is
  kCreateTriggers,     // --tries create_triggers:...
  kDropTriggers,       // --tries drop_triggers:...: the cleanup's statements
  kSwapTables,         // --tries swap_tables:...: the swap's lock and RENAME
  kUpdateForeignKeys,  // --tries update_foreign_keys:...: repointing the children's keys
};

// `base` (--lock-wait-timeout per try, --tries N) with the tries and the pause that --tries gave
// `operation`, if it named it.
DdlRetryPolicy PolicyFor(DdlRetryPolicy base, const Config& config, DdlOperation operation);

// What unwinds a run's artifacts: `base`, or --tries drop_triggers:... when given, with at least
// 30 tries whatever it says, since a trigger left on the table taxes every write until someone
// drops it.
DdlRetryPolicy CleanupPolicy(DdlRetryPolicy base, const Config& config);

// One warning for each operation --tries names that the run has no statement for (copy_rows:
// the copy's locking reads never wait, and retry a conflict on their own; analyze_table: no
// ANALYZE TABLE is run), so that a pt-online-schema-change command line works as written
// without pretending they take effect.
std::vector<std::string> UnusedTries(const Config& config);

}  // namespace shadowalter
