#include "copy/range_copier.h"

#include <chrono>
#include <cstdlib>
#include <set>

#include "db/errors.h"
#include "sql/ddl.h"
#include "sql/session_statements.h"
#include "util/crash_point.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

std::string DescribeKey(const KeyTuple& k) { return "(" + Join(k, ", ") + ")"; }

std::string Where(const std::optional<KeyTuple>& after) {
  return after ? "after key " + DescribeKey(*after) : "from the first key";
}

// Runs `step`, adding the seconds it took to `*seconds` unless that is null.
template <typename Step>
auto Timed(double* seconds, Step step) {
  const auto start = std::chrono::steady_clock::now();
  auto result = step();
  if (seconds) {
    *seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return result;
}

KeyTuple KeyOf(const std::vector<std::optional<std::string>>& row) {
  KeyTuple k;
  for (const auto& v : row) k.push_back(v.value_or(""));
  return k;
}

}  // namespace

Status RangeCopier::Prepare() {
  // The copy must never wait for the application: not for a row lock, nor for a metadata or
  // table-level lock on either table. Its transaction holds share locks on the original's rows
  // while it writes the new table; waiting there behind someone who waits for one of those rows
  // is a cycle across lock kinds that no deadlock detector sees, and the application would hang
  // in it. Every wait ends at once (MariaDB; MySQL's shortest is 1 s, and NOWAIT on the locking
  // read covers its row locks) and the transaction is retried like any lock conflict.
  SA_RETURN_IF_ERROR(session_.Execute(SetLockWaits(session_.flavor(), 0)));
  // Parent rows exist for every copied child row (they were checked when written to the
  // original); checking them again per row only slows the copy.
  return session_.Execute(DisableForeignKeyChecks());
}

std::string RangeCopier::OffendingRow(const std::optional<KeyTuple>& after, const Status& error) {
  // The server names the statement's row number ("... at row 217"); rows are read in key order,
  // so that is the 217th key after the chunk's start.
  const std::string& m = error.message();
  const auto at = m.rfind("at row ");
  uint64_t row = 0;
  if (at != std::string::npos) row = std::strtoull(m.c_str() + at + 7, nullptr, 10);
  if (row > 0) {
    // Only to read the key outside the failed transaction; the copy's error is reported anyway.
    session_.Execute(RollbackTransaction()).IgnoreError();
    auto rs = session_.Query(NthKeyAfter(spec_, after, row));
    if (rs.ok() && !rs->empty()) {
      KeyTuple k;
      for (const auto& v : rs->rows[0]) k.push_back(v.value_or("NULL"));
      return "the row with key " + DescribeKey(k);
    }
  }
  return "a row " +
         (after ? "after key " + DescribeKey(*after) : std::string("in the first chunk"));
}

Status RangeCopier::CheckWarnings(const std::string& doing) {
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

Status RangeCopier::ClearInShadow(const ChunkRange& range) {
  last_cleared_ = 0;
  SA_ASSIGN_OR_RETURN(ResultSet present, session_.Query(ShadowKeysInRange(spec_, range)));
  if (present.empty()) return Status::Ok();
  last_cleared_ = present.rows.size();
  std::vector<KeyTuple> keys;
  for (const auto& row : present.rows) keys.push_back(KeyOf(row));
  return session_.Execute(ClearRowsInShadow(spec_, keys));
}

Status RangeCopier::InsertRange(const ChunkRange& range, std::optional<uint64_t> rows,
                                uint64_t& inserted) {
  ChunkRange part{range.after, range.through};
  for (;;) {
    // Where this statement ends: rows_per_insert rows on, or the end of the range. When the
    // rest of a locked range fits in one statement, that needs no lookup.
    part.through = range.through;
    bool last = true;
    const bool rest_fits =
        rows.has_value() && (inserted >= *rows || *rows - inserted <= rows_per_insert_);
    if (rows_per_insert_ > 0 && !rest_fits) {
      SA_ASSIGN_OR_RETURN(ResultSet end,
                          session_.Query(NthKeyInRange(spec_, part, rows_per_insert_)));
      if (!end.empty()) {
        KeyTuple k = KeyOf(end.rows[0]);
        last = range.through.has_value() && k == *range.through;
        part.through = std::move(k);
      }
    }
    Status copied;
    {
      std::unique_lock<std::mutex> turn;
      if (insert_turn_) turn = std::unique_lock<std::mutex>(*insert_turn_);
      copied = session_.Execute(CopyChunk(spec_, part));
    }
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
    SA_RETURN_IF_ERROR(CheckWarnings("copying rows " + Where(part.after)));
    if (last || part.through == range.through) return Status::Ok();
    part.after = part.through;
  }
}

Status RangeCopier::ClearCopyCommit(const ChunkRange& range, std::optional<uint64_t> rows,
                                    uint64_t& inserted) {
  SA_RETURN_IF_ERROR(
      Timed(times_ ? &times_->clear : nullptr, [&] { return ClearInShadow(range); }));
  inserted = 0;
  SA_RETURN_IF_ERROR(Timed(times_ ? &times_->insert : nullptr,
                           [&] { return InsertRange(range, rows, inserted); }));
  // Every row of the locked range must arrive.
  if (rows && inserted != *rows) {
    return DataLossError("copying rows " + Where(range.after) + ": inserted " +
                         std::to_string(inserted) + " rows where " + std::to_string(*rows) +
                         " were locked; refusing to continue");
  }
  // Tests widen the moment between the locking read and the commit (util/crash_point.h).
  DelayPoint("copy_before_commit");
  SA_RETURN_IF_ERROR(Timed(times_ ? &times_->commit : nullptr,
                           [&] { return session_.Execute(CommitTransaction()); }));
  if (!repair_orphans_ || spec_.key.matches_row_by_row()) return Status::Ok();
  Status repaired = RepairOrphans(range);
  if (!repaired.ok()) {
    session_.Execute(RollbackTransaction()).IgnoreError();  // the failure is what counts
    if (IsConnectionLost(repaired)) return repaired;
  }
  return Status::Ok();
}

Status RangeCopier::RepairOrphans(const ChunkRange& range) {
  SA_RETURN_IF_ERROR(session_.Execute(StartTransaction()));
  SA_ASSIGN_OR_RETURN(ResultSet copied, session_.Query(ShadowKeysInRange(spec_, range)));
  SA_ASSIGN_OR_RETURN(ResultSet original, session_.Query(OriginalKeysInRange(spec_, range)));
  SA_RETURN_IF_ERROR(session_.Execute(CommitTransaction()));
  std::set<KeyTuple> present;
  for (const auto& row : original.rows) present.insert(KeyOf(row));
  std::vector<KeyTuple> orphans;
  for (const auto& row : copied.rows) {
    KeyTuple k = KeyOf(row);
    if (present.count(k) == 0) orphans.push_back(std::move(k));
  }
  if (orphans.empty()) return Status::Ok();
  SA_RETURN_IF_ERROR(session_.Execute(ClearOrphansInShadow(spec_, orphans)));
  orphans_repaired_ += session_.affected_rows();
  return Status::Ok();
}

Status RangeCopier::CopyNext(const std::optional<KeyTuple>& after, uint64_t rows,
                             std::optional<KeyTuple>& next, uint64_t& inserted) {
  SA_ASSIGN_OR_RETURN(ResultSet bound, Timed(times_ ? &times_->lock : nullptr, [&] {
                        Status started = session_.Execute(StartTransaction());
                        return started.ok() ? session_.Query(LockNextChunk(spec_, after, rows))
                                            : StatusOr<ResultSet>(started);
                      }));
  ChunkRange range{after, std::nullopt};
  if (!bound.empty()) range.through = KeyOf(bound.rows[0]);
  // A bounded range holds exactly `rows` rows (they are locked); the table's last one, unknown.
  SA_RETURN_IF_ERROR(ClearCopyCommit(
      range, range.through ? std::optional<uint64_t>(rows) : std::nullopt, inserted));
  next = range.through;
  return Status::Ok();
}

Status RangeCopier::CopyRange(const ChunkRange& range, uint64_t& inserted) {
  SA_RETURN_IF_ERROR(session_.Execute(StartTransaction()));
  SA_ASSIGN_OR_RETURN(ResultSet count, session_.Query(LockRange(spec_, range)));
  if (count.empty() || !count.rows[0][0]) return InternalError("counting a locked range: no row");
  return ClearCopyCommit(range, std::strtoull(count.rows[0][0]->c_str(), nullptr, 10), inserted);
}

}  // namespace shadowalter
