// The run's refusal log on the primary (sql/refusals.h says what it records and why): the one
// object that reads and marks it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/session.h"
#include "util/status.h"

namespace shadowalter {

struct RefusalSummary {
  uint64_t uncovered = 0;          // records no verification has covered
  std::vector<std::string> first;  // the first few, described: "update of key ('5'): error ..."
};

class RefusalLog {
 public:
  RefusalLog(std::string schema, std::string table)
      : schema_(std::move(schema)), table_(std::move(table)) {}

  const std::string& table() const { return table_; }
  std::string CreateStatement() const;

  // Marks every record so far as covered, right before a full verification starts. Waits for
  // the records of transactions still open (their writes then precede the verification).
  Status CoverAll(Session& s) const;

  // What is not covered. Complete only while no write on the table is in flight (under the
  // table's write lock); otherwise a snapshot.
  StatusOr<RefusalSummary> Uncovered(Session& s) const;

 private:
  std::string schema_;
  std::string table_;
};

}  // namespace shadowalter
