// The process exit codes, documented in the README. Each means one thing.
#pragma once

#include "util/status.h"

namespace shadowalter {

enum ExitCode : int {
  kExitDone = 0,        // done (or a dry run that found no problem)
  kExitFailed = 1,      // failed or aborted; everything was cleaned up, the original is as it was
  kExitUsage = 2,       // bad command line or ALTER; nothing was changed on the server
  kExitLeftBehind = 3,  // failed and some artifact is left behind (listed, with the SQL to drop it)
  kExitParked = 4,      // parked: stopped at a limit with its checkpoint; `resume` continues it
  kExitRefused = 5,     // a preflight check refused; nothing was changed on the server
  kExitUnreachable = 6,  // the primary could not be reached; nothing was changed: try again later
  // `status` only: a run is working on the table now. (`status` also says 0: nothing on record,
  // 4: a stopped run `resume` continues, 3: something a person must look at.)
  kExitRunning = 7,
  // `status` only: a --revertible run swapped and waits for `revert` or `finish`.
  kExitRevertible = 8,
};

// The exit code of a run or command that failed with `code` and left nothing behind.
inline ExitCode ExitCodeFor(Code code) {
  switch (code) {
    case Code::kUsage:
      return kExitUsage;
    case Code::kRefused:
      return kExitRefused;
    case Code::kUnreachable:
      return kExitUnreachable;
    default:
      return kExitFailed;
  }
}

}  // namespace shadowalter
