#include "sql/ddl.h"

#include "db/quote.h"

namespace shadowalter {

std::string SwapStatement(const std::string& schema, const std::string& table,
                          const std::string& old_table, const std::string& shadow_table) {
  return "RENAME TABLE " + QualifiedName(schema, table) + " TO " +
         QualifiedName(schema, old_table) + ", " + QualifiedName(schema, shadow_table) + " TO " +
         QualifiedName(schema, table);
}

std::string DropTableStatement(const std::string& schema, const std::string& table) {
  return "DROP TABLE IF EXISTS " + QualifiedName(schema, table);
}

std::string AlterStatement(const std::string& schema, const std::string& table,
                           const std::string& clauses) {
  return "ALTER TABLE " + QualifiedName(schema, table) + " " + clauses;
}

}  // namespace shadowalter
