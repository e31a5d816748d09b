// `shadowalter revert DSN` and `shadowalter finish DSN`: the two ends of a --revertible run
// (migration/revertible.h) once it has swapped.
//
// revert: refuses unless everything the swap put on record still holds (the reverse triggers,
// both tables' definitions and InnoDB ids, an empty reverse refusal log), checked again under
// the table's write lock; then swaps back the way the swap went forward (the reverse triggers
// dropped under the lock, the lock handed to the RENAME: migration/trigger_cutover.h), so no
// write is lost and none waits longer than the swap's lock; then drops the new table. After
// it the table has its original definition and every write made since the swap.
// finish: drops the reverse triggers, then the old table (kept with --no-drop-old-table), the
// reverse refusal log and the checkpoint; the table stays the new one.
//
// Both take the table's run lock, record where they are (phase kReverting) and are safe to run
// again after a crash or a failure: each finds from the checkpoint and the tables what is left.
// With --dry-run they print the statements and change nothing. Exit codes as for cleanup: 0
// done, 5 refused (nothing changed), 6 unreachable, 1 failed, 3 something left to run by hand.
#pragma once

#include "cli/config.h"
#include "report/events.h"
#include "util/stop_flag.h"

namespace shadowalter {

int RunRevertCommand(const Config& config, const StopFlag& stop, EventSink& events);
int RunFinishCommand(const Config& config, const StopFlag& stop, EventSink& events);

}  // namespace shadowalter
