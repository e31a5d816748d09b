#include "inspect/blockers.h"

#include <cstdlib>
#include <set>

#include "sql/blocker_queries.h"

namespace shadowalter {
namespace {

std::string Cell(const std::vector<std::optional<std::string>>& row, size_t i) {
  return i < row.size() && row[i] ? *row[i] : "";
}

// Connection ids holding (granted) a metadata lock on the table.
std::set<std::string> MetadataLockHolders(Session& s, const std::string& schema,
                                          const std::string& table) {
  std::set<std::string> ids;
  auto rs = s.Query(MetadataLockHoldersQuery(s.flavor(), schema, table));
  if (!rs.ok()) return ids;  // plugin not installed or no privilege: fall back to transactions
  for (const auto& row : rs->rows) ids.insert(Cell(row, 0));
  return ids;
}

}  // namespace

std::vector<std::string> DescribeBlockers(Session& s, const std::string& schema,
                                          const std::string& table,
                                          const std::vector<uint64_t>& self) {
  std::set<std::string> skip;
  for (uint64_t id : self) skip.insert(std::to_string(id));
  skip.insert(std::to_string(s.connection_id()));

  std::set<std::string> ids = MetadataLockHolders(s, schema, table);
  // Open transactions older than a second: the usual holders of a table's metadata lock.
  auto trx = s.Query(OldTransactionsQuery());
  if (trx.ok()) {
    for (const auto& row : trx->rows) ids.insert(Cell(row, 0));
  }
  std::vector<std::string> out;
  for (const std::string& id : ids) {
    if (id.empty() || skip.count(id)) continue;
    auto p = s.Query(ConnectionActivityQuery(std::strtoull(id.c_str(), nullptr, 10)));
    if (!p.ok() || p->empty()) continue;
    const auto& row = p->rows[0];
    std::string line = "connection " + id + " (" + Cell(row, 0) + "@" + Cell(row, 1);
    if (!Cell(row, 5).empty()) line += ", in a transaction for " + Cell(row, 5) + " s";
    line += ", now: " + Cell(row, 2) + " for " + Cell(row, 3) + " s";
    if (!Cell(row, 4).empty()) line += ", running: " + Cell(row, 4);
    out.push_back(line + ")");
  }
  return out;
}

}  // namespace shadowalter
