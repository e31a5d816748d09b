#include "cutover/background_statement.h"

#include <chrono>

#include "db/errors.h"
#include "sql/cutover.h"

namespace shadowalter {
namespace {

// How long a queued statement may take to show up as waiting for the lock. It only has to reach
// the server; the application waits meanwhile, so this is short.
constexpr auto kQueueDeadline = std::chrono::seconds(5);

}  // namespace

BackgroundStatement::BackgroundStatement(Session& session, std::string sql)
    : session_(session), sql_(std::move(sql)) {
  thread_ = std::thread([this] {
    result_ = session_.Execute(sql_);
    done_.store(true);
  });
}

// Only joins the thread: whoever cared about the statement's result has called Wait() already.
BackgroundStatement::~BackgroundStatement() { Wait().IgnoreError(); }

Status BackgroundStatement::Wait() {
  if (thread_.joinable()) thread_.join();
  return result_;
}

Status WaitUntilQueued(Session& watcher, BackgroundStatement& bg) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + kQueueDeadline;
  while (Clock::now() < deadline) {
    if (bg.done()) {
      Status s = bg.Wait();
      if (s.ok()) return InternalError(bg.sql() + " ran without waiting for the lock");
      return s.With(bg.sql());
    }
    StatusOr<ResultSet> rs = watcher.Query(ConnectionStateQuery(bg.connection_id()));
    if (!rs.ok()) {
      if (!IsConnectionLost(rs.status())) break;
      // The watcher is gone, and with it any lock it held: say so, so that the run parks (its
      // checkpoint knows what to put back) instead of treating this as a plain failure.
      bg.Wait().IgnoreError();  // the watcher's loss is the failure to report
      return rs.status().With("watching " + bg.sql() + " queue on the table's lock");
    }
    if (rs->Scalar().value_or("") == kWaitingForMetadataLock) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  // Never queued (or we can't tell): cancel it, and make sure it is over before going on.
  // Best effort: whether the kill or the statement fails, the failure below is the one to report.
  watcher.Execute(KillQuery(bg.connection_id())).IgnoreError();
  bg.Wait().IgnoreError();
  return InternalError(bg.sql() + " did not queue on the table's lock in time");
}

}  // namespace shadowalter
