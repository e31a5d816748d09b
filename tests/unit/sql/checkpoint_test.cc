#include "sql/checkpoint.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

Checkpoint Sample() {
  Checkpoint c;
  c.tool_version = "0.1.0";
  c.alter = "ADD COLUMN note VARCHAR(10) DEFAULT 'it''s'";
  c.identity = RunIdentity("", false);
  c.chunk_key = "`id`";
  c.new_table = "_t_new";
  c.old_table = "_t_old";
  c.insert_trigger = "sa_t_ins";
  c.update_trigger = "sa_t_upd";
  c.delete_trigger = "sa_t_del";
  c.phase = RunPhase::kCopying;
  c.position = std::vector<std::string>{"42"};
  c.rows_copied = 42;
  c.rows_estimated = 1000;
  c.started_by = "host pid 1";
  return c;
}

TEST(CheckpointSqlTest, TableHasOneRowPerTable) {
  const std::string sql = CreateCheckpointTable("db", "_t_state");
  EXPECT_EQ(sql.rfind("CREATE TABLE IF NOT EXISTS `db`.`_t_state` (", 0), 0u) << sql;
  EXPECT_NE(sql.find("id TINYINT UNSIGNED NOT NULL PRIMARY KEY"), std::string::npos);
  EXPECT_NE(sql.find("ENGINE=InnoDB"), std::string::npos);
}

TEST(CheckpointSqlTest, WriteQuotesEveryValue) {
  const std::string sql = WriteCheckpoint("db", "_t_state", Sample());
  EXPECT_EQ(sql.rfind("REPLACE INTO `db`.`_t_state` (", 0), 0u) << sql;
  // The ALTER's own quotes are doubled again: the literal holds the text exactly.
  EXPECT_NE(sql.find("'ADD COLUMN note VARCHAR(10) DEFAULT ''it''''s'''"), std::string::npos)
      << sql;
  EXPECT_NE(sql.find("'copying'"), std::string::npos);
  EXPECT_NE(sql.find("'x3432'"), std::string::npos);  // the position, hex-encoded
  EXPECT_NE(sql.find("UTC_TIMESTAMP()"), std::string::npos);
}

TEST(CheckpointSqlTest, NoPositionIsNull) {
  Checkpoint c = Sample();
  c.position.reset();
  const std::string sql = WriteCheckpoint("db", "_t_state", c);
  EXPECT_NE(sql.find("'copying', NULL, 42"), std::string::npos) << sql;
}

TEST(CheckpointSqlTest, UpdatesTouchTheOneRow) {
  EXPECT_EQ(UpdateCheckpointPhase("db", "s", RunPhase::kVerified),
            "UPDATE `db`.`s` SET phase = 'verified', updated_at = UTC_TIMESTAMP() WHERE id = 1");
  const std::string pos = UpdateCheckpointPosition("db", "s", {"7", "a'b"}, 99);
  EXPECT_NE(pos.find("position = 'x37,x612762'"), std::string::npos) << pos;
  EXPECT_NE(pos.find("rows_copied = 99"), std::string::npos);
  EXPECT_NE(pos.find("advanced_at = UTC_TIMESTAMP() WHERE id = 1"), std::string::npos);
  EXPECT_EQ(UpdateCheckpointText("db", "s", "note", "parked: it's late"),
            "UPDATE `db`.`s` SET `note` = 'parked: it''s late', updated_at = UTC_TIMESTAMP() "
            "WHERE id = 1");
}

TEST(CheckpointSqlTest, HostileSchemaStaysQuoted) {
  const std::string sql = SelectCheckpoint("we`ird; DROP", "_t_state", true);
  EXPECT_NE(sql.find("FROM `we``ird; DROP`.`_t_state` WHERE id = 1"), std::string::npos) << sql;
}

TEST(CheckpointSqlTest, OwnTriggersHaveAColumnOfTheirOwn) {
  EXPECT_NE(CreateCheckpointTable("db", "s").find("own_triggers LONGTEXT NULL"), std::string::npos);
  // None recorded: NULL. Recorded: the encoding, quoted.
  EXPECT_NE(WriteCheckpoint("db", "s", Sample()).find("UTC_TIMESTAMP(), NULL)"), std::string::npos);
  Checkpoint c = Sample();
  Trigger t;
  t.name = "t_bi";
  c.own_triggers = std::vector<Trigger>{t};
  EXPECT_NE(WriteCheckpoint("db", "s", c).find("'" + EncodeOwnTriggers({t}) + "')"),
            std::string::npos);
  EXPECT_EQ(UpdateCheckpointOwnTriggers("db", "s", {t}),
            "UPDATE `db`.`s` SET own_triggers = '" + EncodeOwnTriggers({t}) +
                "', updated_at = UTC_TIMESTAMP() WHERE id = 1");
}

TEST(CheckpointSqlTest, ATableOfAnEarlierBuildIsReadWithoutTheOwnTriggersColumn) {
  // Same column count either way: the reader's indexes don't move.
  const std::string with = SelectCheckpoint("db", "s", true);
  const std::string without = SelectCheckpoint("db", "s", false);
  EXPECT_NE(with.find(", own_triggers FROM"), std::string::npos) << with;
  EXPECT_NE(without.find(", NULL FROM"), std::string::npos) << without;
  EXPECT_EQ(without.find("own_triggers"), std::string::npos) << without;
  EXPECT_NE(CountOwnTriggersColumn("db", "s").find("COLUMN_NAME = 'own_triggers'"),
            std::string::npos);
  EXPECT_EQ(AddOwnTriggersColumn("db", "s"),
            "ALTER TABLE `db`.`s` ADD COLUMN own_triggers LONGTEXT NULL");
}

}  // namespace
}  // namespace shadowalter
