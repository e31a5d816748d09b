#include "db/errors.h"

namespace shadowalter {

bool IsLockConflict(const Status& s) {
  unsigned e = s.server_errno();
  return e == errnum::kLockWaitTimeout || e == errnum::kDeadlock || e == errnum::kLockNowait;
}

bool IsConnectionLost(const Status& s) { return s.code() == Code::kConnection; }

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
    case 4025:  // MariaDB ER_CONSTRAINT_FAILED (CHECK)
    case 3819:  // MySQL ER_CHECK_CONSTRAINT_VIOLATED
      return true;
    default:
      return false;
  }
}

}  // namespace shadowalter
