// The row copy: walks the chunk key from start to end. A chunk (sized to --chunk-time) is the
// unit of throttling and progress; it is copied in short transactions (see sql/chunk.h for why
// each is correct against concurrent writes). Never waits for an
// application lock: a chunk that meets one is rolled back and tried again after a short pause.
#pragma once

#include <cstdint>
#include <functional>

#include "db/session.h"
#include "sql/chunk.h"
#include "throttle/chunk_sizer.h"
#include "util/status.h"
#include "util/stop_flag.h"

namespace shadowalter {

struct CopyOptions {
  unsigned max_conflicts_per_chunk = 2000;  // consecutive lock conflicts before giving up
  // Rows per INSERT ... SELECT within a chunk. With innodb_autoinc_lock_mode=1 (MariaDB's and
  // MySQL 5.7's default) each such statement holds the new table's table-level AUTO-INC lock
  // until it ends, and every trigger write into the new table waits behind it: short statements
  // keep that wait to a few milliseconds, whatever the chunk size.
  uint64_t rows_per_insert = 500;
  // Rows per transaction within a chunk. The rows a transaction copies stay share-locked until
  // it commits, so an application write to one of them waits that long: a few milliseconds for
  // 1000 rows, while a whole chunk (--chunk-time, 0.5 s) would make one in every few dozen
  // application writes wait for hundreds of milliseconds. 0: the whole chunk in one.
  uint64_t rows_per_transaction = 1000;
  // Runs before every chunk, outside any transaction: the throttler. A failure stops the copy.
  std::function<Status()> before_chunk;
  // Where to start: after this key (a resumed run's checkpoint), or from the first key.
  std::optional<KeyTuple> start_after;
};

struct CopyProgress {
  uint64_t rows_copied = 0;
  uint64_t chunks = 0;
  uint64_t lock_conflicts = 0;
  uint64_t last_chunk_rows = 0;
  // The last key copied (committed): a restart after it repeats nothing and misses nothing.
  std::optional<KeyTuple> position;
};

class Copier {
 public:
  using ProgressFn = std::function<void(const CopyProgress&)>;

  // `progress` carries on counting from an earlier copier's (after a reconnect or a resume).
  Copier(Session& session, CopySpec spec, ChunkSizer sizer, CopyOptions options,
         const StopFlag& stop, CopyProgress progress = {})
      : session_(session),
        spec_(std::move(spec)),
        sizer_(sizer),
        options_(std::move(options)),
        stop_(stop),
        progress_(std::move(progress)) {}

  // Copies every row. Data the new table would change or drop (truncation, a duplicate on a new
  // unique key) is Code::kDataLoss naming the server's message, which names the value and key.
  Status Run(const ProgressFn& on_chunk);

  const CopyProgress& progress() const { return progress_; }
  const ChunkSizer& sizer() const { return sizer_; }

 private:
  // Copies the locked `range` (`rows` rows, when known) in statements of at most
  // rows_per_insert rows; adds the rows inserted to `inserted`.
  Status CopyRange(const ChunkRange& range, std::optional<uint64_t> rows, uint64_t& inserted);
  // One transaction: locks the next `rows` keys after `after` and copies them. Sets `next` to
  // the last key copied, or nullopt when the table's end was reached.
  Status CopyOneTransaction(const std::optional<KeyTuple>& after, uint64_t rows,
                            std::optional<KeyTuple>& next, uint64_t& inserted);
  Status CheckWarnings(const std::string& doing);
  // "the row with key (...)" a failed copy statement stopped at, for the error message.
  std::string OffendingRow(const std::optional<KeyTuple>& after, const Status& error);

  Session& session_;
  CopySpec spec_;
  ChunkSizer sizer_;
  CopyOptions options_;
  const StopFlag& stop_;
  CopyProgress progress_;
};

}  // namespace shadowalter
