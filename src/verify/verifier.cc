#include "verify/verifier.h"

#include <algorithm>
#include <chrono>
#include <future>
#include <map>
#include <thread>

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

// key tuple -> row hash, in key order.
StatusOr<std::map<std::vector<std::string>, std::string>> RowHashes(Session& s,
                                                                    const std::string& sql,
                                                                    size_t key_columns) {
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(sql));
  std::map<std::vector<std::string>, std::string> out;
  for (const auto& row : rs.rows) {
    std::vector<std::string> key;
    for (size_t i = 0; i < key_columns; ++i) key.push_back(row[i].value_or("NULL"));
    out[key] = row[key_columns].value_or("NULL");
  }
  return out;
}

// A chunk's (count, sum) row. A non-empty chunk whose sum is NULL means the server's SHA2()
// returned NULL: comparing that NULL with the other side's would prove nothing.
Status CheckChecksumRow(const StatusOr<ResultSet>& rs) {
  if (!rs.ok()) return rs.status();
  if (rs->empty() || rs->rows[0].size() < 2) return InternalError("checksum query returned no row");
  const auto& row = rs->rows[0];
  if (row[0].value_or("0") != "0" && !row[1].has_value()) {
    return InternalError("comparing checksums: the row hash is NULL (no SHA2() on the server)");
  }
  return Status::Ok();
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
  const size_t n = spec_.key.columns.size();
  SA_ASSIGN_OR_RETURN(
      auto src, RowHashes(session_, RowHashQuery(spec_, plan_, source_, shadow_, false, range), n));
  SA_ASSIGN_OR_RETURN(
      auto dst, RowHashes(session_, RowHashQuery(spec_, plan_, source_, shadow_, true, range), n));
  // Keys come back as text from both tables; the copy keeps key columns' values, so they match.
  auto a = src.begin();
  auto b = dst.begin();
  while (a != src.end() || b != dst.end()) {
    if (b == dst.end() || (a != src.end() && a->first < b->first)) {
      return DataLossError("verification failed in " + DescribeRange(range) + ": row " +
                           DescribeKey(a->first) + " is missing from the new table" +
                           Diagnose(a->first));
    }
    if (a == src.end() || b->first < a->first) {
      return DataLossError("verification failed in " + DescribeRange(range) + ": row " +
                           DescribeKey(b->first) + " is in the new table but not the original");
    }
    if (a->second != b->second) {
      return DataLossError("verification failed in " + DescribeRange(range) + ": row " +
                           DescribeKey(a->first) + " differs between the tables" +
                           Diagnose(a->first));
    }
    ++a;
    ++b;
  }
  return DataLossError("verification failed in " + DescribeRange(range) +
                       ": checksums differ but no single differing row was found");
}

StatusOr<std::optional<uint64_t>> Verifier::CompareSideBySide(const ChunkRange& range) {
  const std::string shadow_sql = ChecksumQuery(spec_, plan_, source_, shadow_, true, range);
  std::future<StatusOr<ResultSet>> shadow_side =
      std::async(std::launch::async, [this, &shadow_sql] {
        DelayPoint("verify_shadow_side");
        return shadow_reader_->Query(shadow_sql);
      });
  StatusOr<ResultSet> a =
      session_.Query(ChecksumQuery(spec_, plan_, source_, shadow_, false, range));
  StatusOr<ResultSet> b = shadow_side.get();
  SA_RETURN_IF_ERROR(CheckChecksumRow(a));
  SA_RETURN_IF_ERROR(CheckChecksumRow(b));
  if (a->rows[0] != b->rows[0]) return std::optional<uint64_t>();
  return std::optional<uint64_t>(std::stoull(a->rows[0][0].value_or("0")));
}

StatusOr<uint64_t> Verifier::CompareInOneSnapshot(const ChunkRange& range) {
  SA_RETURN_IF_ERROR(session_.Execute(StartConsistentSnapshot()));
  StatusOr<ResultSet> a =
      session_.Query(ChecksumQuery(spec_, plan_, source_, shadow_, false, range));
  SA_RETURN_IF_ERROR(CheckChecksumRow(a));
  StatusOr<ResultSet> b =
      session_.Query(ChecksumQuery(spec_, plan_, source_, shadow_, true, range));
  SA_RETURN_IF_ERROR(CheckChecksumRow(b));
  if (a->rows[0] != b->rows[0]) {
    Status diff = FindFirstDifference(range);
    // Read-only: the difference is what matters.
    session_.Execute(CommitTransaction()).IgnoreError();
    return diff;
  }
  SA_RETURN_IF_ERROR(session_.Execute(CommitTransaction()));
  return std::stoull(a->rows[0][0].value_or("0"));
}

Status Verifier::CompareChunk(const std::optional<KeyTuple>& after, std::optional<KeyTuple>& next,
                              bool& done) {
  const auto start = std::chrono::steady_clock::now();
  // The chunk's end, read without locks: the comparison covers exactly the keys up to it, in
  // whatever snapshot it is made.
  SA_ASSIGN_OR_RETURN(ResultSet bound,
                      session_.Query(NthKeyAfter(spec_, after, sizer_.next_rows())));
  ChunkRange range{after, std::nullopt};
  if (!bound.empty()) {
    KeyTuple k;
    for (const auto& v : bound.rows[0]) k.push_back(v.value_or(""));
    range.through = k;
  }
  std::optional<uint64_t> rows;
  if (shadow_reader_ != nullptr) {
    SA_ASSIGN_OR_RETURN(rows, CompareSideBySide(range));
    if (!rows) progress_.rechecked += 1;
  }
  if (!rows) {
    SA_ASSIGN_OR_RETURN(rows, CompareInOneSnapshot(range));
  }
  sizer_.Record(*rows,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  progress_.rows_compared += *rows;
  progress_.chunks += 1;
  next = range.through;
  done = !range.through.has_value();
  return Status::Ok();
}

Status Verifier::Run(const ProgressFn& on_chunk) {
  // Short lock waits on both sessions: the reads need a metadata lock on each table (a DDL or a
  // LOCK TABLES there makes them wait) and the diagnosis of a mismatch writes rows (and rolls
  // back). Neither may queue behind the application for long; a chunk whose read waited too long
  // is compared again after a pause.
  SA_RETURN_IF_ERROR(session_.Execute(SetLockWaits(session_.flavor(), kLockWaitSeconds)));
  if (shadow_reader_ != nullptr) {
    SA_RETURN_IF_ERROR(
        shadow_reader_->Execute(SetLockWaits(shadow_reader_->flavor(), kLockWaitSeconds)));
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
