// The plan's note on the new table's AUTO-INC lock: with innodb_autoinc_lock_mode below 2 every
// copy INSERT ... SELECT holds it to the statement's end and every trigger write into the new
// table waits for it, the largest part of what the application's median latency pays during the
// copy (docs/benchmarks.md, 2026-12-07). The run handles it (short statements while others
// write); the note tells the DBA the server setting that removes the wait.
#pragma once

#include "db/session.h"
#include "schema/table.h"

namespace shadowalter {

// Logs the note when `shadow` has an AUTO_INCREMENT column and the server's mode is not 2.
// Reading the mode is best effort: a failure is logged as a debug line and changes nothing.
void NoteAutoincLocking(Session& session, const TableInfo& shadow);

}  // namespace shadowalter
