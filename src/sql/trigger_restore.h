// Statements that put a table's own triggers (--preserve-triggers), as saved in the run's
// checkpoint, back on the table after a run stopped inside the trigger cut-over. Pure.
//
// The cut-over takes them off the original (last first) and creates them on the new table
// (first to last) before the RENAME; a crash in between leaves any mix: some still on the
// original, some already on the new table, some nowhere. "The table" is whatever carries the
// table's name now: the original before the swap, the new table after it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schema/table.h"
#include "util/status.h"

namespace shadowalter {

// Where a trigger of the schema is now (information_schema.TRIGGERS).
struct TriggerPlace {
  std::string name;
  std::string table;
  std::string timing;
  std::string event;
  uint64_t action_order = 0;
};

struct OwnTriggerRestore {
  std::string schema;
  std::string table;                    // the table now: the triggers belong on it
  std::vector<std::string> run_tables;  // the run's other tables (new, old): taken off those
  std::vector<Trigger> saved;           // in firing order per (timing, event)
  // RestoreSessionContext() of the session running them, after each CREATE; "" for none.
  std::string restore_context;
};

// Idempotent: a saved trigger on the table is left as it is (never duplicated); one on a run
// table is dropped there first (trigger names are unique per schema); each missing one is created
// under its own sql_mode and character set, placed PRECEDES the first later one of its timing and
// event already on the table, or else appended, so the saved order comes back. Empty when
// nothing is missing. A saved name now held by a trigger of another table is refused.
StatusOr<std::vector<std::string>> PlanOwnTriggerRestore(const OwnTriggerRestore& r,
                                                         const std::vector<TriggerPlace>& now);

// Without looking at the server (to print for a person when it can't be reached): every saved
// trigger dropped wherever it is (last first), then each created on the table in order.
std::vector<std::string> OwnTriggerRestoreByHand(const OwnTriggerRestore& r);

// "`t_bi` BEFORE INSERT #1 (definer app@%)", for the log and `status`.
std::string DescribeTrigger(const Trigger& t);

}  // namespace shadowalter
