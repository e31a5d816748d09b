#include "copy/copier.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "db/errors.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

std::string DescribeKey(const KeyTuple& k) { return "(" + Join(k, ", ") + ")"; }

}  // namespace

std::string Copier::OffendingRow(const std::optional<KeyTuple>& after, const Status& error) {
  // The server names the statement's row number ("... at row 217"); rows are read in key order,
  // so that is the 217th key after the chunk's start.
  const std::string& m = error.message();
  const auto at = m.rfind("at row ");
  uint64_t row = 0;
  if (at != std::string::npos) row = std::strtoull(m.c_str() + at + 7, nullptr, 10);
  if (row > 0) {
    (void)session_.Execute("ROLLBACK");
    auto rs = session_.Query(NthKeyAfter(spec_, after, row));
    if (rs.ok() && !rs->empty()) {
      KeyTuple k;
      for (const auto& v : rs->rows[0]) k.push_back(v.value_or("NULL"));
      return "the row with key " + DescribeKey(k);
    }
  }
  return "a row " + (after ? "after key " + DescribeKey(*after) : std::string("in the first chunk"));
}

Status Copier::CheckWarnings(const std::string& doing) {
  if (session_.warning_count() == 0) return Status::Ok();
  SA_ASSIGN_OR_RETURN(std::vector<Warning> warnings, session_.Warnings());
  for (const Warning& w : warnings) {
    if (w.level == "Note") continue;
    // Strict mode turns conversions into errors; anything still reported as a warning may have
    // changed data, so it stops the run rather than pass silently.
    return DataLossError(doing + ": the server warned \"" + w.message + "\" (" +
                         std::to_string(w.code) + "); the new table would not hold the data as is");
  }
  return Status::Ok();
}

Status Copier::CopyRange(const ChunkRange& range, std::optional<uint64_t> rows,
                         uint64_t& inserted) {
  ChunkRange part{range.after, range.through};
  for (;;) {
    // Where this statement ends: rows_per_insert rows on, or the end of the range. When the
    // rest of a locked range fits in one statement, that needs no lookup.
    part.through = range.through;
    bool last = true;
    const bool rest_fits =
        rows.has_value() && (inserted >= *rows || *rows - inserted <= options_.rows_per_insert);
    if (options_.rows_per_insert > 0 && !rest_fits) {
      SA_ASSIGN_OR_RETURN(ResultSet end,
                          session_.Query(NthKeyInRange(spec_, part, options_.rows_per_insert)));
      if (!end.empty()) {
        KeyTuple k;
        for (const auto& v : end.rows[0]) k.push_back(v.value_or(""));
        last = range.through.has_value() && k == *range.through;
        part.through = std::move(k);
      }
    }
    Status copied = session_.Execute(CopyChunk(spec_, part));
    if (IsDuplicateKey(copied)) {
      return DataLossError(OffendingRow(part.after, copied) +
                           " can't go into the new table: " + copied.message() +
                           " (the original holds values the new unique key would reject)");
    }
    if (IsDataConversionError(copied)) {
      return DataLossError(OffendingRow(part.after, copied) +
                           " does not fit the new table: " + copied.message());
    }
    SA_RETURN_IF_ERROR(copied);
    inserted += session_.affected_rows();
    const std::string where =
        part.after ? "after key " + DescribeKey(*part.after) : "from the first key";
    SA_RETURN_IF_ERROR(CheckWarnings("copying rows " + where));
    if (last || part.through == range.through) return Status::Ok();
    part.after = part.through;
  }
}

Status Copier::CopyOneTransaction(const std::optional<KeyTuple>& after, uint64_t rows,
                                  std::optional<KeyTuple>& next, uint64_t& inserted) {
  SA_RETURN_IF_ERROR(session_.Execute("START TRANSACTION"));
  SA_ASSIGN_OR_RETURN(ResultSet bound, session_.Query(LockNextChunk(spec_, after, rows)));
  ChunkRange range{after, std::nullopt};
  if (!bound.empty()) {
    KeyTuple k;
    for (const auto& v : bound.rows[0]) k.push_back(v.value_or(""));
    range.through = k;
  }
  SA_RETURN_IF_ERROR(session_.Execute(ClearChunkInShadow(spec_, range)));
  inserted = 0;
  // A bounded range holds exactly `rows` rows (they are locked); the table's last one, unknown.
  SA_RETURN_IF_ERROR(
      CopyRange(range, range.through ? std::optional<uint64_t>(rows) : std::nullopt, inserted));
  const std::string where = after ? "after key " + DescribeKey(*after) : "from the first key";
  // Every row of the locked range must arrive: a full range is exactly `rows` rows.
  if (range.through && inserted != rows) {
    return DataLossError("copying rows " + where + ": inserted " + std::to_string(inserted) +
                         " rows where " + std::to_string(rows) +
                         " were locked; refusing to continue");
  }
  SA_RETURN_IF_ERROR(session_.Execute("COMMIT"));
  next = range.through;
  return Status::Ok();
}

Status Copier::Run(const ProgressFn& on_chunk) {
  // The copy must never wait for the application: InnoDB row-lock waits end at once (MariaDB
  // accepts 0; MySQL clamps to its minimum, 1 s, and NOWAIT on the locking read covers the rest).
  SA_RETURN_IF_ERROR(session_.Execute("SET SESSION innodb_lock_wait_timeout = 0"));
  // Parent rows exist for every copied child row (they were checked when written to the
  // original); checking them again per row only slows the copy.
  SA_RETURN_IF_ERROR(session_.Execute("SET SESSION foreign_key_checks = 0"));

  using SteadyClock = std::chrono::steady_clock;
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
      (void)session_.Execute("ROLLBACK");
      return AbortedError("stopped by " + stop_.Describe());
    }
    if (chunk_left == 0) {
      if (options_.before_chunk) SA_RETURN_IF_ERROR(options_.before_chunk());
      chunk_left = sizer_.next_rows();
      chunk_inserted = 0;
      chunk_start = SteadyClock::now();
    }
    const uint64_t rows = options_.rows_per_transaction > 0
                              ? std::min(chunk_left, options_.rows_per_transaction)
                              : chunk_left;
    std::optional<KeyTuple> next;
    uint64_t inserted = 0;
    Status s = CopyOneTransaction(after, rows, next, inserted);
    if (!s.ok()) {
      Status rollback = session_.Execute("ROLLBACK");
      if (IsLockConflict(s) && rollback.ok()) {
        progress_.lock_conflicts += 1;
        if (++conflicts >= options_.max_conflicts_per_chunk) {
          return s.With("the rows after " + (after ? DescribeKey(*after) : "the start") +
                        " stayed locked by other transactions through " +
                        std::to_string(conflicts) + " tries");
        }
        // Smaller ranges hold their locks for less time and meet fewer application locks; a
        // short, growing pause lets the application's transaction finish first.
        sizer_.Shrink();
        chunk_left = std::min(chunk_left, sizer_.next_rows());
        std::this_thread::sleep_for(std::chrono::milliseconds(std::min(conflicts, 50u)));
        continue;
      }
      return s;
    }
    conflicts = 0;
    after = next;
    done = !next.has_value();
    chunk_left = done ? 0 : chunk_left - rows;
    chunk_inserted += inserted;
    progress_.rows_copied += inserted;
    if (next) progress_.position = next;
    if (chunk_left > 0) continue;
    sizer_.Record(chunk_inserted,
                  std::chrono::duration<double>(SteadyClock::now() - chunk_start).count());
    progress_.last_chunk_rows = chunk_inserted;
    progress_.chunks += 1;
    if (on_chunk) on_chunk(progress_);
  }
  return Status::Ok();
}

}  // namespace shadowalter
