#include "copy/copier.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "db/errors.h"
#include "sql/server_queries.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

using SteadyClock = std::chrono::steady_clock;

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

std::string DescribeStart(const std::optional<KeyTuple>& after) {
  return after ? "(" + Join(*after, ", ") + ")" : "the start";
}

// A short, growing pause after a lock conflict lets the application's transaction finish first.
void PauseAfterConflict(uint64_t conflicts) {
  std::this_thread::sleep_for(std::chrono::milliseconds(std::min<uint64_t>(conflicts, 50)));
}

}  // namespace

Status Copier::Run(const ProgressFn& on_chunk) {
  return options_.threads > 1 ? RunParallel(on_chunk) : RunSerial(on_chunk);
}

void Copier::FinishChunk(uint64_t rows, SteadyClock::time_point start, const ProgressFn& on_chunk) {
  sizer_.Record(rows, SecondsSince(start));
  progress_.last_chunk_rows = rows;
  progress_.chunks += 1;
  const auto reported = SteadyClock::now();
  if (on_chunk) on_chunk(progress_);
  progress_.step_seconds.checkpoint += SecondsSince(reported);
}

Status Copier::BeforeChunk() {
  if (!options_.before_chunk) return Status::Ok();
  const auto start = SteadyClock::now();
  Status clear = options_.before_chunk();
  progress_.step_seconds.throttle += SecondsSince(start);
  return clear;
}

void Copier::NoteTransactionSize(const TransactionSizer& txn) {
  progress_.transaction_rows = txn.rows();
  progress_.transaction_rows_min = txn.min_rows();
  progress_.transaction_rows_max = txn.max_rows_used();
  progress_.transaction_shrinks = txn.shrinks();
  progress_.others_writing = txn.busy();
}

Status Copier::RunSerial(const ProgressFn& on_chunk) {
  TransactionPace pace(session_, options_.rows_per_transaction, options_.max_rows_per_transaction,
                       options_.rows_per_insert, progress_.step_seconds);
  RangeCopier copier(session_, spec_, pace.rows_per_insert());
  copier.MeasureInto(&progress_.step_seconds);
  copier.set_repair_orphans(options_.repair_orphans);
  SA_RETURN_IF_ERROR(copier.Prepare());
  NoteTransactionSize(pace.sizer());
  std::optional<KeyTuple> after = options_.start_after;
  unsigned conflicts = 0;
  bool done = false;
  // The chunk in progress: sized by the sizer, throttled before it starts, copied in
  // transactions of at most rows_per_transaction rows.
  uint64_t chunk_left = 0;
  uint64_t chunk_inserted = 0;
  SteadyClock::time_point chunk_start;
  while (!done) {
    if (stop_.requested()) {
      copier.Rollback().IgnoreError();  // stopping anyway: the stop is what to report
      return AbortedError("stopped by " + stop_.Describe());
    }
    if (chunk_left == 0) {
      SA_RETURN_IF_ERROR(BeforeChunk());
      pace.Invalidate();  // the last chunk's checkpoint was written meanwhile
      if (options_.tune_sizer) options_.tune_sizer(sizer_);
      chunk_left = sizer_.next_rows();
      chunk_inserted = 0;
      chunk_start = SteadyClock::now();
    }
    const uint64_t rows = pace.rows() > 0 ? std::min(chunk_left, pace.rows()) : chunk_left;
    std::optional<KeyTuple> next;
    uint64_t inserted = 0;
    SA_RETURN_IF_ERROR(pace.BeforeTransaction());
    Status s = copier.CopyNext(after, rows, next, inserted);
    if (!s.ok()) {
      Status rollback = copier.Rollback();
      if (IsLockConflict(s) && rollback.ok()) {
        progress_.lock_conflicts += 1;
        if (++conflicts >= options_.max_conflicts_per_chunk) {
          return s.With("the rows after " + DescribeStart(after) +
                        " stayed locked by other transactions through " +
                        std::to_string(conflicts) + " tries");
        }
        // Smaller ranges hold their locks for less time and meet fewer application locks.
        sizer_.Shrink();
        pace.Contended();
        copier.set_rows_per_insert(pace.rows_per_insert());
        NoteTransactionSize(pace.sizer());
        chunk_left = std::min(chunk_left, sizer_.next_rows());
        PauseAfterConflict(conflicts);
        continue;
      }
      return s;
    }
    conflicts = 0;
    progress_.transactions += 1;
    after = next;
    done = !next.has_value();
    chunk_left = done ? 0 : chunk_left - rows;
    chunk_inserted += inserted;
    progress_.rows_copied += inserted;
    if (next) progress_.position = next;
    // After the committed position is counted: a failed read loses none of it.
    SA_RETURN_IF_ERROR(pace.AfterCommit(inserted, copier.last_cleared()));
    copier.set_rows_per_insert(pace.rows_per_insert());
    NoteTransactionSize(pace.sizer());
    if (chunk_left == 0) FinishChunk(chunk_inserted, chunk_start, on_chunk);
  }
  return Status::Ok();
}

StatusOr<std::vector<ChunkRange>> Copier::PlanChunk(const std::optional<KeyTuple>& after,
                                                    uint64_t rows) {
  const uint64_t per = options_.rows_per_transaction > 0 ? options_.rows_per_transaction : rows;
  std::vector<ChunkRange> ranges;
  std::optional<KeyTuple> from = after;
  for (uint64_t left = rows; left > 0;) {
    const uint64_t n = std::min(left, per);
    SA_ASSIGN_OR_RETURN(ResultSet end, session_.Query(NthKeyAfter(spec_, from, n)));
    if (end.empty()) {
      ranges.push_back({from, std::nullopt});
      break;
    }
    KeyTuple k;
    for (const auto& v : end.rows[0]) k.push_back(v.value_or(""));
    ranges.push_back({from, k});
    from = std::move(k);
    left -= n;
  }
  return ranges;
}

StatusOr<std::vector<ChunkRange>> Copier::PlanChunkRetrying(const std::optional<KeyTuple>& after,
                                                            uint64_t rows) {
  for (unsigned tries = 1;; ++tries) {
    StatusOr<std::vector<ChunkRange>> ranges = PlanChunk(after, rows);
    if (ranges.ok() || !IsLockConflict(ranges.status())) return ranges;
    progress_.lock_conflicts += 1;
    if (tries >= options_.max_conflicts_per_chunk) {
      return ranges.status().With("planning the chunk after " + DescribeStart(after) +
                                  ": the table stayed locked through " + std::to_string(tries) +
                                  " tries");
    }
    if (stop_.requested()) return AbortedError("stopped by " + stop_.Describe());
    PauseAfterConflict(tries);
  }
}

Status Copier::CopyPlanned(RangeCopier& copier, const ChunkRange& range, uint64_t& inserted,
                           uint64_t& conflicts) {
  for (unsigned tries = 1;; ++tries) {
    Status s = copier.CopyRange(range, inserted);
    if (s.ok()) return s;
    Status rollback = copier.Rollback();
    if (!IsLockConflict(s) || !rollback.ok()) return s;
    conflicts += 1;
    if (tries >= options_.max_conflicts_per_chunk) {
      return s.With("the rows after " + DescribeStart(range.after) +
                    " stayed locked by other transactions through " + std::to_string(tries) +
                    " tries");
    }
    if (stop_.requested()) return AbortedError("stopped by " + stop_.Describe());
    PauseAfterConflict(tries);
  }
}

Status Copier::OpenParallelCopiers(std::mutex* insert_turn,
                                   std::vector<std::unique_ptr<Session>>& extra_sessions,
                                   std::vector<RangeCopier>& copiers) {
  copiers.emplace_back(session_, spec_, options_.rows_per_insert, insert_turn);
  for (unsigned i = 1; i < options_.threads; ++i) {
    StatusOr<std::unique_ptr<Session>> s = options_.open_session();
    if (!s.ok()) return s.status().With("opening copy session " + std::to_string(i + 1));
    extra_sessions.push_back(std::move(s).value());
    copiers.emplace_back(*extra_sessions.back(), spec_, options_.rows_per_insert, insert_turn);
  }
  for (RangeCopier& c : copiers) {
    c.set_repair_orphans(options_.repair_orphans);
    SA_RETURN_IF_ERROR(c.Prepare());
  }
  return Status::Ok();
}

Status Copier::CopyRangesInParallel(std::vector<RangeCopier>& copiers,
                                    const std::vector<ChunkRange>& ranges, uint64_t& inserted) {
  // What one session did with the chunk.
  struct Outcome {
    Status status;
    size_t failed_range = 0;
    uint64_t inserted = 0;
    uint64_t conflicts = 0;
  };
  // Each session takes the next range nobody has taken, until none is left or one fails.
  std::atomic<size_t> next_range{0};
  std::atomic<size_t> ranges_done{0};
  std::atomic<bool> failed{false};
  std::vector<Outcome> outcomes(copiers.size());
  auto work = [&](size_t w) {
    Outcome& o = outcomes[w];
    while (!failed && !stop_.requested()) {
      const size_t r = next_range++;
      if (r >= ranges.size()) return;
      uint64_t range_inserted = 0;
      Status s = CopyPlanned(copiers[w], ranges[r], range_inserted, o.conflicts);
      if (!s.ok()) {
        o.status = std::move(s);
        o.failed_range = r;
        failed = true;
        return;
      }
      o.inserted += range_inserted;
      ++ranges_done;
    }
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < copiers.size(); ++w) threads.emplace_back(work, w);
  work(0);
  for (std::thread& t : threads) t.join();

  const Outcome* first_failure = nullptr;
  for (const Outcome& o : outcomes) {
    inserted += o.inserted;
    progress_.lock_conflicts += o.conflicts;
    if (!o.status.ok() && (!first_failure || o.failed_range < first_failure->failed_range)) {
      first_failure = &o;
    }
  }
  // Ranges after the position may be committed already; a later copy repeats them harmlessly
  // (each range is cleared in the new table first).
  if (first_failure) return first_failure->status;
  if (ranges_done != ranges.size()) return AbortedError("stopped by " + stop_.Describe());
  return Status::Ok();
}

Status Copier::RunParallel(const ProgressFn& on_chunk) {
  if (!options_.open_session) return InternalError("a parallel copy needs more sessions");
  progress_.others_writing = true;  // not measured here: assume the application writes
  // Unless the server interleaves AUTO_INCREMENT allocation (innodb_autoinc_lock_mode=2, MySQL
  // 8's default), every INSERT ... SELECT into a table with an AUTO_INCREMENT column holds the
  // table's AUTO-INC lock to its end, so two sessions' inserts can't overlap anyway; and the
  // copy's sessions never wait for a lock in the server (a wait ends at once and is retried), so
  // they would mostly collide. They take turns here instead and overlap the rest: locking and
  // reading the next range, clearing it, committing.
  SA_ASSIGN_OR_RETURN(ResultSet mode, session_.Query(AutoincLockModeQuery()));
  const bool interleaved = !mode.empty() && mode.rows[0][0] && *mode.rows[0][0] == "2";
  std::mutex insert_turn;
  std::vector<std::unique_ptr<Session>> extra_sessions;
  std::vector<RangeCopier> copiers;
  SA_RETURN_IF_ERROR(
      OpenParallelCopiers(interleaved ? nullptr : &insert_turn, extra_sessions, copiers));

  std::optional<KeyTuple> after = options_.start_after;
  for (bool done = false; !done;) {
    if (stop_.requested()) return AbortedError("stopped by " + stop_.Describe());
    SA_RETURN_IF_ERROR(BeforeChunk());
    if (options_.tune_sizer) options_.tune_sizer(sizer_);
    const SteadyClock::time_point start = SteadyClock::now();
    SA_ASSIGN_OR_RETURN(std::vector<ChunkRange> ranges,
                        PlanChunkRetrying(after, sizer_.next_rows()));
    uint64_t inserted = 0;
    SA_RETURN_IF_ERROR(CopyRangesInParallel(copiers, ranges, inserted));
    after = ranges.back().through;
    done = !after.has_value();
    progress_.rows_copied += inserted;
    if (after) progress_.position = after;
    FinishChunk(inserted, start, on_chunk);
  }
  return Status::Ok();
}

}  // namespace shadowalter
