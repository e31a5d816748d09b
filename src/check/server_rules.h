// Pure rules preflight applies to facts read from the server: which versions can run a migration,
// and whether the disk has room for the copy. Unit-tested without a server.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/session.h"

namespace shadowalter {

// Why this server can't run shadowalter, or nullopt when it can. The copy's locking reads need
// NOWAIT (MariaDB 10.3, MySQL 8.0), and the mirror triggers must coexist with the table's own
// (several triggers per event and timing: MariaDB 10.2, MySQL 5.7).
std::optional<std::string> ServerVersionProblem(ServerFlavor flavor, const std::string& version);

// Only InnoDB takes part in a run. The triggers write the new table inside the application's
// transactions, so a non-transactional one (MyISAM, Aria even with TRANSACTIONAL=1, MEMORY, CSV,
// ARCHIVE, BLACKHOLE, MRG_MyISAM, ...) keeps the writes of transactions the application rolls
// back, and its table-level locks wait in cycles with InnoDB's row locks that no deadlock
// detector sees. Other transactional engines (RocksDB, TokuDB, NDB) lock differently (no gap
// locks, their own lock waits, read-committed only) from what the copy and the verification
// are built on. An allow-list: an engine nobody has heard of is refused too.
enum class EngineKind { kInnoDB, kOtherTransactional, kNonTransactional };
// `engine` as information_schema.TABLES.ENGINE names it, any case.
EngineKind ClassifyEngine(const std::string& engine);

// Why the original on `engine` can't be altered online (one sentence saying what to do), or
// nullopt for InnoDB.
std::optional<std::string> OriginalEngineProblem(const std::string& engine);
// Why a new table that got `engine` once the ALTER was applied can't be used, or nullopt.
std::optional<std::string> NewTableEngineProblem(const std::string& engine);

// One mounted file system as the server reports it (MariaDB's information_schema.DISKS).
struct DiskSpace {
  std::string path;  // mount point
  uint64_t available_bytes = 0;
};

// The file system holding `datadir`: the mount whose path is its longest prefix; nullopt if none.
std::optional<DiskSpace> DiskHolding(const std::vector<DiskSpace>& disks,
                                     const std::string& datadir);

// Bytes the copy is expected to need: the new table about as big as the original, and as much
// again in binary logs (row events) when binary logging is on.
uint64_t BytesNeededForCopy(uint64_t table_bytes, bool binary_logging);

}  // namespace shadowalter
