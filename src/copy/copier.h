// The row copy: walks the chunk key from start to end. A chunk (sized to --chunk-time) is the
// unit of throttling and progress; it is copied in short transactions (copy/range_copier.h),
// one session after another or several at once (--threads). Never waits for an
// application lock: a chunk that meets one is rolled back and tried again after a short pause.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "copy/copy_progress.h"
#include "copy/range_copier.h"
#include "copy/transaction_pace.h"
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
  // Above 0 (and with one session): rows_per_transaction is only where the size starts; each
  // transaction then grows while no lock wait begins on the server and halves when one does
  // (throttle/transaction_sizer.h), up to this many rows, and rows_per_insert follows it (half a
  // transaction). Costs one status read per transaction.
  uint64_t max_rows_per_transaction = 0;
  // Sessions copying at once (--threads). Above 1, each chunk's transactions are spread over
  // that many sessions, over disjoint key ranges chosen before the chunk starts; the chunk ends
  // when all of them have committed, so the position only ever names a fully copied prefix.
  unsigned threads = 1;
  // On a Galera Cluster: repair each committed range (RangeCopier::set_repair_orphans).
  bool repair_orphans = false;
  // Opens one more session set up like the copier's own: needed when threads > 1.
  std::function<StatusOr<std::unique_ptr<Session>>()> open_session;
  // Runs before every chunk, outside any transaction: the throttler. A failure stops the copy.
  std::function<Status()> before_chunk;
  // Runs after before_chunk, before the chunk is sized: may change the sizing (the control
  // socket's chunk-time= and chunk-size=).
  std::function<void(ChunkSizer&)> tune_sizer;
  // Where to start: after this key (a resumed run's checkpoint), or from the first key.
  std::optional<KeyTuple> start_after;
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
  Status RunSerial(const ProgressFn& on_chunk);
  Status RunParallel(const ProgressFn& on_chunk);
  // Splits the next chunk, `rows` rows after `after`, into ranges of at most
  // rows_per_transaction rows (non-locking reads). The last range is open-ended when the table
  // ends within the chunk.
  StatusOr<std::vector<ChunkRange>> PlanChunk(const std::optional<KeyTuple>& after, uint64_t rows);
  // PlanChunk, read again after a pause while a lock on the table (a metadata lock someone holds
  // or waits for) ends its reads; each such try counts as a lock conflict.
  StatusOr<std::vector<ChunkRange>> PlanChunkRetrying(const std::optional<KeyTuple>& after,
                                                      uint64_t rows);
  // Copies one planned range, retrying it after lock conflicts; counts them in `conflicts`.
  Status CopyPlanned(RangeCopier& copier, const ChunkRange& range, uint64_t& inserted,
                     uint64_t& conflicts);
  // The copiers of a parallel copy, prepared: one on the copier's own session, then one on each
  // of threads - 1 sessions from open_session, which `extra_sessions` owns. `insert_turn` is
  // RangeCopier's (null when inserts may overlap).
  Status OpenParallelCopiers(std::mutex* insert_turn,
                             std::vector<std::unique_ptr<Session>>& extra_sessions,
                             std::vector<RangeCopier>& copiers);
  // Copies a planned chunk's ranges on all the copiers at once, each taking the next range
  // nobody has taken; adds the rows inserted to `inserted` and the lock conflicts to the
  // progress. A failure is that of the first failed range in key order; a stop that left ranges
  // uncopied is Code::kAborted.
  Status CopyRangesInParallel(std::vector<RangeCopier>& copiers,
                              const std::vector<ChunkRange>& ranges, uint64_t& inserted);
  // Runs before_chunk (the throttler), timing it.
  Status BeforeChunk();
  // Puts the transaction sizes chosen so far into the progress.
  void NoteTransactionSize(const TransactionSizer& txn);
  // Ends the chunk: sizes the next one, updates the progress, reports.
  void FinishChunk(uint64_t rows, std::chrono::steady_clock::time_point start,
                   const ProgressFn& on_chunk);

  Session& session_;
  CopySpec spec_;
  ChunkSizer sizer_;
  CopyOptions options_;
  const StopFlag& stop_;
  CopyProgress progress_;
};

}  // namespace shadowalter
