// Statements that move foreign keys between tables (--alter-foreign-keys-method). Pure.
//
// Each runs with foreign_key_checks = 0 for that statement only (MariaDB's SET STATEMENT ... FOR),
// because that is what makes InnoDB add a foreign key as a metadata-only change: without it the
// server validates every child row and rebuilds the child (ALGORITHM=COPY). ALGORITHM=INPLACE and
// LOCK=NONE make the server refuse rather than fall back to a rebuild. The session's own setting is
// never changed, so a cleanup DROP TABLE on the same session still meets the checks.
// ALGORITHM=INSTANT makes the server refuse rather than touch a row or an index: on MariaDB 10.11
// dropping and adding a foreign key this way renames the implicit index with the constraint and
// keeps its index id (checked in INNODB_SYS_INDEXES): no rebuild, no index build.
#pragma once

#include <string>

#include "schema/table.h"
#include "util/status.h"

namespace shadowalter {

// One ALTER TABLE on fk's child: drops constraint fk.constraint_name and adds `new_name` with the
// same columns and ON DELETE / ON UPDATE rules (RESTRICT written as the default, no clause),
// referencing `referenced_table` (in fk.referenced_schema) on fk.referenced_columns. The old and
// new names must differ: MariaDB rejects dropping and adding one name in a single statement (error
// 1826). `idempotent` adds IF EXISTS / IF NOT EXISTS, for undo statements that may run after the
// change never happened. Fails (kInternal) on a rule the server should never report.
StatusOr<std::string> RepointForeignKey(const ForeignKeyRef& fk, const std::string& new_name,
                                        const std::string& referenced_table, bool idempotent);

// DROP TABLE IF EXISTS with foreign_key_checks = 0: drops a table children still reference.
std::string DropTableWithoutForeignKeyChecks(const std::string& schema, const std::string& table);

// ALTER TABLE `schema`.`from` RENAME TO `to`: unlike RENAME TABLE, allowed under LOCK TABLES.
std::string RenameTableStatement(const std::string& schema, const std::string& from,
                                 const std::string& to);

// LOCK TABLES ... WRITE on the table, its new table and every child table (each once), for
// drop_swap: no child may be written while the table is missing, or the replicas, which apply
// the child's row event when the table is missing there too, would stop on it.
std::string LockTablesForDropSwap(const std::string& schema, const std::string& table,
                                  const std::string& shadow_table,
                                  const std::vector<ForeignKeyRef>& children);

}  // namespace shadowalter
