#include "cutover/refusal_log.h"

#include "sql/refusals.h"

namespace shadowalter {
namespace {

constexpr size_t kDescribed = 3;

}  // namespace

std::string RefusalLog::CreateStatement() const { return CreateRefusalsTable(schema_, table_); }

Status RefusalLog::CoverAll(Session& s) const {
  return s.Execute(CoverRefusals(schema_, table_)).With("marking the refused writes verified");
}

StatusOr<RefusalSummary> RefusalLog::Uncovered(Session& s) const {
  RefusalSummary out;
  SA_ASSIGN_OR_RETURN(ResultSet count, s.Query(CountUncoveredRefusals(schema_, table_)));
  out.uncovered = std::stoull(count.Scalar().value_or("0"));
  if (out.uncovered == 0) return out;
  SA_ASSIGN_OR_RETURN(ResultSet rs, s.Query(FirstUncoveredRefusals(schema_, table_, kDescribed)));
  for (const auto& row : rs.rows) {
    out.first.push_back(row.at(0).value_or("?") + " of key (" + row.at(3).value_or("?") +
                        "): error " + row.at(1).value_or("?") + " " + row.at(2).value_or(""));
  }
  return out;
}

}  // namespace shadowalter
