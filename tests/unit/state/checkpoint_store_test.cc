// The checkpoint store against a scripted session: which statements each write sends, and how a
// row read back becomes a Checkpoint (or an error naming the table). The statements' text is
// tested with their builders (tests/unit/sql/checkpoint_test.cc).
#include "state/checkpoint_store.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "db/scripted_session.h"
#include "sql/checkpoint.h"
#include "state/checkpoint_row.h"
#include "test_tables.h"

namespace shadowalter {
namespace {

constexpr char kSchema[] = "shop";
constexpr char kTable[] = "_orders_state";
constexpr char kTableExists[] =
    "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = "
    "'_orders_state'";

Trigger OwnTrigger() { return test_tables::AuditTrigger(); }

// The columns SelectCheckpoint names, in the order of StoredRow.
std::vector<std::string> ColumnNames() {
  namespace col = checkpoint_column;
  return {col::kToolVersion,
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
          col::kRunId};
}

// The row SelectCheckpoint reads, as the server returns it.
std::vector<std::optional<std::string>> StoredRow() {
  return {"0.1.0",                            // tool_version
          "ADD COLUMN note TEXT",             // alter_text
          "fk=auto;preserve-triggers=1",      // identity
          "`id`",                             // chunk_key
          "_orders_new",                      // new_table
          "_orders_old",                      // old_table
          "pt_orders_ins",                    // insert_trigger
          "pt_orders_upd",                    // update_trigger
          "pt_orders_del",                    // delete_trigger
          "copying",                          // phase
          EncodePosition({"1200"}),           // position
          "1200",                             // rows_copied
          "5000",                             // rows_estimated
          "aaaa",                             // original_fingerprint
          "bbbb",                             // new_table_fingerprint
          "cccc",                             // triggers_fingerprint
          "host1:4242",                       // started_by
          std::nullopt,                       // note
          "2024-05-01 10:00:00",              // started_at
          "2024-05-01 10:05:00",              // updated_at
          "2024-05-01 10:04:00",              // advanced_at
          "61",                               // seconds since advanced
          EncodeOwnTriggers({OwnTrigger()}),  // own_triggers
          "3f9a0c27d41e8b65"};                // run_id
}

// Load's statements up to the row: the table exists, with the own_triggers and run_id columns
// or without.
void ExpectLoad(ScriptedSession& s, bool with_own_triggers,
                std::vector<std::optional<std::string>> row, bool with_run_id = true) {
  s.Expect(kTableExists).Returns({{"1"}});
  s.Expect(CountOwnTriggersColumn(kSchema, kTable)).Returns({{with_own_triggers ? "1" : "0"}});
  s.Expect(CountRunIdColumn(kSchema, kTable)).Returns({{with_run_id ? "1" : "0"}});
  s.Expect(SelectCheckpoint(kSchema, kTable, with_own_triggers, with_run_id))
      .Returns({std::move(row)}, ColumnNames());
}

TEST(CheckpointStoreTest, CreateMakesTheTableThenWritesTheRow) {
  Checkpoint c;
  c.tool_version = "0.1.0";
  c.alter = "ADD COLUMN note TEXT";
  c.phase = RunPhase::kStarted;
  ScriptedSession s;
  s.Expect(CreateCheckpointTable(kSchema, kTable));
  s.Expect(WriteCheckpoint(kSchema, kTable, ToCheckpointRow(c)));
  EXPECT_TRUE(CheckpointStore(kSchema, kTable).Create(s, c).ok());
}

TEST(CheckpointStoreTest, CreateWritesNothingWhenTheTableCannotBeMade) {
  Checkpoint c;
  ScriptedSession s;
  s.Expect(CreateCheckpointTable(kSchema, kTable))
      .Fails(ServerError(1142, "CREATE command denied"));
  EXPECT_EQ(CheckpointStore(kSchema, kTable).Create(s, c).server_errno(), 1142u);
}

TEST(CheckpointStoreTest, EachUpdateSendsItsOneStatement) {
  const CheckpointStore store(kSchema, kTable);
  ScriptedSession s;
  s.Expect(UpdateCheckpointPhase(kSchema, kTable, RunPhaseName(RunPhase::kCopied)));
  s.Expect(UpdateCheckpointPosition(kSchema, kTable, EncodePosition({"7", "x"}), 99));
  s.Expect(UpdateCheckpointText(kSchema, kTable, checkpoint_column::kNewTableFingerprint, "f1"));
  s.Expect(UpdateCheckpointText(kSchema, kTable, checkpoint_column::kTriggersFingerprint, "f2"));
  s.Expect(
      UpdateCheckpointText(kSchema, kTable, checkpoint_column::kNote, "parked: window closed"));
  s.Expect(UpdateCheckpointText(kSchema, kTable, checkpoint_column::kChunkKey, "`a`,`b`"));
  EXPECT_TRUE(store.SetPhase(s, RunPhase::kCopied).ok());
  EXPECT_TRUE(store.RecordPosition(s, {"7", "x"}, 99).ok());
  EXPECT_TRUE(store.SetNewTableFingerprint(s, "f1").ok());
  EXPECT_TRUE(store.SetTriggersFingerprint(s, "f2").ok());
  EXPECT_TRUE(store.SetNote(s, "parked: window closed").ok());
  EXPECT_TRUE(store.SetChunkKey(s, "`a`,`b`").ok());
}

TEST(CheckpointStoreTest, AFailedPhaseUpdateSaysWhatItRecordedAndKeepsTheErrno) {
  ScriptedSession s;
  s.Expect(UpdateCheckpointPhase(kSchema, kTable, RunPhaseName(RunPhase::kVerified)))
      .Fails(ServerError(2013, "Lost connection"));
  Status st = CheckpointStore(kSchema, kTable).SetPhase(s, RunPhase::kVerified);
  EXPECT_EQ(st.code(), Code::kConnection);
  EXPECT_EQ(st.server_errno(), 2013u);
  EXPECT_EQ(st.message(), "recording phase verified in the checkpoint: Lost connection");
}

TEST(CheckpointStoreTest, SetOwnTriggersAddsTheColumnToAnOlderTableFirst) {
  const std::vector<Trigger> triggers = {OwnTrigger()};
  ScriptedSession s;
  s.Expect(CountOwnTriggersColumn(kSchema, kTable)).Returns({{"0"}});
  s.Expect(AddOwnTriggersColumn(kSchema, kTable));
  s.Expect(UpdateCheckpointOwnTriggers(kSchema, kTable, EncodeOwnTriggers(triggers)));
  EXPECT_TRUE(CheckpointStore(kSchema, kTable).SetOwnTriggers(s, triggers).ok());
}

TEST(CheckpointStoreTest, SetOwnTriggersLeavesATableWithTheColumnAsItIs) {
  const std::vector<Trigger> triggers = {OwnTrigger()};
  ScriptedSession s;
  s.Expect(CountOwnTriggersColumn(kSchema, kTable)).Returns({{"1"}});
  s.Expect(UpdateCheckpointOwnTriggers(kSchema, kTable, EncodeOwnTriggers(triggers)))
      .Fails(ServerError(1205, "Lock wait timeout exceeded"));
  Status st = CheckpointStore(kSchema, kTable).SetOwnTriggers(s, triggers);
  EXPECT_EQ(st.server_errno(), 1205u);
  EXPECT_EQ(st.message().rfind("saving the table's own triggers in the checkpoint: ", 0), 0u)
      << st.message();
}

TEST(CheckpointStoreTest, LoadWithoutTheTableIsNoCheckpoint) {
  ScriptedSession s;
  s.Expect(kTableExists).Returns({{"0"}});
  StatusOr<std::optional<Checkpoint>> c = CheckpointStore(kSchema, kTable).Load(s);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_FALSE(c->has_value());
}

TEST(CheckpointStoreTest, LoadOfAnEmptyTableIsNoCheckpoint) {
  ScriptedSession s;
  s.Expect(kTableExists).Returns({{"1"}});
  s.Expect(CountOwnTriggersColumn(kSchema, kTable)).Returns({{"1"}});
  s.Expect(CountRunIdColumn(kSchema, kTable)).Returns({{"1"}});
  s.Expect(SelectCheckpoint(kSchema, kTable, true, true));
  StatusOr<std::optional<Checkpoint>> c = CheckpointStore(kSchema, kTable).Load(s);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_FALSE(c->has_value());
}

TEST(CheckpointStoreTest, LoadReadsEveryField) {
  ScriptedSession s;
  ExpectLoad(s, true, StoredRow());
  StatusOr<std::optional<Checkpoint>> loaded = CheckpointStore(kSchema, kTable).Load(s);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_TRUE(loaded->has_value());
  const Checkpoint& c = **loaded;
  EXPECT_EQ(c.tool_version, "0.1.0");
  EXPECT_EQ(c.alter, "ADD COLUMN note TEXT");
  EXPECT_EQ(c.identity, "fk=auto;preserve-triggers=1");
  EXPECT_EQ(c.chunk_key, "`id`");
  EXPECT_EQ(c.new_table, "_orders_new");
  EXPECT_EQ(c.old_table, "_orders_old");
  EXPECT_EQ(c.insert_trigger, "pt_orders_ins");
  EXPECT_EQ(c.update_trigger, "pt_orders_upd");
  EXPECT_EQ(c.delete_trigger, "pt_orders_del");
  EXPECT_EQ(c.phase, RunPhase::kCopying);
  EXPECT_EQ(c.position, (std::vector<std::string>{"1200"}));
  EXPECT_EQ(c.rows_copied, 1200u);
  EXPECT_EQ(c.rows_estimated, 5000u);
  EXPECT_EQ(c.original_fingerprint, "aaaa");
  EXPECT_EQ(c.new_table_fingerprint, "bbbb");
  EXPECT_EQ(c.triggers_fingerprint, "cccc");
  EXPECT_EQ(c.started_by, "host1:4242");
  EXPECT_EQ(c.note, "");  // NULL
  EXPECT_EQ(c.started_at, "2024-05-01 10:00:00");
  EXPECT_EQ(c.updated_at, "2024-05-01 10:05:00");
  EXPECT_EQ(c.advanced_at, "2024-05-01 10:04:00");
  EXPECT_EQ(c.seconds_since_advanced, 61);
  EXPECT_EQ(c.own_triggers, (std::vector<Trigger>{OwnTrigger()}));
  EXPECT_EQ(c.run_id, "3f9a0c27d41e8b65");
}

TEST(CheckpointStoreTest, LoadOfAnOlderTableHasNoOwnTriggersAndNoPosition) {
  std::vector<std::optional<std::string>> row = StoredRow();
  row[10] = std::nullopt;  // nothing copied yet
  row[21] = std::nullopt;  // never advanced
  row[22] = std::nullopt;  // the NULLs SelectCheckpoint puts in place of the missing columns
  row[23] = std::nullopt;
  ScriptedSession s;
  ExpectLoad(s, false, row, /*with_run_id=*/false);
  StatusOr<std::optional<Checkpoint>> loaded = CheckpointStore(kSchema, kTable).Load(s);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_TRUE(loaded->has_value());
  EXPECT_FALSE((*loaded)->position.has_value());
  EXPECT_FALSE((*loaded)->own_triggers.has_value());
  EXPECT_EQ((*loaded)->run_id, "");
  EXPECT_EQ((*loaded)->seconds_since_advanced, -1);
}

// Built after the own triggers' column and before the run id's.
TEST(CheckpointStoreTest, LoadOfATableWithOwnTriggersButNoRunId) {
  std::vector<std::optional<std::string>> row = StoredRow();
  row[23] = std::nullopt;
  ScriptedSession s;
  ExpectLoad(s, true, row, /*with_run_id=*/false);
  StatusOr<std::optional<Checkpoint>> loaded = CheckpointStore(kSchema, kTable).Load(s);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ((*loaded)->own_triggers, (std::vector<Trigger>{OwnTrigger()}));
  EXPECT_EQ((*loaded)->run_id, "");
}

TEST(CheckpointStoreTest, SetRunIdAddsTheColumnToAnOlderTableFirst) {
  ScriptedSession s;
  s.Expect(CountRunIdColumn(kSchema, kTable)).Returns({{"0"}});
  s.Expect(AddRunIdColumn(kSchema, kTable));
  s.Expect(UpdateCheckpointText(kSchema, kTable, checkpoint_column::kRunId, "3f9a0c27d41e8b65"));
  EXPECT_TRUE(CheckpointStore(kSchema, kTable).SetRunId(s, "3f9a0c27d41e8b65").ok());
}

TEST(CheckpointStoreTest, SetRunIdLeavesATableWithTheColumnAsItIs) {
  ScriptedSession s;
  s.Expect(CountRunIdColumn(kSchema, kTable)).Returns({{"1"}});
  s.Expect(UpdateCheckpointText(kSchema, kTable, checkpoint_column::kRunId, "3f9a0c27d41e8b65"))
      .Fails(ServerError(1205, "Lock wait timeout exceeded"));
  Status st = CheckpointStore(kSchema, kTable).SetRunId(s, "3f9a0c27d41e8b65");
  EXPECT_EQ(st.server_errno(), 1205u);
  EXPECT_EQ(st.message().rfind("recording the run id in the checkpoint: ", 0), 0u) << st.message();
}

TEST(CheckpointStoreTest, LoadRefusesAnUnknownPhase) {
  std::vector<std::optional<std::string>> row = StoredRow();
  row[9] = "teleporting";
  ScriptedSession s;
  ExpectLoad(s, true, row);
  StatusOr<std::optional<Checkpoint>> loaded = CheckpointStore(kSchema, kTable).Load(s);
  EXPECT_EQ(loaded.status().code(), Code::kInternal);
  EXPECT_EQ(loaded.status().message(),
            "reading the checkpoint in `shop`.`_orders_state`: unknown phase 'teleporting' "
            "(written by shadowalter 0.1.0?)");
}

TEST(CheckpointStoreTest, LoadRefusesAMalformedPositionOrOwnTriggers) {
  {
    std::vector<std::optional<std::string>> row = StoredRow();
    row[10] = "1200";  // not EncodePosition's form
    ScriptedSession s;
    ExpectLoad(s, true, row);
    StatusOr<std::optional<Checkpoint>> loaded = CheckpointStore(kSchema, kTable).Load(s);
    EXPECT_EQ(loaded.status().code(), Code::kInternal);
    EXPECT_NE(loaded.status().message().find("malformed position '1200'"), std::string::npos)
        << loaded.status().message();
  }
  {
    std::vector<std::optional<std::string>> row = StoredRow();
    row[22] = "v9\nsomething newer";
    ScriptedSession s;
    ExpectLoad(s, true, row);
    StatusOr<std::optional<Checkpoint>> loaded = CheckpointStore(kSchema, kTable).Load(s);
    EXPECT_EQ(loaded.status().code(), Code::kInternal);
    EXPECT_NE(loaded.status().message().find("its saved own triggers are in a format"),
              std::string::npos)
        << loaded.status().message();
  }
}

}  // namespace
}  // namespace shadowalter
