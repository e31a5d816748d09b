// The run's connections to the primary: the DDL session, which runs the phases' statements and
// sits idle through the copy, and the session that holds the run lock (a named lock, released by
// the server if we die) for the whole run. Every other session is opened here too, so that all
// of them are set up alike (migration/connect.h).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "db/session.h"
#include "util/clock.h"
#include "util/status.h"
#include "util/stop_flag.h"

namespace shadowalter {

class PrimarySessions {
 public:
  using Opener = std::function<StatusOr<std::unique_ptr<Session>>()>;
  // `run_lock` is the named lock's name (sql/names.h RunLockName); `open` opens one session.
  PrimarySessions(std::string run_lock, Opener open);

  // A new session, set up like every session of the run.
  StatusOr<std::unique_ptr<Session>> Open() const { return open_(); }

  // Opens the DDL session. Requires: not connected yet (or the old one is to be replaced).
  Status Connect();
  bool connected() const { return ddl_ != nullptr; }
  // The DDL session. Requires: connected().
  Session& ddl() const { return *ddl_; }
  // Replaces the DDL session when the server closed it while it sat idle.
  Status EnsureDdl();
  // Replaces the DDL session unconditionally (after a lost connection).
  Status ReplaceDdl();

  // Takes the run lock on a session of its own; false when another run holds it.
  StatusOr<bool> TakeRunLock();
  // After a lost connection: fine if the lock's session still holds it, else takes it again on a
  // new session (waiting briefly for the server to free a dead session's lock). Parked error when
  // another run took it meanwhile.
  Status RetakeRunLock();
  // Keeps the lock's session from the server's wait_timeout: a second run could start otherwise.
  // Pings at most every `every`.
  void KeepRunLockAlive(Clock::duration every = std::chrono::seconds(10));

  // Retries opening a session until one answers, for up to `timeout_seconds`; then retakes the
  // run lock and replaces the DDL session. Returns the first session opened (for the caller's
  // work). Connection error once the time is up; aborted when `stop` is requested.
  StatusOr<std::unique_ptr<Session>> Reconnect(double timeout_seconds, const StopFlag& stop);

  // For cleanup: the DDL session if it answers, else a fresh one kept in `fresh`; nullptr when
  // the server can't be reached.
  Session* LiveForCleanup(std::unique_ptr<Session>& fresh) const;

 private:
  std::string run_lock_;
  Opener open_;
  std::unique_ptr<Session> ddl_;
  std::unique_ptr<Session> lock_session_;
  Clock::time_point last_lock_ping_ = Clock::now();
};

}  // namespace shadowalter
