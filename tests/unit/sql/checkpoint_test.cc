#include "sql/checkpoint.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

CheckpointRow Sample() {
  CheckpointRow c;
  c.tool_version = "0.1.0";
  c.alter_text = "ADD COLUMN note VARCHAR(10) DEFAULT 'it''s'";
  c.identity = "fk=none-given;preserve-triggers=0";
  c.chunk_key = "`id`";
  c.new_table = "_t_new";
  c.old_table = "_t_old";
  c.insert_trigger = "sa_t_ins";
  c.update_trigger = "sa_t_upd";
  c.delete_trigger = "sa_t_del";
  c.phase = "copying";
  c.position = "x3432";
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
  EXPECT_NE(sql.find("'x3432'"), std::string::npos);  // the position
  EXPECT_NE(sql.find("UTC_TIMESTAMP()"), std::string::npos);
}

TEST(CheckpointSqlTest, WriteNamesEveryColumnInOrder) {
  EXPECT_EQ(WriteCheckpoint("db", "_t_state", Sample()),
            "REPLACE INTO `db`.`_t_state` (id, tool_version, alter_text, identity, chunk_key,"
            " new_table, old_table, insert_trigger, update_trigger, delete_trigger, phase,"
            " position, rows_copied, rows_estimated, original_fingerprint, new_table_fingerprint,"
            " triggers_fingerprint, started_by, note, started_at, updated_at, advanced_at,"
            " own_triggers, run_id) VALUES (1, '0.1.0', 'ADD COLUMN note VARCHAR(10) DEFAULT"
            " ''it''''s''', 'fk=none-given;preserve-triggers=0', '`id`', '_t_new', '_t_old',"
            " 'sa_t_ins', 'sa_t_upd', 'sa_t_del', 'copying', 'x3432', 42, 1000, '', '', '',"
            " 'host pid 1', '', UTC_TIMESTAMP(), UTC_TIMESTAMP(), UTC_TIMESTAMP(), NULL, NULL)");
}

TEST(CheckpointSqlTest, NoPositionIsNull) {
  CheckpointRow c = Sample();
  c.position.reset();
  const std::string sql = WriteCheckpoint("db", "_t_state", c);
  EXPECT_NE(sql.find("'copying', NULL, 42"), std::string::npos) << sql;
}

TEST(CheckpointSqlTest, UpdatesTouchTheOneRow) {
  EXPECT_EQ(UpdateCheckpointPhase("db", "s", "verified"),
            "UPDATE `db`.`s` SET phase = 'verified', updated_at = UTC_TIMESTAMP() WHERE id = 1");
  EXPECT_EQ(UpdateCheckpointPosition("db", "s", "x37,x612762", 99),
            "UPDATE `db`.`s` SET position = 'x37,x612762', rows_copied = 99, updated_at = "
            "UTC_TIMESTAMP(), advanced_at = UTC_TIMESTAMP() WHERE id = 1");
  EXPECT_EQ(UpdateCheckpointText("db", "s", "note", "parked: it's late"),
            "UPDATE `db`.`s` SET `note` = 'parked: it''s late', updated_at = UTC_TIMESTAMP() "
            "WHERE id = 1");
}

TEST(CheckpointSqlTest, HostileSchemaStaysQuoted) {
  const std::string sql = SelectCheckpoint("we`ird; DROP", "_t_state", true, true);
  EXPECT_NE(sql.find("FROM `we``ird; DROP`.`_t_state` WHERE id = 1"), std::string::npos) << sql;
}

TEST(CheckpointSqlTest, OwnTriggersHaveAColumnOfTheirOwn) {
  EXPECT_NE(CreateCheckpointTable("db", "s").find("own_triggers LONGTEXT NULL"), std::string::npos);
  // None recorded: NULL. Recorded: the text, quoted.
  EXPECT_NE(WriteCheckpoint("db", "s", Sample()).find("UTC_TIMESTAMP(), NULL, NULL)"),
            std::string::npos);
  CheckpointRow c = Sample();
  c.own_triggers = "v1\nx74";
  EXPECT_NE(WriteCheckpoint("db", "s", c).find("UTC_TIMESTAMP(), 'v1\nx74', NULL)"),
            std::string::npos)
      << WriteCheckpoint("db", "s", c);
  EXPECT_EQ(UpdateCheckpointOwnTriggers("db", "s", "v1"),
            "UPDATE `db`.`s` SET own_triggers = 'v1', updated_at = UTC_TIMESTAMP() WHERE id = 1");
}

TEST(CheckpointSqlTest, TheRunIdHasAColumnOfItsOwn) {
  EXPECT_NE(
      CreateCheckpointTable("db", "s").find("own_triggers LONGTEXT NULL, run_id VARCHAR(64) NULL)"),
      std::string::npos)
      << CreateCheckpointTable("db", "s");
  CheckpointRow c = Sample();
  c.run_id = "0123456789abcdef";
  EXPECT_NE(WriteCheckpoint("db", "s", c).find("UTC_TIMESTAMP(), NULL, '0123456789abcdef')"),
            std::string::npos)
      << WriteCheckpoint("db", "s", c);
  EXPECT_EQ(UpdateCheckpointText("db", "s", checkpoint_column::kRunId, "0123456789abcdef"),
            "UPDATE `db`.`s` SET `run_id` = '0123456789abcdef', updated_at = UTC_TIMESTAMP() "
            "WHERE id = 1");
}

TEST(CheckpointSqlTest, ATableOfAnEarlierBuildIsReadWithoutTheColumnsAddedSince) {
  // The same column names either way: a NULL stands in for a missing column.
  EXPECT_EQ(SelectCheckpoint("db", "s", true, true),
            "SELECT tool_version, alter_text, identity, chunk_key, new_table, old_table,"
            " insert_trigger, update_trigger, delete_trigger, phase, position, rows_copied,"
            " rows_estimated, original_fingerprint, new_table_fingerprint, triggers_fingerprint,"
            " started_by, note, started_at, updated_at, advanced_at,"
            " TIMESTAMPDIFF(SECOND, advanced_at, UTC_TIMESTAMP()) AS seconds_since_advanced,"
            " own_triggers, run_id FROM `db`.`s` WHERE id = 1");
  const std::string without = SelectCheckpoint("db", "s", false, false);
  EXPECT_NE(without.find(", NULL AS own_triggers, NULL AS run_id FROM"), std::string::npos)
      << without;
  // The run id came later: a table may have the own triggers' column and not the run id's.
  const std::string without_run_id = SelectCheckpoint("db", "s", true, false);
  EXPECT_NE(without_run_id.find(", own_triggers, NULL AS run_id FROM"), std::string::npos)
      << without_run_id;
  EXPECT_EQ(CountRunIdColumn("db", "s"),
            "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'db' AND "
            "TABLE_NAME = 's' AND COLUMN_NAME = 'run_id'");
  EXPECT_EQ(AddRunIdColumn("db", "s"), "ALTER TABLE `db`.`s` ADD COLUMN run_id VARCHAR(64) NULL");
  EXPECT_NE(CountOwnTriggersColumn("db", "s").find("COLUMN_NAME = 'own_triggers'"),
            std::string::npos);
  EXPECT_EQ(AddOwnTriggersColumn("db", "s"),
            "ALTER TABLE `db`.`s` ADD COLUMN own_triggers LONGTEXT NULL");
}

TEST(CheckpointSqlTest, SelectNamesEveryColumnTheReaderMapsBy) {
  namespace col = checkpoint_column;
  const std::string sql = SelectCheckpoint("db", "s", false, false);
  for (const char* name : {col::kToolVersion,
                           col::kAlterText,
                           col::kIdentity,
                           col::kChunkKey,
                           col::kNewTable,
                           col::kOldTable,
                           col::kInsertTrigger,
                           col::kUpdateTrigger,
                           col::kDeleteTrigger,
                           col::kPhase,
                           col::kPosition,
                           col::kRowsCopied,
                           col::kRowsEstimated,
                           col::kOriginalFingerprint,
                           col::kNewTableFingerprint,
                           col::kTriggersFingerprint,
                           col::kStartedBy,
                           col::kNote,
                           col::kStartedAt,
                           col::kUpdatedAt,
                           col::kAdvancedAt,
                           col::kSecondsSinceAdvanced,
                           col::kOwnTriggers,
                           col::kRunId}) {
    EXPECT_NE(sql.find(std::string(" ") + name + (name == col::kRunId ? " " : ",")),
              std::string::npos)
        << name;
  }
}

}  // namespace
}  // namespace shadowalter
