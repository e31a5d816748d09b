// Feeds the copy's TransactionSizer (throttle/transaction_sizer.h) from the server's counters
// read around each copy transaction: row lock waits begun, and rows other sessions wrote. The
// counters are read right before a transaction (unless the last read, taken right after the one
// before, is still current) and right after it commits, so the copy's own checkpoint writes and
// rolled-back tries are never taken for someone else's work.
#pragma once

#include <cstdint>

#include "copy/copy_progress.h"
#include "db/session.h"
#include "throttle/transaction_sizer.h"
#include "util/status.h"

namespace shadowalter {

class TransactionPace {
 public:
  // Adaptive from `initial_rows` up to `max_rows` when max_rows > 0; else fixed at
  // `initial_rows` per transaction and `rows_per_insert` per statement, reading nothing.
  // Seconds spent reading counters go to times.wait_check. Both references outlive it.
  TransactionPace(Session& session, uint64_t initial_rows, uint64_t max_rows,
                  uint64_t rows_per_insert, CopyStepSeconds& times);

  uint64_t rows() const { return sizer_.rows(); }
  uint64_t rows_per_insert() const { return sizer_.rows_per_insert(); }
  const TransactionSizer& sizer() const { return sizer_; }

  // Right before a transaction starts.
  Status BeforeTransaction();
  // After a transaction committed, having inserted `inserted` rows and deleted `cleared` of its
  // own; sizes the next one.
  Status AfterCommit(uint64_t inserted, uint64_t cleared);
  // The copy ran something else on the server since (a checkpoint, a rolled-back try): the next
  // transaction reads the counters afresh.
  void Invalidate() { current_ = false; }
  // The copy met a lock itself.
  void Contended() {
    sizer_.Contended();
    current_ = false;
  }

 private:
  struct Counters {
    uint64_t row_lock_waits = 0;  // Innodb_row_lock_waits
    uint64_t rows_written = 0;    // Handler_write + Handler_update + Handler_delete
  };
  StatusOr<Counters> Read();

  Session& session_;
  TransactionSizer sizer_;
  const bool adaptive_;
  CopyStepSeconds& times_;
  Counters before_;
  bool current_ = false;  // before_ was read after the last statement the copy sent
};

}  // namespace shadowalter
