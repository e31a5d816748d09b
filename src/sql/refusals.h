// The refusal log: a small InnoDB table in which the mirror triggers record every write the new
// table refused (a duplicate on a key the ALTER added, a value that no longer fits, ...). Pure.
//
// Why: a trigger must not fail the application's statement, so it skips such a write; the new
// table then lacks it. Verification catches that only for writes made before it compared the row.
// The log makes every refused write visible to the run until the swap, in the writer's own
// transaction (a write rolled back takes its record with it). A row is "covered" once a full
// verification started after it was recorded: that verification compared the row's final state.
// The swap refuses while any record is not covered.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace shadowalter {

// CREATE TABLE for the log. Values are stored as bytes (no character set can make recording
// fail inside the application's write).
std::string CreateRefusalsTable(const std::string& schema, const std::string& table);

// The statement a trigger's handler runs: records `event` ("insert", "update") with the error the
// handler caught (in the local variables `errno_var` and `message_var`) and the row's key, taken
// from `row` ("NEW") columns `key_columns`.
std::string RecordRefusal(const std::string& schema, const std::string& table,
                          const std::string& event, const std::string& row,
                          const std::vector<std::string>& key_columns, const std::string& errno_var,
                          const std::string& message_var);

// Marks every record covered. A locking UPDATE of the whole table: it waits for records of
// transactions still open, and holds new ones off until it commits.
std::string CoverRefusals(const std::string& schema, const std::string& table);

// How many records are not covered: one row, one value.
std::string CountUncoveredRefusals(const std::string& schema, const std::string& table);

// The first `limit` records not covered: event, errno, message, row_key.
std::string FirstUncoveredRefusals(const std::string& schema, const std::string& table,
                                   size_t limit);

}  // namespace shadowalter
