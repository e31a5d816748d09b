// DDL statements of a migration: the swap and the drops. Pure.
#pragma once

#include <string>

namespace shadowalter {

// One atomic RENAME: t -> old, shadow -> t. Readers and writers never see the table missing.
std::string SwapStatement(const std::string& schema, const std::string& table,
                          const std::string& old_table, const std::string& shadow_table);

std::string DropTableStatement(const std::string& schema, const std::string& table);

// ALTER TABLE `schema`.`table` <clauses>
std::string AlterStatement(const std::string& schema, const std::string& table,
                           const std::string& clauses);

}  // namespace shadowalter
