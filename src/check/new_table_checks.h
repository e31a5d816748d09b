// The preflight checks of the later stages (check/preflight.h): they judge the new table and the
// copy planned for it, each run by the phase of the orchestrator that needs its answer, once
// the new table exists. Like every check, each says OK or why the run must not go on (kRefused
// with what to do); a server error comes back as it is.
#pragma once

#include "check/preflight.h"
#include "util/status.h"

namespace shadowalter {

// Part of the copy-plan check (stage kNewTableInspected): whether the mirror triggers can keep
// the new table current without failing an application write. Refused (kRefused, naming the key
// and what to do) when the new table
//  - has a WITHOUT OVERLAPS key (MariaDB): the triggers' INSERT ... ON DUPLICATE KEY UPDATE is
//    not allowed on such a table, so every UPDATE of the application would fail;
//  - has a foreign key the ALTER added that references the original table: the table itself,
//    meant as a self-reference, but it would hold the original's rows back (its DELETEs fail
//    with 1451) and reference the old table after the swap.
// Pure.
Status NewTableCanBeMirrored(const TableInfo& original, const TableInfo& new_table);

// Stage kCopyPlanned. Columns whose type crosses TIMESTAMP convert in the server's global time
// zone: refused when the server can't convert out of it (its time zone tables are empty),
// logged otherwise.
Status CheckDefaultZone(PreflightContext& ctx);

// Stage kNewUniqueKeys. A unique key of the new table that is new, or whose columns the ALTER
// makes compare differently, holds no duplicate in the original's data: found late, it would fail
// the copy hours in. Reads the whole table once per such key (the first duplicate found is named).
Status CheckNewUniqueKeys(PreflightContext& ctx);

// Stage kOwnTriggers. Each of the table's own triggers can be created on the new table: made,
// under a stand-in name, on a scratch copy of it (ctx.names.trigger_check_table, announced to
// ctx.will_create_table and dropped again), so that a trigger naming a column the ALTER removes,
// or a definer the account may not use, is refused before the copy and not at the swap.
Status CheckOwnTriggersRecreatable(PreflightContext& ctx);

// Stage kBeforeComparing (verify). The stopped run's new table exists; a missing one of its
// triggers is only warned about (the comparison then expects differences).
Status CheckNewTableExists(PreflightContext& ctx);

}  // namespace shadowalter
