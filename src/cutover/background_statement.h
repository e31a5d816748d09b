// One statement running on its own session in a thread, so that another session can watch it
// queue on a metadata lock and then release that lock: how a RENAME (or LOCK TABLES) is handed a
// table before any application write queued on it (see migration/trigger_cutover.h).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "db/session.h"
#include "util/status.h"

namespace shadowalter {

class BackgroundStatement {
 public:
  // Starts `sql` on `session` at once; `session` must outlive this object.
  BackgroundStatement(Session& session, std::string sql);
  // Waits for the statement to end.
  ~BackgroundStatement();
  BackgroundStatement(const BackgroundStatement&) = delete;
  BackgroundStatement& operator=(const BackgroundStatement&) = delete;

  bool done() const { return done_.load(); }
  uint64_t connection_id() const { return session_.connection_id(); }
  const std::string& sql() const { return sql_; }
  // Waits for the statement to end; its outcome.
  Status Wait();

 private:
  Session& session_;
  std::string sql_;
  Status result_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

// Waits (a few seconds at most) until `bg` shows as waiting for a metadata lock, watched from
// `watcher`. When it never queues (it ended, or never reached the lock), it is killed and waited
// for, and the answer is an error: the caller must not release its lock expecting it.
Status WaitUntilQueued(Session& watcher, BackgroundStatement& bg);

}  // namespace shadowalter
