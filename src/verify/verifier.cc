#include "verify/verifier.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <future>
#include <thread>
#include <vector>

#include "db/errors.h"
#include "sql/ddl.h"
#include "sql/session_statements.h"
#include "util/crash_point.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

std::string DescribeKey(const std::vector<std::string>& k) { return "(" + Join(k, ", ") + ")"; }

std::string DescribeRange(const ChunkRange& r) {
  return "keys after " + (r.after ? DescribeKey(*r.after) : std::string("the start")) +
         " through " + (r.through ? DescribeKey(*r.through) : std::string("the end"));
}

uint64_t Count(const std::optional<std::string>& v) {
  return v ? std::strtoull(v->c_str(), nullptr, 10) : 0;
}

// The range's end `rows` keys after `after`, read without locks: the comparison covers exactly the
// keys up to it, in whatever snapshot it is made.
StatusOr<ChunkRange> NextRange(Session& session, const CopySpec& spec,
                               const std::optional<KeyTuple>& after, uint64_t rows) {
  SA_ASSIGN_OR_RETURN(ResultSet bound, session.Query(NthKeyAfter(spec, after, rows)));
  ChunkRange range{after, std::nullopt};
  if (!bound.empty()) {
    KeyTuple k;
    for (const auto& v : bound.rows[0]) k.push_back(v.value_or(""));
    range.through = std::move(k);
  }
  return range;
}

}  // namespace

std::string Verifier::Diagnose(const KeyTuple& key) {
  // Write the original's row into the new table again, inside a savepoint that is always rolled
  // back: the server's refusal, if any, names the reason (e.g. the duplicate value and key).
  if (!session_.Execute(SetProbeSavepoint()).ok()) return "";
  std::string reason;
  Status s = session_.Execute(ClearRowInShadow(spec_, key));
  if (s.ok()) s = session_.Execute(CopyRow(spec_, key));
  if (!s.ok()) reason = ": the new table refuses the original's row: " + s.message();
  // In practice this fails only when the server already rolled the probe back with the whole
  // transaction (a deadlock) or the connection is gone; the reason found stands either way.
  session_.Execute(RollbackToProbeSavepoint()).IgnoreError();
  return reason;
}

Status Verifier::FindFirstDifference(const ChunkRange& range) {
  // A snapshot of its own, and a transaction for Diagnose's savepoint; read-only otherwise, so
  // its end can't fail in a way that matters: the difference is what is reported.
  SA_RETURN_IF_ERROR(session_.Execute(StartConsistentSnapshot()));
  const size_t n = spec_.key.columns.size();
  Status found = DataLossError("verification failed in " + DescribeRange(range) +
                               ": the tables differed there, and a second look in a new snapshot "
                               "found no single differing row");
  StatusOr<ResultSet> first =
      session_.Query(FirstDifferenceQuery(spec_, plan_, source_, shadow_, range));
  if (!first.ok()) {
    found = first.status();
  } else if (!first->empty()) {
    KeyTuple key;
    for (size_t i = 0; i < n; ++i) key.push_back(first->rows[0][i].value_or("NULL"));
    const bool present = first->rows[0][n].value_or("0") == "1";
    found = DataLossError(
        "verification failed in " + DescribeRange(range) + ": row " + DescribeKey(key) +
        (present ? " differs between the tables" : " is missing from the new table") +
        Diagnose(key));
  } else if (!spec_.key.matches_row_by_row()) {
    StatusOr<ResultSet> extra = session_.Query(FirstExtraRowQuery(spec_, range));
    if (!extra.ok()) {
      found = extra.status();
    } else if (!extra->empty()) {
      KeyTuple key;
      for (const auto& v : extra->rows[0]) key.push_back(v.value_or("NULL"));
      found = DataLossError("verification failed in " + DescribeRange(range) + ": row " +
                            DescribeKey(key) + " is in the new table but not the original");
    }
  }
  session_.Execute(CommitTransaction()).IgnoreError();
  return found;
}

StatusOr<std::optional<uint64_t>> Verifier::CompareRange(Session& session,
                                                         const ChunkRange& range) {
  SA_ASSIGN_OR_RETURN(ResultSet rs,
                      session.Query(CompareRangeQuery(spec_, plan_, source_, shadow_, range)));
  if (rs.empty() || rs.rows[0].size() < 3) return InternalError("comparing a range: no row");
  const auto& row = rs.rows[0];
  const uint64_t rows = Count(row[0]);
  const bool agree = Count(row[1]) == rows && (!row[2].has_value() || Count(row[2]) == rows);
  if (!agree) return std::optional<uint64_t>();
  return std::optional<uint64_t>(rows);
}

Status Verifier::CompareChunk(const std::optional<KeyTuple>& after, std::optional<KeyTuple>& next,
                              bool& done) {
  const auto start = std::chrono::steady_clock::now();
  // On two sessions the sizer's chunk is two consecutive ranges, compared at once.
  const uint64_t rows = second_reader_ != nullptr ? std::max<uint64_t>(1, sizer_.next_rows() / 2)
                                                  : sizer_.next_rows();
  std::vector<ChunkRange> ranges;
  SA_ASSIGN_OR_RETURN(ChunkRange first, NextRange(session_, spec_, after, rows));
  ranges.push_back(first);
  if (second_reader_ != nullptr && first.through.has_value()) {
    SA_ASSIGN_OR_RETURN(ChunkRange second, NextRange(session_, spec_, first.through, rows));
    ranges.push_back(second);
  }
  std::vector<StatusOr<std::optional<uint64_t>>> results;
  if (ranges.size() == 2) {
    std::future<StatusOr<std::optional<uint64_t>>> other =
        std::async(std::launch::async, [this, &ranges] {
          DelayPoint("verify_second_range");
          return CompareRange(*second_reader_, ranges[1]);
        });
    results.push_back(CompareRange(session_, ranges[0]));
    results.push_back(other.get());
  } else {
    results.push_back(CompareRange(session_, ranges[0]));
  }
  uint64_t compared = 0;
  for (size_t i = 0; i < ranges.size(); ++i) {
    SA_RETURN_IF_ERROR(results[i].status());
    if (!results[i]->has_value()) return FindFirstDifference(ranges[i]);
    compared += **results[i];
  }
  sizer_.Record(compared,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  progress_.rows_compared += compared;
  progress_.chunks += ranges.size();
  next = ranges.back().through;
  done = !next.has_value();
  return Status::Ok();
}

Status Verifier::Run(const ProgressFn& on_chunk) {
  // Short lock waits on both sessions: the reads need a metadata lock on each table (a DDL or a
  // LOCK TABLES there makes them wait) and the diagnosis of a mismatch writes rows (and rolls
  // back). Neither may queue behind the application for long; a chunk whose read waited too long
  // is compared again after a pause.
  SA_RETURN_IF_ERROR(session_.Execute(SetLockWaits(session_.flavor(), kLockWaitSeconds)));
  if (second_reader_ != nullptr) {
    SA_RETURN_IF_ERROR(
        second_reader_->Execute(SetLockWaits(second_reader_->flavor(), kLockWaitSeconds)));
  }
  std::optional<KeyTuple> after;
  bool done = false;
  unsigned conflicts = 0;
  while (!done) {
    if (stop_.requested()) {
      session_.Execute(RollbackTransaction()).IgnoreError();  // read-only, and stopping anyway
      return AbortedError("stopped by " + stop_.Describe());
    }
    if (before_chunk_) SA_RETURN_IF_ERROR(before_chunk_());
    std::optional<KeyTuple> next;
    Status s = CompareChunk(after, next, done);
    if (!s.ok()) {
      // Read-only; `s` is the failure to report.
      session_.Execute(RollbackTransaction()).IgnoreError();
      if (!IsLockConflict(s) || ++conflicts >= kMaxLockConflicts) return s;
      progress_.lock_retries += 1;
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(conflicts * 20u, 1000u)));
      continue;
    }
    conflicts = 0;
    after = next;
    if (on_chunk) on_chunk(progress_);
  }
  if (spec_.key.matches_row_by_row()) return CompareTableRows();
  return Status::Ok();
}

Status Verifier::CompareTableRows() {
  // Each chunk compared the original's rows with their mirrors; a row of the new table that
  // mirrors none shows as one row too many, in a snapshot where both tables agree otherwise.
  for (unsigned attempt = 1;; ++attempt) {
    SA_RETURN_IF_ERROR(session_.Execute(StartConsistentSnapshot()));
    StatusOr<ResultSet> a = session_.Query(TableRowsQuery(spec_, false));
    StatusOr<ResultSet> b = a.ok() ? session_.Query(TableRowsQuery(spec_, true)) : a;
    // Ends a read-only snapshot; the reads decide.
    session_.Execute(CommitTransaction()).IgnoreError();
    if (IsLockConflict(a.status()) || IsLockConflict(b.status())) {
      if (attempt >= kMaxLockConflicts) return b.status();
      std::this_thread::sleep_for(std::chrono::milliseconds(std::min(attempt * 20u, 1000u)));
      continue;
    }
    SA_RETURN_IF_ERROR(a.status());
    SA_RETURN_IF_ERROR(b.status());
    const std::string original = a->empty() ? "" : a->rows[0][0].value_or("");
    const std::string mirrored = b->empty() ? "" : b->rows[0][0].value_or("");
    if (original == mirrored) return Status::Ok();
    return DataLossError("verification failed: the new table holds " + mirrored +
                         " rows where the original holds " + original +
                         " (a row of the new table mirrors no row of the original)");
  }
}

}  // namespace shadowalter
