#include "sql/status_queries.h"

#include "db/quote.h"

namespace shadowalter {

std::string GlobalStatusQuery(const std::set<std::string>& names) {
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + QuoteString(n);
  return "SHOW GLOBAL STATUS WHERE Variable_name IN (" + list + ")";
}

}  // namespace shadowalter
