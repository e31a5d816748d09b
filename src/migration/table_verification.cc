#include "migration/table_verification.h"

#include <string>
#include <utility>

#include "db/errors.h"
#include "report/log.h"
#include "report/progress.h"
#include "throttle/kept_alive.h"
#include "util/clock.h"
#include "util/crash_point.h"
#include "verify/verifier.h"

namespace shadowalter {

TableVerification::TableVerification(const Config& config, const CopySpec& spec,
                                     const ComparisonPlan& plan, const TableInfo& original,
                                     const TableInfo& shadow, Throttler* throttler,
                                     RunReport& report, const StopFlag& stop, RowPhaseHooks hooks)
    : config_(config),
      spec_(spec),
      plan_(plan),
      original_(original),
      shadow_(shadow),
      throttler_(throttler),
      report_(report),
      stop_(stop),
      hooks_(std::move(hooks)) {}

Status TableVerification::OpenSecondReader() {
  if (config_.verify_sessions < 2) return Status::Ok();
  SA_ASSIGN_OR_RETURN(second_reader_, hooks_.open_session());
  return Status::Ok();
}

Status TableVerification::Run() {
  SA_ASSIGN_OR_RETURN(std::unique_ptr<Session> session, hooks_.open_session());
  SA_RETURN_IF_ERROR(OpenSecondReader());
  ProgressLog progress("verify", original_.estimated_rows, config_.progress_interval);
  const auto start = Clock::now();
  VerifyProgress done;
  for (;;) {
    KeptAlive keep(throttler_, session.get());
    KeptAlive keep_reader(throttler_, second_reader_.get());
    Verifier verifier(*session, second_reader_.get(), spec_, plan_, original_, shadow_,
                      ChunkSizerFor(config_), hooks_.between_chunks, stop_);
    Status verified = verifier.Run([&](const VerifyProgress& p) {
      done = p;
      CrashPoint("verify_chunk");
      if (auto snap = progress.Update(p.rows_compared)) {
        report_.Progress("verify", *snap, verifier.sizer().next_rows());
      }
      report_.Tick("verify", progress.Snapshot(p.rows_compared), verifier.sizer().next_rows());
    });
    if (verified.ok()) break;
    if (!IsConnectionLost(verified)) return verified;
    // Each chunk is compared in its own snapshot: after reconnecting, compare again from the
    // start (the triggers kept the new table current meanwhile).
    SA_ASSIGN_OR_RETURN(session, hooks_.reconnect(verified));
    SA_RETURN_IF_ERROR(OpenSecondReader());
  }
  LogVerified(done, SecondsSince(start));
  return Status::Ok();
}

void TableVerification::LogVerified(const VerifyProgress& done, double seconds) const {
  const uint64_t rows = done.rows_compared;
  std::string retried;
  if (done.lock_retries > 0) {
    retried = "; " + std::to_string(done.lock_retries) +
              " chunks read again after waiting too long for a lock";
  }
  LogInfo("verified: both tables hold the same " + std::to_string(rows) + " rows (" +
          Fixed(seconds, 1) + " s, " + Fixed(seconds > 0 ? rows / seconds : 0, 0) + " rows/s" +
          retried + ")");
}

}  // namespace shadowalter
