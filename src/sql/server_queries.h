// Reads of a server's settings that the preflight checks and the copy decide by: grants, binary
// logging, the data directory and free space, AUTO_INCREMENT locking. Pure.
#pragma once

#include <string>

namespace shadowalter {

// The current account's grants, one GRANT statement per row.
std::string ShowGrants();

// @@GLOBAL.log_bin, @@GLOBAL.log_bin_trust_function_creators: whether CREATE TRIGGER needs SUPER.
std::string BinlogTrustQuery();

// @@GLOBAL.log_bin, @@GLOBAL.binlog_format.
std::string BinlogFormatQuery();

// Path and Available (kilobytes) of each file system, from MariaDB's DISKS plugin.
std::string DisksQuery();

// @@GLOBAL.datadir, @@GLOBAL.log_bin: where the data is, and whether a binary log grows too.
std::string DatadirQuery();

// MariaDB's @@GLOBAL.slave_run_triggers_for_rbr: NO, YES, LOGGING or ENFORCE; anything but NO
// makes the row events a replica applies fire its triggers.
std::string RunTriggersForRbrQuery();

// @@GLOBAL.innodb_autoinc_lock_mode (2: AUTO_INCREMENT values are allocated interleaved).
std::string AutoincLockModeQuery();

}  // namespace shadowalter
