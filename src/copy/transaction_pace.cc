#include "copy/transaction_pace.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "sql/status_queries.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

uint64_t Delta(uint64_t now, uint64_t before) { return now - std::min(now, before); }

}  // namespace

TransactionPace::TransactionPace(Session& session, uint64_t initial_rows, uint64_t max_rows,
                                 uint64_t rows_per_insert, CopyStepSeconds& times)
    : session_(session),
      sizer_(max_rows > 0 ? TransactionSizer(initial_rows, max_rows)
                          : TransactionSizer::Fixed(initial_rows, rows_per_insert)),
      adaptive_(max_rows > 0),
      times_(times) {}

StatusOr<TransactionPace::Counters> TransactionPace::Read() {
  const auto start = std::chrono::steady_clock::now();
  SA_ASSIGN_OR_RETURN(ResultSet rs,
                      session_.Query(GlobalStatusQuery({"Innodb_row_lock_waits", "Handler_write",
                                                        "Handler_update", "Handler_delete"})));
  times_.wait_check +=
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Counters c;
  unsigned found = 0;
  for (const auto& row : rs.rows) {
    if (row.size() < 2 || !row[0] || !row[1]) continue;
    const uint64_t value = std::strtoull(row[1]->c_str(), nullptr, 10);
    ++found;
    if (AsciiLower(*row[0]) == "innodb_row_lock_waits") {
      c.row_lock_waits = value;
    } else {
      c.rows_written += value;
    }
  }
  if (found != 4) {
    return InternalError(
        "the server reports no Innodb_row_lock_waits, Handler_write, Handler_update or "
        "Handler_delete to size the copy's transactions by");
  }
  return c;
}

Status TransactionPace::BeforeTransaction() {
  if (!adaptive_ || current_) return Status::Ok();
  SA_ASSIGN_OR_RETURN(before_, Read());
  current_ = true;
  return Status::Ok();
}

Status TransactionPace::AfterCommit(uint64_t inserted, uint64_t cleared) {
  if (!adaptive_) return Status::Ok();
  SA_ASSIGN_OR_RETURN(const Counters now, Read());
  const uint64_t written = Delta(now.rows_written, before_.rows_written);
  sizer_.Record(Delta(now.row_lock_waits, before_.row_lock_waits),
                Delta(written, inserted + cleared));
  before_ = now;
  current_ = true;
  return Status::Ok();
}

}  // namespace shadowalter
