// Runs a statement that needs an exclusive metadata lock on a live table (CREATE/DROP TRIGGER,
// RENAME TABLE) without letting it stall the application.
//
// A DDL waiting for a metadata lock makes every later query on the table queue behind it. So each
// try waits at most `lock_wait_timeout_seconds` (session lock_wait_timeout), and a timed-out try is
// retried after a growing pause, up to `tries`, while the stop flag allows.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "db/session.h"
#include "util/status.h"
#include "util/stop_flag.h"

namespace shadowalter {

struct DdlRetryPolicy {
  double lock_wait_timeout_seconds = 2.0;
  unsigned tries = 10;
  // The pause between two tries; nullopt: growing, 0.5 s to 4 s (--tries OP:TRIES:WAIT fixes it).
  std::optional<double> pause_seconds;
  // Called before the first try and after each try that timed out: names who holds the table
  // (logged). Optional.
  std::function<std::vector<std::string>()> describe_blockers;
};

Status RunDdlWithRetry(Session& session, const std::string& sql, const DdlRetryPolicy& policy,
                       const StopFlag& stop);

// Sets the session's metadata-lock wait for the statements that follow (whole seconds, at least 1).
Status SetLockWaitTimeout(Session& session, double seconds);

}  // namespace shadowalter
