#include "sql/foreign_keys.h"

#include <algorithm>

#include "db/quote.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

constexpr const char* kNoChecks = "SET STATEMENT foreign_key_checks = 0 FOR ";

bool IsKnownRule(const std::string& rule) {
  static const char* const kRules[] = {"RESTRICT", "CASCADE", "SET NULL", "NO ACTION",
                                       "SET DEFAULT"};
  return std::any_of(std::begin(kRules), std::end(kRules),
                     [&](const char* r) { return rule == r; });
}

std::string ColumnList(const std::vector<std::string>& columns) {
  std::vector<std::string> quoted;
  for (const std::string& c : columns) quoted.push_back(QuoteIdentifier(c));
  return "(" + Join(quoted, ", ") + ")";
}

// " ON <event> <rule>", or nothing for RESTRICT: the server's default, and the only spelling that
// keeps it RESTRICT (MariaDB 10.11 stores an explicit RESTRICT added by ALTER as NO ACTION).
std::string RuleClause(const char* event, const std::string& rule) {
  return rule == "RESTRICT" ? "" : std::string(" ON ") + event + " " + rule;
}

}  // namespace

StatusOr<std::string> RepointForeignKey(const ForeignKeyRef& fk, const std::string& new_name,
                                        const std::string& referenced_table, bool idempotent) {
  // The rules are pasted into SQL text: accept only the words the server itself reports.
  if (!IsKnownRule(fk.on_delete) || !IsKnownRule(fk.on_update)) {
    return InternalError("foreign key " + QuoteIdentifier(fk.constraint_name) +
                         " has an unknown rule (ON DELETE " + fk.on_delete + ", ON UPDATE " +
                         fk.on_update + ")");
  }
  if (fk.columns.empty() || fk.columns.size() != fk.referenced_columns.size()) {
    return InternalError("foreign key " + QuoteIdentifier(fk.constraint_name) +
                         " has no columns or unmatched referenced columns");
  }
  const std::string if_exists = idempotent ? "IF EXISTS " : "";
  const std::string if_not_exists = idempotent ? "IF NOT EXISTS " : "";
  return std::string(kNoChecks) + "ALTER TABLE " + QualifiedName(fk.child_schema, fk.child_table) +
         " DROP FOREIGN KEY " + if_exists + QuoteIdentifier(fk.constraint_name) +
         ", ADD CONSTRAINT " + QuoteIdentifier(new_name) + " FOREIGN KEY " + if_not_exists +
         ColumnList(fk.columns) + " REFERENCES " +
         QualifiedName(fk.referenced_schema, referenced_table) + " " +
         ColumnList(fk.referenced_columns) + RuleClause("DELETE", fk.on_delete) +
         RuleClause("UPDATE", fk.on_update) + ", ALGORITHM = INSTANT";
}

std::string DropTableWithoutForeignKeyChecks(const std::string& schema, const std::string& table) {
  return std::string(kNoChecks) + "DROP TABLE IF EXISTS " + QualifiedName(schema, table);
}

std::string RenameTableStatement(const std::string& schema, const std::string& from,
                                 const std::string& to) {
  return "ALTER TABLE " + QualifiedName(schema, from) + " RENAME TO " + QualifiedName(schema, to);
}

std::string LockTablesForDropSwap(const std::string& schema, const std::string& table,
                                  const std::string& shadow_table,
                                  const std::vector<ForeignKeyRef>& children) {
  std::vector<std::string> names = {QualifiedName(schema, table),
                                    QualifiedName(schema, shadow_table)};
  for (const ForeignKeyRef& fk : children) {
    const std::string child = QualifiedName(fk.child_schema, fk.child_table);
    if (std::find(names.begin(), names.end(), child) == names.end()) names.push_back(child);
  }
  std::string sql = "LOCK TABLES ";
  for (size_t i = 0; i < names.size(); ++i) sql += (i ? ", " : "") + names[i] + " WRITE";
  return sql;
}

}  // namespace shadowalter
