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
#pragma once

#include <functional>
#include <string>

#include "db/ddl_retry.h"
#include "db/session.h"
#include "util/status.h"
#include "util/stop_flag.h"

namespace shadowalter {

struct SwapPlan {
  std::string schema;
  std::string table;           // the original
  std::string shadow_table;    // becomes `table`
  std::string old_table;       // the original's name afterwards
  std::string refusals_table;  // locked with t, so the check can read it
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
