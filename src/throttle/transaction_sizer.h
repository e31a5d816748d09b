// How many rows each copy transaction, and each INSERT ... SELECT in it, takes: sized by the harm
// it can do rather than by a fixed trade-off. Larger transactions and statements need fewer
// commits, statements and round trips per row, so they copy faster; but the rows a transaction
// reads stay share-locked until it commits (an application write to one of them waits), and each
// INSERT ... SELECT holds the new table's AUTO-INC lock to its end (innodb_autoinc_lock_mode 1),
// so every trigger insert into the new table waits behind it, a wait the server counts nowhere.
//
// So, after each transaction, from the server's counters:
// - a row lock wait began: someone waited, perhaps for the copy. Transaction and statement
//   halve (not below kMinRows and kMinInsertRows);
// - no wait, but other sessions wrote rows (anywhere: the server can't say which table): the
//   application is at work. At most kBusyRows and kBusyInsertRows, the sizes measured to keep
//   its waits to a few milliseconds;
// - nobody else wrote a row: nobody can wait. Both grow by a step, up to the maximum (additive
//   increase); the first write after a quiet stretch meets one large transaction, then the
//   sizes fall at once.
// Pure: the caller reports the counters' deltas.
#pragma once

#include <cstdint>

namespace shadowalter {

class TransactionSizer {
 public:
  static constexpr uint64_t kMinRows = 250;
  static constexpr uint64_t kBusyRows = 1000;
  static constexpr uint64_t kStep = 1000;
  static constexpr uint64_t kMinInsertRows = 125;
  static constexpr uint64_t kBusyInsertRows = 500;

  // Adaptive, from `initial_rows` (statements of half that), never above `max_rows`.
  TransactionSizer(uint64_t initial_rows, uint64_t max_rows);
  // Always `rows` per transaction (0: the whole chunk in one) and `rows_per_insert` per
  // statement (0: one statement).
  static TransactionSizer Fixed(uint64_t rows, uint64_t rows_per_insert);

  // Rows the next transaction takes (0: the whole chunk).
  uint64_t rows() const { return rows_; }
  // Rows per INSERT ... SELECT in it (0: one statement for the whole transaction).
  uint64_t rows_per_insert() const { return insert_rows_; }

  // A transaction committed; meanwhile `row_lock_waits` row lock waits began on the server and
  // other sessions wrote (inserted, updated or deleted) `others_wrote` rows.
  void Record(uint64_t row_lock_waits, uint64_t others_wrote);
  // The copy itself met a lock (and will try again): someone is working on these rows.
  void Contended() { Record(1, 1); }

  // What was chosen, for --statistics: the smallest and largest transactions, and how often
  // one was halved after a lock wait.
  uint64_t min_rows() const { return min_rows_; }
  uint64_t max_rows_used() const { return max_used_; }
  uint64_t shrinks() const { return shrinks_; }
  // Whether someone else wrote, or waited, during the last transaction: false until one is
  // measured, always true for fixed sizes (nothing is measured, so assume the worst).
  bool busy() const { return busy_; }

 private:
  uint64_t rows_;
  uint64_t insert_rows_;
  uint64_t max_;
  bool fixed_ = false;
  uint64_t min_rows_, max_used_;
  uint64_t shrinks_ = 0;
  bool busy_ = false;
};

}  // namespace shadowalter
