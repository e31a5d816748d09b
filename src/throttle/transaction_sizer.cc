#include "throttle/transaction_sizer.h"

#include <algorithm>

namespace shadowalter {

TransactionSizer::TransactionSizer(uint64_t initial_rows, uint64_t max_rows)
    : rows_(std::clamp(initial_rows, kMinRows, std::max(kMinRows, max_rows))),
      insert_rows_(std::max(kMinInsertRows, rows_ / 2)),
      max_(std::max(kMinRows, max_rows)),
      min_rows_(rows_),
      max_used_(rows_) {}

TransactionSizer TransactionSizer::Fixed(uint64_t rows, uint64_t rows_per_insert) {
  TransactionSizer s(rows, rows);
  s.rows_ = rows;
  s.insert_rows_ = rows_per_insert;
  s.min_rows_ = s.max_used_ = rows;
  s.fixed_ = true;
  s.busy_ = true;
  return s;
}

void TransactionSizer::Record(uint64_t row_lock_waits, uint64_t others_wrote) {
  if (fixed_) return;
  busy_ = row_lock_waits > 0 || others_wrote > 0;
  if (row_lock_waits > 0) {
    rows_ = std::max(kMinRows, rows_ / 2);
    insert_rows_ = std::max(kMinInsertRows, insert_rows_ / 2);
    ++shrinks_;
  } else if (others_wrote > 0) {
    rows_ = std::min(rows_, kBusyRows);
    insert_rows_ = std::min(insert_rows_, kBusyInsertRows);
  } else {
    rows_ = std::min(max_, rows_ + kStep);
    insert_rows_ += kStep / 2;
  }
  insert_rows_ = std::clamp(insert_rows_, kMinInsertRows, std::max(kMinInsertRows, rows_ / 2));
  min_rows_ = std::min(min_rows_, rows_);
  max_used_ = std::max(max_used_, rows_);
}

}  // namespace shadowalter
