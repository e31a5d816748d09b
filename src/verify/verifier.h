// Verification: proves, before the swap, that the new table holds exactly the original's rows.
//
// The triggers write the new table inside the writer's own transaction, so any consistent
// snapshot sees both tables agreeing. Each chunk is compared by one statement (sql/compare.h):
// the original's rows joined to their counterparts, every compared column compared exactly, in
// one snapshot, with no locks and nothing holding back purge for long. A chunk that differs is a
// real difference; it is narrowed to the first differing key. With a second session two
// consecutive chunks are compared at the same time.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "db/session.h"
#include "sql/compare.h"
#include "throttle/chunk_sizer.h"
#include "util/status.h"
#include "util/stop_flag.h"

namespace shadowalter {

struct VerifyProgress {
  uint64_t rows_compared = 0;
  uint64_t chunks = 0;
  uint64_t lock_retries = 0;  // chunks compared again after a read waited too long for a lock
};

class Verifier {
 public:
  using ProgressFn = std::function<void(const VerifyProgress&)>;

  // `before_chunk` runs outside any transaction before each chunk (the throttler).
  // `second_reader`, when not null, compares every other chunk while `session` compares the one
  // before it; it must outlive the verifier.
  Verifier(Session& session, Session* second_reader, CopySpec spec, ComparisonPlan plan,
           const TableInfo& source, const TableInfo& shadow, ChunkSizer sizer,
           std::function<Status()> before_chunk, const StopFlag& stop)
      : session_(session),
        second_reader_(second_reader),
        spec_(std::move(spec)),
        plan_(std::move(plan)),
        source_(source),
        shadow_(shadow),
        sizer_(sizer),
        before_chunk_(std::move(before_chunk)),
        stop_(stop) {}

  // OK when both tables agree; Code::kDataLoss naming the key range and first differing key.
  Status Run(const ProgressFn& on_chunk);
  const ChunkSizer& sizer() const { return sizer_; }

 private:
  // Longest wait of either session for any lock, per statement.
  static constexpr unsigned kLockWaitSeconds = 1;
  // Consecutive lock timeouts on one chunk before the verification gives up.
  static constexpr unsigned kMaxLockConflicts = 600;

  // The next chunk, or two on two sessions, after `after`.
  Status CompareChunk(const std::optional<KeyTuple>& after, std::optional<KeyTuple>& next,
                      bool& done);
  // One range on `session` (CompareRangeQuery): the original's rows in it, or nothing when the
  // tables differ there.
  StatusOr<std::optional<uint64_t>> CompareRange(Session& session, const ChunkRange& range);
  // A range found to differ, looked at again in one snapshot on `session_`: the kDataLoss naming
  // the first differing key.
  Status FindFirstDifference(const ChunkRange& range);
  // Both tables' row counts in one snapshot (see TableRowsQuery).
  Status CompareTableRows();
  // Why the new table lacks or differs in this row, when the server can say (": ..."), else "".
  std::string Diagnose(const KeyTuple& key);

  Session& session_;
  Session* second_reader_;
  CopySpec spec_;
  ComparisonPlan plan_;
  const TableInfo& source_;
  const TableInfo& shadow_;
  ChunkSizer
      sizer_;  // its own: comparing is faster than copying; sizes a chunk pair on two sessions
  std::function<Status()> before_chunk_;
  const StopFlag& stop_;
  VerifyProgress progress_;
};

}  // namespace shadowalter
