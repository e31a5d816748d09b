#include "check/server_rules.h"

#include <cstdio>

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
