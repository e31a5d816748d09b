// Values that cross between TIMESTAMP and any other type. A TIMESTAMP holds an instant; every
// other type holds a wall-clock reading. A native ALTER TABLE converts between the two in its
// session's time zone, which for an ALTER run in a default session is the server's global
// time_zone. The copy, the triggers and the verification must convert the same way, whatever
// zone their own session is in: the tool's sessions run at '+00:00' (TIMESTAMP chunk keys and
// checkpoints are exact instants there), an application's session in any zone it likes.
#pragma once

#include <string>

#include "schema/table.h"

namespace shadowalter {

enum class ZoneShift {
  kNone,            // neither or both columns are TIMESTAMP: no time zone is involved
  kIntoTimestamp,   // a wall-clock reading becomes an instant
  kOutOfTimestamp,  // an instant becomes a wall-clock reading
};

ZoneShift ZoneShiftFor(const Column& source, const Column& target);

// `value` (an expression of the original's column) as it must be assigned in the current session
// so that the new column receives what a native ALTER in the global time zone would store:
// CONVERT_TZ between @@global.time_zone and @@session.time_zone, in the direction `shift` needs.
// CONVERT_TZ gives NULL for a zero date (kept as it is: a zero date is zero in every zone) and
// for a zone the server does not know (DefaultZoneCheck refuses that before anything is built).
std::string InDefaultZone(const std::string& value, ZoneShift shift);

// One row, one column: 1 when the server can convert out of its global time zone ('SYSTEM'
// included), 0 when it can't (a named zone whose time zone tables were emptied since).
std::string DefaultZoneCheck();

}  // namespace shadowalter
