// Reads that name the sessions in a table's way (inspect/blockers.h): who holds its metadata
// lock, which transactions are old, what a connection is doing. Pure.
#pragma once

#include <cstdint>
#include <string>

#include "db/session.h"

namespace shadowalter {

// The connection ids holding a granted metadata lock on the table, one per row: MariaDB's
// METADATA_LOCK_INFO plugin, or MySQL's performance_schema.
std::string MetadataLockHoldersQuery(ServerFlavor flavor, const std::string& schema,
                                     const std::string& table);

// The connection ids of the (up to ten) oldest transactions open for more than a second.
std::string OldTransactionsQuery();

// What connection `id` is: USER, HOST, COMMAND, TIME, the first 80 characters of its statement
// ('' for none), and for how many seconds its transaction has been open (NULL without one).
std::string ConnectionActivityQuery(uint64_t id);

}  // namespace shadowalter
