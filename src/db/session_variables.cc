#include "db/session_variables.h"

#include <algorithm>

#include "db/quote.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

bool IsBareWord(const std::string& v) {
  if (v.empty() || (v[0] >= '0' && v[0] <= '9')) return false;
  return std::all_of(v.begin(), v.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

std::string SetSessionVariables(const std::vector<SessionVariable>& variables) {
  std::string sql;
  for (const SessionVariable& v : variables) {
    sql += sql.empty() ? "SET SESSION " : ", ";
    const bool raw = IsPlainNumber(v.value) || IsBareWord(v.value);
    sql += QuoteIdentifier(v.name) + " = " + (raw ? v.value : QuoteString(v.value));
  }
  return sql;
}

}  // namespace shadowalter
