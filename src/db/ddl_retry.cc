#include "db/ddl_retry.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <thread>

#include "db/errors.h"
#include "report/log.h"

namespace shadowalter {

Status SetLockWaitTimeout(Session& session, double seconds) {
  long whole = std::max(1L, static_cast<long>(std::ceil(seconds)));
  return session.Execute("SET SESSION lock_wait_timeout = " + std::to_string(whole));
}

Status RunDdlWithRetry(Session& session, const std::string& sql, const DdlRetryPolicy& policy,
                       const StopFlag& stop) {
  SA_RETURN_IF_ERROR(SetLockWaitTimeout(session, policy.lock_wait_timeout_seconds));
  // Named before the first try too: whoever holds the table now is whom the DBA must find if
  // the tries run out.
  if (policy.describe_blockers) {
    for (const std::string& b : policy.describe_blockers()) {
      LogInfo("before the first try the table is held by " + b);
    }
  }
  Status last;
  for (unsigned attempt = 1; attempt <= policy.tries; ++attempt) {
    if (stop.requested()) return AbortedError("stopped by " + stop.Describe());
    last = session.Execute(sql);
    if (last.ok() || !IsLockConflict(last)) return last;
    LogWarning("try " + std::to_string(attempt) + " of " + std::to_string(policy.tries) +
               " waited too long for a lock on the table (another transaction holds it): " +
               last.message());
    if (policy.describe_blockers) {
      for (const std::string& b : policy.describe_blockers()) LogWarning("  held by " + b);
    }
    if (attempt < policy.tries) {
      // Growing pause, so a blocker gets room to finish and the application's queries drain.
      auto pause = std::chrono::milliseconds(std::min(5000u, 250u << std::min(attempt, 4u)));
      if (policy.pause_seconds) {
        pause = std::chrono::milliseconds(static_cast<int64_t>(*policy.pause_seconds * 1000));
      }
      // In slices, so that a stop request during a long pause is seen at once.
      const auto until = std::chrono::steady_clock::now() + pause;
      while (!stop.requested() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            std::chrono::milliseconds(100), until - std::chrono::steady_clock::now()));
      }
    }
  }
  return last.With("gave up after " + std::to_string(policy.tries) + " tries");
}

}  // namespace shadowalter
