// One copy transaction on one session: locks a key range of the original, clears what the
// triggers already wrote into that range of the new table, copies the range and commits (see
// sql/chunk.h for why this is correct against concurrent writes). The chunk loop (copy/copier.h)
// decides which ranges; a parallel copy runs one RangeCopier per session.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "copy/copy_progress.h"
#include "db/session.h"
#include "sql/chunk.h"
#include "sql/session_statements.h"
#include "util/status.h"

namespace shadowalter {

class RangeCopier {
 public:
  // `rows_per_insert`: see CopyOptions. `insert_turn`, when given, is held around every
  // INSERT ... SELECT: copiers sharing it take turns inserting (see Copier::RunParallel). The
  // session and the mutex must outlive the copier.
  RangeCopier(Session& session, const CopySpec& spec, uint64_t rows_per_insert,
              std::mutex* insert_turn = nullptr)
      : session_(session),
        spec_(spec),
        rows_per_insert_(rows_per_insert),
        insert_turn_(insert_turn) {}

  // From the next transaction on (an adaptive copy changes it as it goes).
  void set_rows_per_insert(uint64_t rows) { rows_per_insert_ = rows; }
  // Where each transaction's time goes is added to `*times` (null: not measured). It must
  // outlive the copier.
  void MeasureInto(CopyStepSeconds* times) { times_ = times; }
  // Rows the last transaction deleted from the new table before copying its range.
  uint64_t last_cleared() const { return last_cleared_; }

  // The session settings every copy transaction relies on (no lock waits at all, see
  // range_copier.cc; no foreign key checks); once per session.
  Status Prepare();

  // Locks the next `rows` keys after `after` and copies them. Sets `next` to the last key
  // copied, or nullopt when the table's end was reached (everything after `after` was copied).
  Status CopyNext(const std::optional<KeyTuple>& after, uint64_t rows,
                  std::optional<KeyTuple>& next, uint64_t& inserted);
  // Locks and copies exactly `range`, whose bounds were chosen beforehand.
  Status CopyRange(const ChunkRange& range, uint64_t& inserted);

  // On a Galera Cluster: after each commit, the new table's rows of the range the original no
  // longer holds are deleted (RepairOrphans). The copy's row locks hold only this node's writers:
  // a row another node deleted while this transaction read it (the delete's trigger finding
  // nothing in the new table yet, and certification seeing no common key) would otherwise stay.
  void set_repair_orphans(bool repair) { repair_orphans_ = repair; }
  uint64_t orphans_repaired() const { return orphans_repaired_; }

  // Ends a failed transaction; its status tells whether the session is still usable.
  Status Rollback() { return session_.Execute(RollbackTransaction()); }

 private:
  // With `range` locked: clears it in the new table, copies its `rows` rows (nullopt: unknown)
  // and checks every one arrived, then commits.
  Status ClearCopyCommit(const ChunkRange& range, std::optional<uint64_t> rows, uint64_t& inserted);
  Status ClearInShadow(const ChunkRange& range);
  // Once `range` is committed: this node has applied every write ordered before the commit, so
  // one snapshot of both tables shows what a delete from another node left behind. Best effort:
  // a failure (other than a lost connection) leaves it to the verification, which finds it.
  Status RepairOrphans(const ChunkRange& range);
  // Copies the locked `range` in statements of at most rows_per_insert rows.
  Status InsertRange(const ChunkRange& range, std::optional<uint64_t> rows, uint64_t& inserted);
  Status CheckWarnings(const std::string& doing);
  // "the row with key (...)" a failed copy statement stopped at, for the error message.
  std::string OffendingRow(const std::optional<KeyTuple>& after, const Status& error);

  Session& session_;
  const CopySpec& spec_;
  uint64_t rows_per_insert_;
  std::mutex* insert_turn_;
  bool repair_orphans_ = false;
  uint64_t orphans_repaired_ = 0;
  CopyStepSeconds* times_ = nullptr;
  uint64_t last_cleared_ = 0;
};

}  // namespace shadowalter
