#include "check/server_rules.h"

#include <cstdio>

#include "util/strings.h"

namespace shadowalter {

std::optional<std::string> ServerVersionProblem(ServerFlavor flavor, const std::string& version) {
  int major = 0, minor = 0;
  if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) != 2) {
    return "cannot read the server version '" + version + "'";
  }
  const bool maria = flavor == ServerFlavor::kMariaDB;
  const int need_major = maria ? 10 : 8;
  const int need_minor = maria ? 3 : 0;
  if (major > need_major || (major == need_major && minor >= need_minor)) return std::nullopt;
  return std::string(maria ? "MariaDB " : "MySQL ") + version + " is too old: shadowalter needs " +
         (maria ? "MariaDB 10.3" : "MySQL 8.0") +
         " or later (the copy's locking reads use NOWAIT so they never queue behind the "
         "application)";
}

EngineKind ClassifyEngine(const std::string& engine) {
  const std::string lower = AsciiLower(engine);
  if (lower == "innodb") return EngineKind::kInnoDB;
  for (const char* other : {"rocksdb", "tokudb", "ndbcluster", "ndb"}) {
    if (lower == other) return EngineKind::kOtherTransactional;
  }
  return EngineKind::kNonTransactional;
}

namespace {

constexpr const char* kInnoDBOnly =
    "shadowalter supports InnoDB only: the copy's locking reads, the triggers and the "
    "verification's snapshots rely on InnoDB's row locks and MVCC";

std::string EngineName(const std::string& engine) {
  return engine.empty() ? std::string("an unknown") : "the " + engine;
}

}  // namespace

std::optional<std::string> OriginalEngineProblem(const std::string& engine) {
  switch (ClassifyEngine(engine)) {
    case EngineKind::kInnoDB:
      return std::nullopt;
    case EngineKind::kOtherTransactional:
      return "the table uses " + EngineName(engine) + " engine; " + kInnoDBOnly;
    case EngineKind::kNonTransactional:
      break;
  }
  return "the table uses " + EngineName(engine) +
         " engine, which is not transactional: an online copy needs InnoDB's transactions and "
         "row locks on the original; convert it with a plain ALTER TABLE ... ENGINE=InnoDB "
         "(which blocks writes while it runs) first";
}

std::optional<std::string> NewTableEngineProblem(const std::string& engine) {
  constexpr const char* kWhatToDo =
      "; keep the table InnoDB (no ENGINE= in --alter), or change its engine with a plain "
      "ALTER TABLE, which blocks writes while it runs";
  switch (ClassifyEngine(engine)) {
    case EngineKind::kInnoDB:
      return std::nullopt;
    case EngineKind::kOtherTransactional:
      return "with the ALTER applied the new table uses " + EngineName(engine) + " engine; " +
             kInnoDBOnly + kWhatToDo;
    case EngineKind::kNonTransactional:
      break;
  }
  return "with the ALTER applied the new table uses " + EngineName(engine) +
         " engine, which is not transactional: the triggers write it inside the application's "
         "transactions, so writes the application rolls back would stay in it, and its "
         "table-level locks wait in cycles with InnoDB's row locks that no deadlock detector "
         "sees, hanging the application's writes" +
         kWhatToDo;
}

std::optional<DiskSpace> DiskHolding(const std::vector<DiskSpace>& disks,
                                     const std::string& datadir) {
  std::optional<DiskSpace> best;
  for (const DiskSpace& d : disks) {
    const std::string& p = d.path;
    const bool prefix =
        datadir.compare(0, p.size(), p) == 0 &&
        (p.size() == datadir.size() || p == "/" || p.back() == '/' || datadir[p.size()] == '/');
    if (prefix && (!best || p.size() > best->path.size())) best = d;
  }
  return best;
}

uint64_t BytesNeededForCopy(uint64_t table_bytes, bool binary_logging) {
  return binary_logging ? 2 * table_bytes : table_bytes;
}

}  // namespace shadowalter
