#include "state/checkpoint_row.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace shadowalter {
namespace {

namespace col = checkpoint_column;

using Row = std::vector<std::pair<std::string, std::optional<std::string>>>;

Checkpoint Sample() {
  Checkpoint c;
  c.tool_version = "0.1.0";
  c.alter = "ADD COLUMN c INT";
  c.identity = "fk=auto;preserve-triggers=1";
  c.chunk_key = "`id`";
  c.new_table = "_t_new";
  c.old_table = "_t_old";
  c.insert_trigger = "sa_t_ins";
  c.update_trigger = "sa_t_upd";
  c.delete_trigger = "sa_t_del";
  c.phase = RunPhase::kCopying;
  c.position = std::vector<std::string>{"4,2", std::string("\0\xff", 2)};
  c.rows_copied = 42;
  c.rows_estimated = 1000;
  c.original_fingerprint = "0123456789abcdef";
  c.new_table_fingerprint = "fedcba9876543210";
  c.triggers_fingerprint = "00000000ffffffff";
  c.started_by = "host pid 1";
  c.note = "parked: late";
  Trigger t;
  t.name = "t_bi";
  t.timing = "BEFORE";
  t.event = "INSERT";
  t.action_order = 2;
  t.body = "SET NEW.a = 1";
  c.own_triggers = std::vector<Trigger>{t};
  c.run_id = "3f9a0c27d41e8b65";
  return c;
}

// The row as the server would return it for SelectCheckpoint, in the given column order.
Row AsFetched(const CheckpointRow& r) {
  return {
      {col::kNote, r.note},
      {col::kToolVersion, r.tool_version},
      {col::kAlterText, r.alter_text},
      {col::kIdentity, r.identity},
      {col::kChunkKey, r.chunk_key},
      {col::kNewTable, r.new_table},
      {col::kOldTable, r.old_table},
      {col::kInsertTrigger, r.insert_trigger},
      {col::kUpdateTrigger, r.update_trigger},
      {col::kDeleteTrigger, r.delete_trigger},
      {col::kPhase, r.phase},
      {col::kPosition, r.position},
      {col::kRowsCopied, std::to_string(r.rows_copied)},
      {col::kRowsEstimated, std::to_string(r.rows_estimated)},
      {col::kOriginalFingerprint, r.original_fingerprint},
      {col::kNewTableFingerprint, r.new_table_fingerprint},
      {col::kTriggersFingerprint, r.triggers_fingerprint},
      {col::kStartedBy, r.started_by},
      {col::kStartedAt, "2024-01-02 03:04:05"},
      {col::kUpdatedAt, "2024-01-02 03:04:06"},
      {col::kAdvancedAt, "2024-01-02 03:04:07"},
      {col::kSecondsSinceAdvanced, "12"},
      {col::kOwnTriggers, r.own_triggers},
      {col::kRunId, r.run_id},
  };
}

StatusOr<Checkpoint> Read(const Row& row) {
  std::vector<std::string> names;
  std::vector<std::optional<std::string>> values;
  for (const auto& [name, value] : row) {
    names.push_back(name);
    values.push_back(value);
  }
  return CheckpointFromRow(names, values);
}

Row With(Row row, const std::string& name, std::optional<std::string> value) {
  for (auto& [n, v] : row) {
    if (n == name) v = std::move(value);
  }
  return row;
}

TEST(CheckpointRowTest, EveryFieldSurvivesTheRoundTrip) {
  const Checkpoint c = Sample();
  StatusOr<Checkpoint> back = Read(AsFetched(ToCheckpointRow(c)));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->tool_version, c.tool_version);
  EXPECT_EQ(back->alter, c.alter);
  EXPECT_EQ(back->identity, c.identity);
  EXPECT_EQ(back->chunk_key, c.chunk_key);
  EXPECT_EQ(back->new_table, c.new_table);
  EXPECT_EQ(back->old_table, c.old_table);
  EXPECT_EQ(back->insert_trigger, c.insert_trigger);
  EXPECT_EQ(back->update_trigger, c.update_trigger);
  EXPECT_EQ(back->delete_trigger, c.delete_trigger);
  EXPECT_EQ(back->phase, c.phase);
  EXPECT_EQ(back->position, c.position);
  EXPECT_EQ(back->rows_copied, c.rows_copied);
  EXPECT_EQ(back->rows_estimated, c.rows_estimated);
  EXPECT_EQ(back->original_fingerprint, c.original_fingerprint);
  EXPECT_EQ(back->new_table_fingerprint, c.new_table_fingerprint);
  EXPECT_EQ(back->triggers_fingerprint, c.triggers_fingerprint);
  EXPECT_EQ(back->started_by, c.started_by);
  EXPECT_EQ(back->note, c.note);
  EXPECT_EQ(back->own_triggers, c.own_triggers);
  EXPECT_EQ(back->run_id, "3f9a0c27d41e8b65");
  EXPECT_EQ(back->started_at, "2024-01-02 03:04:05");
  EXPECT_EQ(back->updated_at, "2024-01-02 03:04:06");
  EXPECT_EQ(back->advanced_at, "2024-01-02 03:04:07");
  EXPECT_EQ(back->seconds_since_advanced, 12);
}

TEST(CheckpointRowTest, EncodesThePhaseByNameAndNoneAsNull) {
  Checkpoint c = Sample();
  c.position.reset();
  c.own_triggers.reset();
  c.run_id.clear();
  const CheckpointRow row = ToCheckpointRow(c);
  EXPECT_EQ(row.phase, "copying");
  EXPECT_FALSE(row.position.has_value());
  EXPECT_FALSE(row.own_triggers.has_value());
  EXPECT_FALSE(row.run_id.has_value());
  EXPECT_EQ(ToCheckpointRow(Sample()).run_id, "3f9a0c27d41e8b65");
  EXPECT_EQ(ToCheckpointRow(Sample()).position, "x342c32,x00ff");
}

TEST(CheckpointRowTest, NullsReadAsNone) {
  Row row = AsFetched(ToCheckpointRow(Sample()));
  row = With(row, col::kPosition, std::nullopt);
  row = With(row, col::kOwnTriggers, std::nullopt);  // an older table: NULL AS own_triggers
  row = With(row, col::kRunId, std::nullopt);        // an older table: NULL AS run_id
  row = With(row, col::kSecondsSinceAdvanced, std::nullopt);
  StatusOr<Checkpoint> c = Read(row);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_FALSE(c->position.has_value());
  EXPECT_FALSE(c->own_triggers.has_value());
  EXPECT_EQ(c->run_id, "");
  EXPECT_EQ(c->seconds_since_advanced, -1);
}

TEST(CheckpointRowTest, RefusesWhatItCannotRead) {
  const Row good = AsFetched(ToCheckpointRow(Sample()));
  StatusOr<Checkpoint> phase = Read(With(good, col::kPhase, "flying"));
  ASSERT_FALSE(phase.ok());
  EXPECT_EQ(phase.status().message(), "unknown phase 'flying' (written by shadowalter 0.1.0?)");
  StatusOr<Checkpoint> position = Read(With(good, col::kPosition, "12"));
  ASSERT_FALSE(position.ok());
  EXPECT_EQ(position.status().message(), "malformed position '12'");
  StatusOr<Checkpoint> triggers = Read(With(good, col::kOwnTriggers, "v9"));
  ASSERT_FALSE(triggers.ok());
  EXPECT_NE(triggers.status().message().find("can't read"), std::string::npos);
}

TEST(CheckpointRowTest, AMissingColumnIsAnError) {
  Row row = AsFetched(ToCheckpointRow(Sample()));
  row.erase(std::find_if(row.begin(), row.end(),
                         [](const auto& column) { return column.first == col::kPhase; }));
  StatusOr<Checkpoint> c = Read(row);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "the row has no column phase");
}

}  // namespace
}  // namespace shadowalter
