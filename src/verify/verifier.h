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

  Verifier(Session& session, CopySpec spec, ChecksumPlan plan, const TableInfo& source,
           const TableInfo& shadow, uint64_t chunk_size, const StopFlag& stop)
      : session_(session), spec_(std::move(spec)), plan_(std::move(plan)), source_(source),
        shadow_(shadow), chunk_size_(chunk_size), stop_(stop) {}

  // OK when both tables agree; Code::kDataLoss naming the key range and first differing key.
  Status Run(const ProgressFn& on_chunk);

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
  uint64_t chunk_size_;
  const StopFlag& stop_;
  VerifyProgress progress_;
};

}  // namespace shadowalter
