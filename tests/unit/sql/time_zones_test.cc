#include "sql/time_zones.h"

#include <gtest/gtest.h>

#include "test_tables.h"

namespace shadowalter {
namespace {

using namespace test_tables;

TEST(ZoneShiftForTest, OnlyACrossingOfTimestampShifts) {
  EXPECT_EQ(ZoneShiftFor(Col("c", "datetime"), Col("c", "timestamp")), ZoneShift::kIntoTimestamp);
  EXPECT_EQ(ZoneShiftFor(Col("c", "date"), Col("c", "timestamp")), ZoneShift::kIntoTimestamp);
  EXPECT_EQ(ZoneShiftFor(Col("c", "varchar", "varchar(30)"), Col("c", "timestamp")),
            ZoneShift::kIntoTimestamp);
  EXPECT_EQ(ZoneShiftFor(Col("c", "timestamp"), Col("c", "datetime", "datetime(3)")),
            ZoneShift::kOutOfTimestamp);
  EXPECT_EQ(ZoneShiftFor(Col("c", "timestamp"), Col("c", "varchar", "varchar(40)")),
            ZoneShift::kOutOfTimestamp);
  // TIMESTAMP to TIMESTAMP keeps the instant; no TIMESTAMP at all involves no zone.
  EXPECT_EQ(ZoneShiftFor(Col("c", "timestamp"), Col("c", "timestamp", "timestamp(6)")),
            ZoneShift::kNone);
  EXPECT_EQ(ZoneShiftFor(Col("c", "datetime"), Col("c", "datetime", "datetime(6)")),
            ZoneShift::kNone);
  EXPECT_EQ(ZoneShiftFor(Col("c", "date"), Col("c", "datetime")), ZoneShift::kNone);
}

TEST(InDefaultZoneTest, ConvertsBetweenTheSessionAndTheGlobalZone) {
  // Into TIMESTAMP: the reading is meant in the global zone, the assignment reads it in the
  // session's; a zero date (CONVERT_TZ gives NULL) stays as it is.
  EXPECT_EQ(InDefaultZone("NEW.`dt`", ZoneShift::kIntoTimestamp),
            "COALESCE(CONVERT_TZ(NEW.`dt`, @@global.time_zone, @@session.time_zone), NEW.`dt`)");
  EXPECT_EQ(InDefaultZone("`ts`", ZoneShift::kOutOfTimestamp),
            "COALESCE(CONVERT_TZ(`ts`, @@session.time_zone, @@global.time_zone), `ts`)");
  EXPECT_EQ(InDefaultZone("`v`", ZoneShift::kNone), "`v`");
}

TEST(DefaultZoneCheckTest, AsksWhetherTheGlobalZoneConverts) {
  EXPECT_EQ(DefaultZoneCheck(),
            "SELECT CONVERT_TZ('2001-01-01 00:00:00', @@global.time_zone, '+00:00') IS NOT NULL");
}

}  // namespace
}  // namespace shadowalter
