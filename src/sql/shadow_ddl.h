// DDL for the shadow table: the original's CREATE TABLE rewritten to create a copy.
//
// The rewrite works on lexer tokens (sql/lexer.h), so words inside string literals (DEFAULT,
// COMMENT) and quoted names are never mistaken for the table name or a CONSTRAINT clause.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace shadowalter {

// Takes the text of SHOW CREATE TABLE and returns it with the table name replaced by
// QuoteIdentifier(new_table_name) and each "CONSTRAINT <name>" renamed to
// QuoteIdentifier(rename_constraint(<name>)) (an empty function keeps the names). Everything else,
// comments and whitespace included, is kept byte for byte. A schema qualifier before the table
// name, which SHOW CREATE TABLE does not print, is kept. Fails with Code::kInternal when the text
// cannot be tokenized or does not start with CREATE [TEMPORARY] TABLE [IF NOT EXISTS] <name>.
// A non-empty `self_table` is the original's name: an unqualified "REFERENCES <self_table>" (a
// self-referencing foreign key, as SHOW CREATE TABLE prints it) then references the new table
// instead, so the copy's foreign key points at the copy, not at the original.
//
// `checks` says whether CHECK constraints are renamed too: their names are unique per schema on
// MySQL, so the copy's must differ there; on MariaDB they are per table, and renaming them would
// change them for good (nothing renames a CHECK back after the swap).
enum class CheckConstraintNames { kRename, kKeep };
StatusOr<std::string> RewriteCreateTable(
    std::string_view show_create_table, std::string_view new_table_name,
    const std::function<std::string(const std::string&)>& rename_constraint,
    std::string_view self_table = {}, CheckConstraintNames checks = CheckConstraintNames::kRename);

// Returns the shadow's name for constraint `name`, which must differ from the original's because
// foreign key (and, in MySQL, CHECK) names are unique per schema: one leading '_' is removed if
// present, otherwise '_' is prepended, so renaming back after the swap restores the name. When the
// result would exceed 64 code points (MySQL's limit), it becomes its first 55 code points, '_' and
// the 8 lowercase hex digits of the FNV-1a 32-bit hash of `name`: deterministic and 64 code
// points. For a valid name (at most 64 code points) that only happens when '_' was prepended, so
// the result still differs from `name`; such a shortened name does not toggle back.
std::string ToggleConstraintName(const std::string& name);

// Whether the new table, as SHOW CREATE TABLE prints it (`new_create`, named `new_name`), has the
// definition of the original (`original_create`, named `original_name`): the new table's text,
// taken back through RewriteCreateTable (the original's name, constraint names toggled back, a
// self-reference pointing at the original; `checks` as when it was made), equals the original's,
// both without their AUTO_INCREMENT=<n> counter. A constraint name shortened on the way
// (ToggleConstraintName) does not toggle back, so such a table never compares equal: a run
// does the work rather than wrongly call it done. Internal error when a text can't be read.
StatusOr<bool> SameDefinition(std::string_view original_create, std::string_view original_name,
                              std::string_view new_create, std::string_view new_name,
                              CheckConstraintNames checks);

}  // namespace shadowalter
