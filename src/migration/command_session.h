// What the commands that act on a run on record (`status`, `cleanup`, `revert`, `finish`) share:
// their session, the table's run lock, and how their outcome becomes an exit code.
#pragma once

#include <memory>

#include "cli/config.h"
#include "db/session.h"
#include "util/status.h"

namespace shadowalter {

// The command's session. Nothing was touched when it fails: a server out of reach is worth
// trying again later (kUnreachable), one that said no is a refusal.
StatusOr<std::unique_ptr<Session>> ConnectForCommand(const Config& config);

// Takes the table's run lock on `s`: holding it keeps a run from starting (or resuming) while
// the command works. Refused while a run holds it.
Status TakeCommandRunLock(Session& s, const Config& config);

// The exit code of a command that ended with `outcome`, logging a failure first: a refusal
// (nothing was touched) is 5, a server out of reach 6, any other failure 1.
int CommandExit(const Status& outcome);

}  // namespace shadowalter
