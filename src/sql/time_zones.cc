#include "sql/time_zones.h"

namespace shadowalter {

ZoneShift ZoneShiftFor(const Column& source, const Column& target) {
  const bool from = source.data_type == "timestamp";
  const bool into = target.data_type == "timestamp";
  if (from == into) return ZoneShift::kNone;
  return into ? ZoneShift::kIntoTimestamp : ZoneShift::kOutOfTimestamp;
}

std::string InDefaultZone(const std::string& value, ZoneShift shift) {
  switch (shift) {
    case ZoneShift::kIntoTimestamp:
      // The reading is meant in the global zone; the assignment reads it in the session's.
      return "COALESCE(CONVERT_TZ(" + value + ", @@global.time_zone, @@session.time_zone), " +
             value + ")";
    case ZoneShift::kOutOfTimestamp:
      // The instant arrives as the session's reading of it; the new column wants the global one.
      return "COALESCE(CONVERT_TZ(" + value + ", @@session.time_zone, @@global.time_zone), " +
             value + ")";
    case ZoneShift::kNone:
      break;
  }
  return value;
}

std::string DefaultZoneCheck() {
  return "SELECT CONVERT_TZ('2001-01-01 00:00:00', @@global.time_zone, '+00:00') IS NOT NULL";
}

}  // namespace shadowalter
