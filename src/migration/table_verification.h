// The verification phase: the whole original compared with the whole new table, chunk by chunk
// (verify/verifier.h), on one session or two (two chunks compared at the same time), and
// compared again from the start after a lost connection (each chunk is its own snapshot).
// Progress is reported like the copy's. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>

#include "cli/config.h"
#include "migration/row_copy.h"
#include "migration/run_report.h"
#include "schema/table.h"
#include "sql/chunk.h"
#include "sql/compare.h"
#include "throttle/throttler.h"
#include "util/status.h"
#include "util/stop_flag.h"
#include "verify/verifier.h"

namespace shadowalter {

class TableVerification {
 public:
  // Everything referenced outlives the TableVerification; `throttler` may be null.
  TableVerification(const Config& config, const CopySpec& spec, const ComparisonPlan& plan,
                    const TableInfo& original, const TableInfo& shadow, Throttler* throttler,
                    RunReport& report, const StopFlag& stop, RowPhaseHooks hooks);

  // OK when both tables hold the same rows; Code::kDataLoss naming the first difference.
  Status Run();

 private:
  // The second session with --verify-sessions 2 (else none).
  Status OpenSecondReader();
  void LogVerified(const VerifyProgress& done, double seconds) const;

  const Config& config_;
  const CopySpec& spec_;
  const ComparisonPlan& plan_;
  const TableInfo& original_;
  const TableInfo& shadow_;
  Throttler* throttler_;
  RunReport& report_;
  const StopFlag& stop_;
  RowPhaseHooks hooks_;
  std::unique_ptr<Session> second_reader_;
};

}  // namespace shadowalter
