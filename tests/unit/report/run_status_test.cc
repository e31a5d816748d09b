#include "report/run_status.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace shadowalter {
namespace {

RunStatusView Stopped() {
  RunStatusView v;
  v.schema = "shop";
  v.table = "orders";
  v.state = "stopped";
  v.run_id = "3f9a0c27d41e8b65";
  v.alter = "ADD COLUMN c INT";
  v.phase = "copying";
  v.position = "after key (5000)";
  v.rows_copied = 5000;
  v.rows_estimated = 20000;
  v.started_at = "2026-12-01 01:00:00";
  v.started_by = "bastion pid 42";
  v.advanced_at = "2026-12-01 02:00:00";
  v.seconds_since_advanced = 300;
  v.note = "parked while copying rows: --max-runtime 3600 s reached";
  v.artifacts = {"trigger `sa_orders_del`", "new table `_orders_new`"};
  v.triggers_present = 3;
  v.triggers_intact = true;
  v.new_table_intact = true;
  v.next = "`shadowalter resume D=shop,t=orders` continues it";
  return v;
}

TEST(RunStatusTextTest, SaysWhereTheRunIsAndWhatIsNext) {
  const std::string text = FormatRunStatusText(Stopped());
  for (const char* expected : {"`shop`.`orders`: stopped run (parked while copying rows",
                               "run id:        3f9a0c27d41e8b65\n", "phase:         copying",
                               "after key (5000); 5000 of ~20000 rows copied (25%)", "(5 min ago)",
                               "3 of 3 present, unchanged", "new table `_orders_new`",
                               "next:          `shadowalter resume"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
}

TEST(RunStatusTextTest, NothingOnRecord) {
  RunStatusView v;
  v.schema = "s";
  v.table = "t";
  EXPECT_EQ(FormatRunStatusText(v), "`s`.`t`: no run on record and nothing left behind\n");
}

TEST(RunStatusTextTest, ChangedTriggersAreShouted) {
  RunStatusView v = Stopped();
  v.triggers_present = 2;
  v.triggers_intact = false;
  EXPECT_NE(FormatRunStatusText(v).find("2 of 3 present, CHANGED"), std::string::npos);
}

TEST(RunStatusTextTest, SavedOwnTriggersAndThoseMissingAreListed) {
  RunStatusView v = Stopped();
  EXPECT_EQ(FormatRunStatusText(v).find("own triggers"), std::string::npos);
  v.own_triggers_saved = {"`t_bi` BEFORE INSERT #1 (definer app@%)",
                          "`t_ai` AFTER INSERT #1 (definer app@%)"};
  EXPECT_NE(FormatRunStatusText(v).find("own triggers:  2 saved in the checkpoint, all on the "
                                        "table\n                 `t_bi` BEFORE INSERT #1"),
            std::string::npos)
      << FormatRunStatusText(v);
  v.own_triggers_missing = {"t_ai"};
  EXPECT_NE(FormatRunStatusText(v).find("2 saved in the checkpoint, 1 MISSING from the table "
                                        "(`t_ai`)"),
            std::string::npos)
      << FormatRunStatusText(v);
  rapidjson::Document d;
  d.Parse(FormatRunStatusJson(v).c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_EQ(d["own_triggers_saved"].Size(), 2u);
  EXPECT_STREQ(d["own_triggers_missing"][0].GetString(), "t_ai");
}

TEST(RunStatusJsonTest, OneObjectWithTheDocumentedFields) {
  const std::string line = FormatRunStatusJson(Stopped());
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  rapidjson::Document d;
  d.Parse(line.c_str());
  ASSERT_FALSE(d.HasParseError()) << line;
  EXPECT_STREQ(d["event"].GetString(), "status");
  EXPECT_STREQ(d["state"].GetString(), "stopped");
  EXPECT_STREQ(d["phase"].GetString(), "copying");
  EXPECT_EQ(d["rows_copied"].GetUint64(), 5000u);
  EXPECT_TRUE(d["triggers_intact"].GetBool());
  EXPECT_TRUE(d["running_connection"].IsNull());
  EXPECT_EQ(d["artifacts"].Size(), 2u);
  EXPECT_TRUE(d.HasMember("ts") && d.HasMember("next") && d.HasMember("swapped"));
  EXPECT_STREQ(d["verdict"].GetString(), "needs_a_person");  // Stopped() is not resumable
  EXPECT_STREQ(d["run_id"].GetString(), "3f9a0c27d41e8b65");
}

// Nothing on record, or a checkpoint of an earlier build: no id, null in JSON, no line in text.
TEST(RunStatusJsonTest, NoRunIdOnRecordIsNull) {
  RunStatusView v = Stopped();
  v.run_id.clear();
  EXPECT_EQ(FormatRunStatusText(v).find("run id"), std::string::npos) << FormatRunStatusText(v);
  rapidjson::Document d;
  d.Parse(FormatRunStatusJson(v).c_str());
  ASSERT_FALSE(d.HasParseError());
  ASSERT_TRUE(d.HasMember("run_id"));
  EXPECT_TRUE(d["run_id"].IsNull());
  RunStatusView none;
  d.Parse(FormatRunStatusJson(none).c_str());
  ASSERT_FALSE(d.HasParseError());
  EXPECT_TRUE(d["run_id"].IsNull());
}

TEST(RunVerdictTest, WhatAScriptMayDoFollowsTheState) {
  RunStatusView v;
  EXPECT_EQ(VerdictOf(v), RunVerdict::kNothing);
  v.state = "running";
  EXPECT_EQ(VerdictOf(v), RunVerdict::kRunning);
  v.state = "stopped";
  EXPECT_EQ(VerdictOf(v), RunVerdict::kNeedsAPerson);
  v.resumable = true;
  EXPECT_EQ(VerdictOf(v), RunVerdict::kResumable);
  v.state = "leftovers";
  EXPECT_EQ(VerdictOf(v), RunVerdict::kNeedsAPerson);
  v.state = "revertible";
  EXPECT_EQ(VerdictOf(v), RunVerdict::kRevertible);
  EXPECT_STREQ(VerdictName(RunVerdict::kRevertible), "revertible");
  EXPECT_STREQ(VerdictName(RunVerdict::kResumable), "resumable");
  EXPECT_STREQ(VerdictName(RunVerdict::kNeedsAPerson), "needs_a_person");
}

}  // namespace
}  // namespace shadowalter
