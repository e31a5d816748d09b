// The `status` and `cleanup` commands: what a stopped (or running) run left on the server, and
// removing it. Both work from the checkpoint and from the artifacts themselves, so they also
// handle a run that died before its checkpoint was current.
#pragma once

#include "cli/config.h"
#include "util/stop_flag.h"

namespace shadowalter {

// Prints the run recorded for the table to stdout (text, or one JSON object with --output json).
// Exit 0 when it could look (whether or not a run exists), else 1 (or 5 when it can't connect).
int RunStatusCommand(const Config& config);

// Removes a stopped run's artifacts: its triggers first, then the new, heartbeat and scratch
// tables, then the checkpoint. A run that had swapped the tables is finished instead (the old
// table is dropped unless --no-drop-old-table). Idempotent: nothing left is exit 0.
// `cleanup_dry_run` lists the statements without running them.
int RunCleanupCommand(const Config& config, const StopFlag& stop);

}  // namespace shadowalter
