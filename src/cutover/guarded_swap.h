// The swap of a table without triggers of its own: one RENAME TABLE, made only after SwapGuard
// has checked, under the table's write lock, that nothing the run proved has changed.
//
// Why a lock and a hand-over: RENAME TABLE is refused under LOCK TABLES on MariaDB (1192), and a
// check made before an unlocked RENAME leaves a gap in which a write the new table refuses, or
// someone's ALTER, can land. So session `holder` takes LOCK TABLES t WRITE (which waits for every
// transaction writing t, and so for every refusal record), runs the check, and keeps the lock
// while session `renamer` issues the RENAME; once the RENAME is seen queued, the holder unlocks
// and the pending exclusive lock is granted before any writer queued on t (verified on MariaDB
// 10.11; the same ordering gh-ost's cut-over relies on in MySQL). The application waits for the
// lock only: milliseconds.
//
// The run's mirror triggers are dropped under the lock, after the checks and before the RENAME:
// no write can happen in between, and a RENAME that takes the new table while triggers on t still
// name it crashed MariaDB 10.11.19 under concurrent multi-table UPDATEs of t (7 of 13 runs; none
// in 40 with this order: docs/server-crash-json-multi-update.md). From that drop on, a failure
// leaves t without them, so the new table is no longer current: the run must not swap later.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "db/ddl_retry.h"
#include "db/session.h"
#include "util/status.h"
#include "util/stop_flag.h"

namespace shadowalter {

struct SwapPlan {
  std::string schema;
  std::string table;                         // the original
  std::string shadow_table;                  // becomes `table`
  std::string old_table;                     // the original's name afterwards
  std::string refusals_table;                // locked with t, so the check can read it
  std::vector<std::string> mirror_triggers;  // the run's, dropped under the lock before the RENAME
};

class GuardedSwap {
 public:
  using Check = std::function<Status(Session&)>;
  // `holder` and `renamer` are two sessions of their own; `policy` paces LOCK TABLES' tries.
  GuardedSwap(SwapPlan plan, Session& holder, Session& renamer, const DdlRetryPolicy& policy,
              const StopFlag& stop, Check check)
      : plan_(std::move(plan)),
        holder_(holder),
        renamer_(renamer),
        policy_(policy),
        stop_(stop),
        check_(std::move(check)) {}

  // Swaps, or fails with nothing swapped and no lock held (the check's failure as it is).
  Status Run();

 private:
  Status CheckedRename();

  SwapPlan plan_;
  Session& holder_;
  Session& renamer_;
  DdlRetryPolicy policy_;
  const StopFlag& stop_;
  Check check_;
};

}  // namespace shadowalter
