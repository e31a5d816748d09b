// Verification: proves, before the swap, that the new table holds exactly the original's rows.
//
// The triggers write the new table inside the writer's own transaction, so any consistent
// snapshot sees both tables agreeing. Each chunk is compared in its own short snapshot (no locks,
// nothing holding back purge for long): row count and an order-independent CRC32 checksum per
// side, computed on the server. A mismatch is narrowed to the first differing key.
#pragma once

#include <cstdint>
#include <functional>
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
};

class Verifier {
 public:
  using ProgressFn = std::function<void(const VerifyProgress&)>;

  // `before_chunk` runs outside any transaction before each chunk (the throttler).
  Verifier(Session& session, CopySpec spec, ChecksumPlan plan, const TableInfo& source,
           const TableInfo& shadow, ChunkSizer sizer, std::function<Status()> before_chunk,
           const StopFlag& stop)
      : session_(session), spec_(std::move(spec)), plan_(std::move(plan)), source_(source),
        shadow_(shadow), sizer_(sizer), before_chunk_(std::move(before_chunk)), stop_(stop) {}

  // OK when both tables agree; Code::kDataLoss naming the key range and first differing key.
  Status Run(const ProgressFn& on_chunk);
  const ChunkSizer& sizer() const { return sizer_; }

 private:
  Status CompareChunk(const std::optional<KeyTuple>& after, std::optional<KeyTuple>& next,
                      bool& done);
  Status FindFirstDifference(const ChunkRange& range);
  // Why the new table lacks or differs in this row, when the server can say (": ..."), else "".
  std::string Diagnose(const KeyTuple& key);

  Session& session_;
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
