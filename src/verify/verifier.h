// Verification: proves, before the swap, that the new table holds exactly the original's rows.
//
// The triggers write the new table inside the writer's own transaction, so any consistent
// snapshot sees both tables agreeing. Each chunk is compared with no locks and nothing holding
// back purge for long: row count and an order-independent checksum (sum of a 64-bit SHA-256
// per row) per side, computed on the server. With a second session the two sides are read at the
// same time, each in its own statement's snapshot; a chunk whose sides differ then (a write
// committed between the two snapshots, or a real difference) is compared again in one snapshot,
// which decides. A mismatch is narrowed to the first differing key.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "db/session.h"
#include "sql/checksum.h"
#include "throttle/chunk_sizer.h"
#include "util/status.h"
#include "util/stop_flag.h"

namespace shadowalter {

struct VerifyProgress {
  uint64_t rows_compared = 0;
  uint64_t chunks = 0;
  uint64_t rechecked = 0;     // chunks compared again in one snapshot after the sides differed
  uint64_t lock_retries = 0;  // chunks compared again after a read waited too long for a lock
};

class Verifier {
 public:
  using ProgressFn = std::function<void(const VerifyProgress&)>;

  // `before_chunk` runs outside any transaction before each chunk (the throttler).
  // `shadow_reader`, when not null, reads the new table's side while `session` reads the
  // original's; it must outlive the verifier.
  Verifier(Session& session, Session* shadow_reader, CopySpec spec, ChecksumPlan plan,
           const TableInfo& source, const TableInfo& shadow, ChunkSizer sizer,
           std::function<Status()> before_chunk, const StopFlag& stop)
      : session_(session),
        shadow_reader_(shadow_reader),
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

  Status CompareChunk(const std::optional<KeyTuple>& after, std::optional<KeyTuple>& next,
                      bool& done);
  // Both sides' (count, checksum) at once, on the two sessions: the rows compared when they
  // agree, nothing when they differ.
  StatusOr<std::optional<uint64_t>> CompareSideBySide(const ChunkRange& range);
  // Both sides in one snapshot on `session_`: the rows compared, or the first differing key.
  StatusOr<uint64_t> CompareInOneSnapshot(const ChunkRange& range);
  Status FindFirstDifference(const ChunkRange& range);
  // Both tables' row counts in one snapshot (see TableRowsQuery).
  Status CompareTableRows();
  // Why the new table lacks or differs in this row, when the server can say (": ..."), else "".
  std::string Diagnose(const KeyTuple& key);

  Session& session_;
  Session* shadow_reader_;
  CopySpec spec_;
  ChecksumPlan plan_;
  const TableInfo& source_;
  const TableInfo& shadow_;
  ChunkSizer sizer_;  // its own: comparing is faster than copying
  std::function<Status()> before_chunk_;
  const StopFlag& stop_;
  VerifyProgress progress_;
};

}  // namespace shadowalter
