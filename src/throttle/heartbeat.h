// The heartbeat (--heartbeat): a one-row table on the primary whose timestamp a background
// thread rewrites several times a second; each replica's lag is its own clock minus the newest
// timestamp it has applied. Sub-second, and it sees through intermediate replicas, which
// Seconds_Behind_Master (whole seconds, NULL when stopped, relative to the nearest upstream) does
// not. Assumes the servers' clocks are synchronized (NTP), as pt-heartbeat does.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "db/session.h"
#include "util/status.h"

namespace shadowalter {

class Heartbeat {
 public:
  // `table` is created by the caller (see sql/ddl.h HeartbeatTable*); Start begins writing it.
  Heartbeat(std::unique_ptr<Session> writer, std::string schema, std::string table);
  ~Heartbeat();

  Status Start();  // writes the first beat, then one every 100 ms on a background thread
  void Stop();

  // The replica's lag by the heartbeat; nullopt with `why` when no beat has arrived yet.
  static std::optional<double> ReadLag(Session& replica, const std::string& schema,
                                       const std::string& table, std::string& why);

 private:
  void Loop();

  std::unique_ptr<Session> writer_;
  std::string schema_, table_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace shadowalter
