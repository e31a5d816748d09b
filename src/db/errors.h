// Classification of server errors into what the caller should do about them.
#pragma once

#include "util/status.h"

namespace shadowalter {

// Server error numbers the tool reacts to (the same on MySQL and MariaDB).
namespace errnum {
constexpr unsigned kLockWaitTimeout = 1205;   // ER_LOCK_WAIT_TIMEOUT (InnoDB row lock, MDL)
constexpr unsigned kDeadlock = 1213;          // ER_LOCK_DEADLOCK
constexpr unsigned kLockNowait = 3572;        // MySQL 8 ER_LOCK_NOWAIT
constexpr unsigned kDupEntry = 1062;          // ER_DUP_ENTRY
constexpr unsigned kDupUnique = 1169;         // ER_DUP_UNIQUE
constexpr unsigned kNoSuchTable = 1146;       // ER_NO_SUCH_TABLE
constexpr unsigned kNoReferencedRow = 1452;   // ER_NO_REFERENCED_ROW_2 (foreign key, child side)
constexpr unsigned kAccessDenied = 1045;      // ER_ACCESS_DENIED_ERROR
constexpr unsigned kBadDb = 1049;             // ER_BAD_DB_ERROR
constexpr unsigned kQueryInterrupted = 1317;  // ER_QUERY_INTERRUPTED
}  // namespace errnum

// The Status code for a failed statement's error number: kConnection when the session is gone
// (client errors CR_SERVER_LOST and the like, a server shutting down, the connection killed,
// MySQL closing it for inactivity), kServer for everything else.
Code CodeForErrno(unsigned errnum);

// A lock conflict: the statement (and its transaction) can be retried as it was.
bool IsLockConflict(const Status& s);
// The connection is gone; a new session is needed.
bool IsConnectionLost(const Status& s);
// Whether a failure to connect means the server could not be reached (nothing listening, no
// route, an unknown host, the server shutting down), so that trying again later may work; not a
// refusal by a server that answered (access denied, unknown database) nor a TLS setup that
// failed.
bool IsUnreachable(const Status& connect_failure);
// A failure to connect, before anything was touched, as a run or command reports it: kUnreachable
// (exit 6, try again later) when IsUnreachable, else kRefused (exit 5); message and errno kept.
Status AsConnectFailure(const Status& connect_failure);
// A duplicate key: the new table refuses a value the original holds.
bool IsDuplicateKey(const Status& s);
// The statement was rejected because a value does not fit the new column: truncation, range,
// bad value or NULL into NOT NULL (the errors strict sql_mode raises instead of warnings).
bool IsDataConversionError(const Status& s);

}  // namespace shadowalter
