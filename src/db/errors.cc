#include "db/errors.h"

#include <mariadb/errmsg.h>

namespace shadowalter {

Code CodeForErrno(unsigned err) {
  switch (err) {
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_UNKNOWN_HOST:
    case CR_SERVER_LOST_EXTENDED:
    // Mid-session, a TLS read that meets the end of the stream is the connection dropping.
    case CR_SSL_CONNECTION_ERROR:
    case 1053:  // ER_SERVER_SHUTDOWN: the server is going away
    case 1927:  // ER_CONNECTION_KILLED (MariaDB): KILL CONNECTION from another session
    case 4031:  // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8.0.24+): closed for inactivity
      return Code::kConnection;
    default:
      return Code::kServer;
  }
}

bool IsLockConflict(const Status& s) {
  unsigned e = s.server_errno();
  return e == errnum::kLockWaitTimeout || e == errnum::kDeadlock || e == errnum::kLockNowait;
}

bool IsConnectionLost(const Status& s) { return s.code() == Code::kConnection; }

Status AsConnectFailure(const Status& connect_failure) {
  return Status(IsUnreachable(connect_failure) ? Code::kUnreachable : Code::kRefused,
                connect_failure.message(), connect_failure.server_errno());
}

bool IsUnreachable(const Status& connect_failure) {
  switch (connect_failure.server_errno()) {
    case CR_CONNECTION_ERROR:      // no server on the socket
    case CR_CONN_HOST_ERROR:       // nothing listening on the port, no route
    case CR_UNKNOWN_HOST:          // the name does not resolve (now)
    case CR_SERVER_GONE_ERROR:     // it went away while we logged in
    case CR_SERVER_LOST:           // ...
    case CR_SERVER_LOST_EXTENDED:  // ...
    case 1040:                     // ER_CON_COUNT_ERROR: too many connections, for now
    case 1053:                     // ER_SERVER_SHUTDOWN: going away
      return true;
    default:
      return false;
  }
}

bool IsDuplicateKey(const Status& s) {
  return s.server_errno() == errnum::kDupEntry || s.server_errno() == errnum::kDupUnique;
}

bool IsDataConversionError(const Status& s) {
  switch (s.server_errno()) {
    case 1048:  // ER_BAD_NULL_ERROR: column cannot be null
    case 1264:  // ER_WARN_DATA_OUT_OF_RANGE
    case 1265:  // WARN_DATA_TRUNCATED
    case 1292:  // ER_TRUNCATED_WRONG_VALUE
    case 1366:  // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
    case 1406:  // ER_DATA_TOO_LONG
    case 1261:  // ER_WARN_TOO_FEW_RECORDS
    case 1262:  // ER_WARN_TOO_MANY_RECORDS
    case 1263:  // ER_WARN_NULL_TO_NOTNULL
    case 3751:  // MySQL ER_WARN_DATA_TRUNCATED_FUNCTIONAL_INDEX
    case 3752:  // MySQL ER_WARN_DATA_OUT_OF_RANGE_FUNCTIONAL_INDEX
    case 4025:  // MariaDB ER_CONSTRAINT_FAILED (CHECK)
    case 3819:  // MySQL ER_CHECK_CONSTRAINT_VIOLATED
    case 3140:  // MySQL ER_INVALID_JSON_TEXT: text into a JSON column
    case 3144:  // MySQL ER_INVALID_JSON_CHARSET: a binary string into a JSON column
    case 1416:  // ER_CANT_CREATE_GEOMETRY_OBJECT: bytes into a spatial column
    case 1526:  // ER_NO_PARTITION_FOR_GIVEN_VALUE: a key no partition of the new table takes
    // An expression the ALTER adds (a generated column, a CHECK) that fails on the row's values:
    case 1365:  // ER_DIVISION_BY_ZERO
    case 1690:  // ER_DATA_OUT_OF_RANGE: e.g. BIGINT UNSIGNED a - b below zero
    case 1441:  // ER_DATETIME_FUNCTION_OVERFLOW
    case 1411:  // ER_WRONG_VALUE_FOR_TYPE: e.g. STR_TO_DATE
    case 1300:  // ER_INVALID_CHARACTER_STRING
    case 1977:  // MariaDB ER_CANNOT_CONVERT_CHARACTER
    case 1958:  // MariaDB ER_BAD_BASE64_DATA
    case 4036:  // MariaDB ER_JSON_BAD_CHR .. ER_JSON_DEPTH: JSON functions on text that is no JSON
    case 4037:
    case 4038:
    case 4039:
    case 4040:
    case 4078:  // MariaDB ER_ILLEGAL_PARAMETER_DATA_TYPES2_FOR_OPERATION: e.g. INT into INET6
      return true;
    default:
      return false;
  }
}

}  // namespace shadowalter
