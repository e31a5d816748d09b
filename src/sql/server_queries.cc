#include "sql/server_queries.h"

namespace shadowalter {

std::string ShowGrants() { return "SHOW GRANTS"; }

std::string BinlogTrustQuery() {
  return "SELECT @@GLOBAL.log_bin, @@GLOBAL.log_bin_trust_function_creators";
}

std::string RunTriggersForRbrQuery() { return "SELECT @@GLOBAL.slave_run_triggers_for_rbr"; }

std::string BinlogFormatQuery() { return "SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format"; }

std::string DisksQuery() { return "SELECT Path, Available FROM information_schema.DISKS"; }

std::string DatadirQuery() { return "SELECT @@GLOBAL.datadir, @@GLOBAL.log_bin"; }

std::string AutoincLockModeQuery() { return "SELECT @@GLOBAL.innodb_autoinc_lock_mode"; }

}  // namespace shadowalter
