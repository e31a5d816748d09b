#include "migration/primary_sessions.h"

#include <algorithm>
#include <thread>

#include "report/log.h"
#include "sql/ddl.h"
#include "sql/session_statements.h"
#include "util/strings.h"

namespace shadowalter {

PrimarySessions::PrimarySessions(std::string run_lock, Opener open)
    : run_lock_(std::move(run_lock)), open_(std::move(open)) {}

Status PrimarySessions::Connect() {
  SA_ASSIGN_OR_RETURN(ddl_, open_());
  return Status::Ok();
}

Status PrimarySessions::EnsureDdl() {
  // The DDL session sits idle through the whole copy; the server may have closed it since.
  if (ddl_ != nullptr && ddl_->Execute(KeepAlivePing()).ok()) return Status::Ok();
  LogInfo("the DDL connection was closed while idle; reconnecting");
  return ReplaceDdl();
}

Status PrimarySessions::ReplaceDdl() {
  SA_ASSIGN_OR_RETURN(ddl_, open_());
  return Status::Ok();
}

StatusOr<bool> PrimarySessions::TakeRunLock() {
  SA_ASSIGN_OR_RETURN(lock_session_, open_());
  SA_ASSIGN_OR_RETURN(ResultSet rs, lock_session_->Query(TakeNamedLock(run_lock_)));
  last_lock_ping_ = Clock::now();
  return rs.Scalar().value_or("0") == "1";
}

Status PrimarySessions::RetakeRunLock() {
  // Only the copy's connection may have died: the lock's session may still hold it.
  if (lock_session_) {
    StatusOr<ResultSet> held = lock_session_->Query(HoldsNamedLock(run_lock_));
    if (held.ok() && held->Scalar().value_or("0") == "1") return Status::Ok();
  }
  // Gone with its session: take it on a new one. The server frees a dead session's locks once
  // it notices the session is gone, so give it a few seconds.
  lock_session_.reset();
  SA_ASSIGN_OR_RETURN(lock_session_, open_());
  const auto start = Clock::now();
  for (;;) {
    SA_ASSIGN_OR_RETURN(ResultSet rs, lock_session_->Query(TakeNamedLock(run_lock_)));
    if (rs.Scalar().value_or("0") == "1") return Status::Ok();
    if (SecondsSince(start) > 5) {
      return ParkedError(
          "another run took this table's run lock while the connection was "
          "lost; leaving the table to it");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

void PrimarySessions::KeepRunLockAlive(Clock::duration every) {
  if (!lock_session_ || Clock::now() - last_lock_ping_ < every) return;
  lock_session_->Execute(KeepAlivePing()).IgnoreError();  // a failure shows at the next real use
  last_lock_ping_ = Clock::now();
}

StatusOr<std::unique_ptr<Session>> PrimarySessions::Reconnect(double timeout_seconds,
                                                              const StopFlag& stop) {
  const auto start = Clock::now();
  for (unsigned attempt = 0;; ++attempt) {
    if (stop.requested()) return AbortedError("stopped by " + stop.Describe());
    StatusOr<std::unique_ptr<Session>> first = open_();
    if (first.ok()) {
      SA_RETURN_IF_ERROR(RetakeRunLock());
      SA_RETURN_IF_ERROR(ReplaceDdl());
      return first;
    }
    if (SecondsSince(start) >= timeout_seconds) {
      return Status(Code::kConnection, "the primary stayed unreachable for " +
                                           Fixed(SecondsSince(start), 0) +
                                           " s: " + first.status().message());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(250u * (attempt + 1), 2000u)));
  }
}

Session* PrimarySessions::LiveForCleanup(std::unique_ptr<Session>& fresh) const {
  // A lost connection must not leave triggers behind: clean up on a fresh session when needed.
  if (ddl_ != nullptr && ddl_->Execute(KeepAlivePing()).ok()) return ddl_.get();
  StatusOr<std::unique_ptr<Session>> opened = open_();
  if (!opened.ok()) return nullptr;
  fresh = std::move(opened).value();
  return fresh.get();
}

}  // namespace shadowalter
