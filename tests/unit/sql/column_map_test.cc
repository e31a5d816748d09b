#include "sql/column_map.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_tables.h"

namespace shadowalter {
namespace {

using namespace test_tables;

using Pairs = std::vector<ColumnPair>;

std::vector<std::string> Sources(const Pairs& p) {
  std::vector<std::string> out;
  for (const auto& c : p) out.push_back(c.source);
  return out;
}
std::vector<std::string> Targets(const Pairs& p) {
  std::vector<std::string> out;
  for (const auto& c : p) out.push_back(c.target);
  return out;
}
using Names = std::vector<std::string>;

AlterAnalysis Renames(std::vector<ColumnRename> r) {
  AlterAnalysis a;
  a.renames = std::move(r);
  return a;
}
AlterAnalysis Drops(std::vector<std::string> d) {
  AlterAnalysis a;
  a.dropped_columns = std::move(d);
  return a;
}

TableInfo Orders() {
  return Table("shop", "orders",
               {Col("id", "bigint", "bigint unsigned"), Col("customer", "varchar", "varchar(50)"),
                Nullable(Col("note", "text"))},
               {Primary({"id"})});
}

TableInfo Shadow(std::vector<Column> columns, std::vector<Index> indexes) {
  return Table("shop", "_orders_new", std::move(columns), std::move(indexes));
}

// ---------------------------------------------------------------------------------- MapColumns

// FLOAT or DOUBLE into a text or binary column goes as its own text; anything else as it is.
TEST(MapColumnsTest, FloatIntoTextIsMarked) {
  TableInfo src =
      Table("shop", "orders",
            {Col("id", "bigint"), Col("f", "float"), Col("d", "double"), Col("n", "int")},
            {Primary({"id"})});
  TableInfo dst = Shadow({Col("id", "bigint"), Col("f", "varchar", "varchar(20)"), Col("d", "blob"),
                          Col("n", "varchar", "varchar(20)")},
                         {Primary({"id"})});
  const auto pairs = MapColumns(src, dst, AlterAnalysis{});
  ASSERT_TRUE(pairs.ok()) << pairs.status().message();
  ASSERT_EQ(pairs->size(), 4u);
  EXPECT_FALSE((*pairs)[0].float_as_text);
  EXPECT_TRUE((*pairs)[1].float_as_text);
  EXPECT_TRUE((*pairs)[2].float_as_text);
  EXPECT_FALSE((*pairs)[3].float_as_text);
  EXPECT_EQ(ValueForTarget("NEW.`f`", (*pairs)[1]), "CAST(NEW.`f` AS CHAR)");
  EXPECT_EQ(ValueForTarget("NEW.`n`", (*pairs)[3]), "NEW.`n`");
}

TEST(MapColumnsTest, SameColumns) {
  TableInfo src = Orders();
  TableInfo dst = Shadow(src.columns, src.indexes);
  auto m = MapColumns(src, dst, AlterAnalysis{});
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(Sources(*m), (Names{"id", "customer", "note"}));
  EXPECT_EQ(Targets(*m), (Names{"id", "customer", "note"}));
}

TEST(MapColumnsTest, AddedColumnIsNotCopied) {
  TableInfo src = Orders();
  std::vector<Column> cols = src.columns;
  cols.insert(cols.begin() + 1, Nullable(Col("added", "int")));
  AlterAnalysis alter;
  alter.added_columns = {"added"};
  auto m = MapColumns(src, Shadow(cols, src.indexes), alter);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(Sources(*m), (Names{"id", "customer", "note"}));
  EXPECT_EQ(Targets(*m), (Names{"id", "customer", "note"}));
}

TEST(MapColumnsTest, DroppedColumnIsSkipped) {
  TableInfo src = Orders();
  auto m =
      MapColumns(src, Shadow({src.columns[0], src.columns[2]}, src.indexes), Drops({"customer"}));
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(Sources(*m), (Names{"id", "note"}));
  EXPECT_EQ(Targets(*m), (Names{"id", "note"}));
}

TEST(MapColumnsTest, DropIsMatchedCaseInsensitively) {
  TableInfo src = Orders();
  auto m =
      MapColumns(src, Shadow({src.columns[0], src.columns[2]}, src.indexes), Drops({"CUSTOMER"}));
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(Sources(*m), (Names{"id", "note"}));
}

// DROP COLUMN x, ADD COLUMN x ...: the ALTER discards x's data (the server's own ALTER leaves the
// new x at its default), so the copy must not carry the old values into the new column.
TEST(MapColumnsTest, DroppedAndReAddedColumnIsNotCopied) {
  TableInfo src = Orders();
  AlterAnalysis alter;
  alter.dropped_columns = {"note"};
  alter.added_columns = {"note"};
  auto m = MapColumns(
      src, Shadow({src.columns[0], src.columns[1], Nullable(Col("note", "int"))}, src.indexes),
      alter);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(Sources(*m), (Names{"id", "customer"}));
}

// DROP COLUMN b, CHANGE a b ...: the new `b` holds a's data; the dropped original `b` must not be
// copied as well (it would also name `b` twice in the copy's INSERT column list).
TEST(MapColumnsTest, DroppedColumnWhoseNameARenameTakesIsNotCopied) {
  TableInfo src =
      Table("s", "t", {Col("id", "int"), Col("a", "int"), Col("b", "int")}, {Primary({"id"})});
  TableInfo dst = Table("s", "_t_new", {Col("id", "int"), Col("b", "int")}, {Primary({"id"})});
  AlterAnalysis alter;
  alter.dropped_columns = {"b"};
  alter.renames = {{"a", "b"}};
  auto m = MapColumns(src, dst, alter);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(Sources(*m), (Names{"id", "a"}));
  EXPECT_EQ(Targets(*m), (Names{"id", "b"}));
}

TEST(MapColumnsTest, ChangeColumnRenameIsFollowed) {
  TableInfo src = Orders();
  TableInfo dst = Shadow({src.columns[0], Col("client", "varchar", "varchar(80)"), src.columns[2]},
                         src.indexes);
  auto m = MapColumns(src, dst, Renames({{"customer", "client"}}));
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(Sources(*m), (Names{"id", "customer", "note"}));
  EXPECT_EQ(Targets(*m), (Names{"id", "client", "note"}));
}

TEST(MapColumnsTest, RenamesAreCaseInsensitiveAndUseTheNewTablesSpelling) {
  TableInfo src = Orders();
  TableInfo dst = Shadow({src.columns[0], Col("Client", "varchar", "varchar(50)"), src.columns[2]},
                         src.indexes);
  // The ALTER spells both names in another case than the tables do.
  auto m = MapColumns(src, dst, Renames({{"CUSTOMER", "CLIENT"}}));
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(Sources(*m), (Names{"id", "customer", "note"}));
  EXPECT_EQ(Targets(*m), (Names{"id", "Client", "note"}));
}

TEST(MapColumnsTest, SwappedNamesAreFollowed) {
  // CHANGE a b ..., CHANGE b a ...
  TableInfo src =
      Table("s", "t", {Col("id", "int"), Col("a", "int"), Col("b", "int")}, {Primary({"id"})});
  TableInfo dst =
      Table("s", "_t_new", {Col("id", "int"), Col("b", "int"), Col("a", "int")}, {Primary({"id"})});
  auto m = MapColumns(src, dst, Renames({{"a", "b"}, {"b", "a"}}));
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(Sources(*m), (Names{"id", "a", "b"}));
  EXPECT_EQ(Targets(*m), (Names{"id", "b", "a"}));
}

TEST(MapColumnsTest, CaseOnlyChangeNeedsNoRename) {
  TableInfo src = Orders();
  TableInfo dst = Shadow(
      {src.columns[0], Col("Customer", "varchar", "varchar(50)"), src.columns[2]}, src.indexes);
  auto m = MapColumns(src, dst, AlterAnalysis{});
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(Targets(*m), (Names{"id", "Customer", "note"}));
}

TEST(MapColumnsTest, ATypeCrossingTimestampIsMarked) {
  TableInfo src = Table("s", "t",
                        {Col("id", "int"), Col("a", "datetime"), Col("b", "timestamp"),
                         Col("c", "timestamp"), Col("d", "date")},
                        {Primary({"id"})});
  TableInfo dst = Table("s", "_t_new",
                        {Col("id", "int"), Col("a", "timestamp"), Col("b", "datetime"),
                         Col("c", "timestamp", "timestamp(6)"), Col("d", "datetime")},
                        {Primary({"id"})});
  auto m = MapColumns(src, dst, AlterAnalysis{});
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_EQ(m->size(), 5u);
  EXPECT_EQ((*m)[0].zone, ZoneShift::kNone);
  EXPECT_EQ((*m)[1].zone, ZoneShift::kIntoTimestamp);
  EXPECT_EQ((*m)[2].zone, ZoneShift::kOutOfTimestamp);
  EXPECT_EQ((*m)[3].zone, ZoneShift::kNone);
  EXPECT_EQ((*m)[4].zone, ZoneShift::kNone);
}

TEST(MapColumnsTest, ColumnVanishedWithoutDropIsRefused) {
  // DROP COLUMN customer + ADD COLUMN client would lose the data; here neither is recorded as a
  // rename, and customer was not dropped explicitly.
  TableInfo src = Orders();
  TableInfo dst = Shadow({src.columns[0], Col("client", "varchar"), src.columns[2]}, src.indexes);
  auto m = MapColumns(src, dst, AlterAnalysis{});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), Code::kRefused);
  EXPECT_NE(m.status().message().find("`customer`"), std::string::npos) << m.status().message();
  EXPECT_NE(m.status().message().find("CHANGE COLUMN"), std::string::npos) << m.status().message();
}

TEST(MapColumnsTest, RenameToAMissingColumnIsRefused) {
  TableInfo src = Orders();
  TableInfo dst = Shadow({src.columns[0], Col("client", "varchar"), src.columns[2]}, src.indexes);
  auto m = MapColumns(src, dst, Renames({{"customer", "buyer"}}));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), Code::kRefused);
}

TEST(MapColumnsTest, GeneratedTargetColumnIsSkipped) {
  TableInfo src = Table("s", "t", {Col("id", "int"), Col("price", "int"), Col("total", "int")},
                        {Primary({"id"})});
  // MODIFY total INT AS (price * 2) STORED
  TableInfo dst =
      Table("s", "_t_new", {Col("id", "int"), Col("price", "int"), Generated(Col("total", "int"))},
            {Primary({"id"})});
  auto m = MapColumns(src, dst, AlterAnalysis{});
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(Sources(*m), (Names{"id", "price"}));
  EXPECT_EQ(Targets(*m), (Names{"id", "price"}));
}

TEST(MapColumnsTest, NoSharedColumnIsRefused) {
  TableInfo src = Table("s", "t", {Col("id", "int")}, {Primary({"id"})});
  TableInfo dst = Table("s", "_t_new", {Col("other", "int")}, {});
  auto m = MapColumns(src, dst, Drops({"id"}));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), Code::kRefused);
}

// ------------------------------------------------------------------------------ ChooseChunkKey

TEST(ChooseChunkKeyTest, PrimaryKeyIsChosen) {
  TableInfo src = Table("s", "t", {Col("id", "int"), Col("email", "varchar")},
                        {Unique("ux_email", {"email"}), Primary({"id"})});
  TableInfo dst = src;
  dst.name = "_t_new";
  auto k = ChooseChunkKey(src, dst, SamePairs(src));
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(k->index_name, "PRIMARY");
  ASSERT_EQ(k->columns.size(), 1u);
  EXPECT_EQ(k->columns[0].name, "id");
  EXPECT_EQ(k->target_names, (Names{"id"}));
  EXPECT_EQ(k->shadow_index_name, "PRIMARY");
}

TEST(ChooseChunkKeyTest, CompositePrimaryKeyInIndexOrder) {
  TableInfo src = Table("s", "t", {Col("a", "int"), Col("b", "varchar"), Col("c", "date")},
                        {Primary({"c", "a"})});
  auto k = ChooseChunkKey(src, src, SamePairs(src));
  ASSERT_TRUE(k.ok()) << k.status().message();
  ASSERT_EQ(k->columns.size(), 2u);
  EXPECT_EQ(k->columns[0].name, "c");
  EXPECT_EQ(k->columns[0].kind, ValueKind::kTemporal);
  EXPECT_EQ(k->columns[1].name, "a");
  EXPECT_EQ(k->target_names, (Names{"c", "a"}));
}

TEST(ChooseChunkKeyTest, NotNullUniqueKeyWhenNoPrimary) {
  TableInfo src =
      Table("s", "t", {Nullable(Col("maybe", "int")), Col("code", "varchar"), Col("n", "int")},
            {NonUnique("ix_n", {"n"}), Unique("ux_maybe", {"maybe"}), Unique("ux_code", {"code"}),
             Unique("ux_n", {"n"})});
  auto k = ChooseChunkKey(src, src, SamePairs(src));
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(k->index_name, "ux_code");  // the first usable one
  EXPECT_EQ(k->shadow_index_name, "ux_code");
  EXPECT_EQ(k->target_names, (Names{"code"}));
}

TEST(ChooseChunkKeyTest, NullableUniqueKeyIsRejected) {
  TableInfo src =
      Table("s", "t", {Col("a", "int"), Nullable(Col("b", "int"))}, {Unique("ux_ab", {"a", "b"})});
  auto k = ChooseChunkKey(src, src, SamePairs(src));
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), Code::kRefused);
  EXPECT_NE(k.status().message().find("`s`.`t`"), std::string::npos) << k.status().message();
}

TEST(ChooseChunkKeyTest, NonUniqueIndexIsRejected) {
  TableInfo src = Table("s", "t", {Col("a", "int")}, {NonUnique("ix_a", {"a"})});
  auto k = ChooseChunkKey(src, src, SamePairs(src));
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), Code::kRefused);
}

TEST(ChooseChunkKeyTest, PrefixIndexIsRejected) {
  TableInfo src =
      Table("s", "t", {Col("name", "varchar")}, {Prefixed(Unique("ux_name", {"name"}))});
  auto k = ChooseChunkKey(src, src, SamePairs(src));
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), Code::kRefused);
}

TEST(ChooseChunkKeyTest, PrefixIndexIsPassedOverForAFullOne) {
  TableInfo src = Table("s", "t", {Col("name", "varchar"), Col("id", "int")},
                        {Prefixed(Unique("ux_name", {"name"})), Unique("ux_id", {"id"})});
  auto k = ChooseChunkKey(src, src, SamePairs(src));
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(k->index_name, "ux_id");
}

TEST(ChooseChunkKeyTest, UnwalkableKeyTypesAreRejected) {
  for (const char* type : {"float", "double", "enum", "set", "json", "geometry"}) {
    TableInfo src = Table("s", "t", {Col("k", type), Col("v", "int")}, {Primary({"k"})});
    auto k = ChooseChunkKey(src, src, SamePairs(src));
    ASSERT_FALSE(k.ok()) << type;
    EXPECT_EQ(k.status().code(), Code::kRefused) << type;
    EXPECT_NE(k.status().message().find("`k`"), std::string::npos) << k.status().message();
    EXPECT_NE(k.status().message().find(type), std::string::npos) << k.status().message();
  }
}

TEST(ChooseChunkKeyTest, UnwalkableColumnInACompositeKeyIsRejected) {
  TableInfo src =
      Table("s", "t", {Col("a", "int"), Col("b", "enum", "enum('x','y')")}, {Primary({"a", "b"})});
  auto k = ChooseChunkKey(src, src, SamePairs(src));
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), Code::kRefused);
}

TEST(ChooseChunkKeyTest, WalkableKeyTypesAreAccepted) {
  for (const char* type : {"int", "bigint", "decimal", "varchar", "char", "binary", "varbinary",
                           "date", "datetime", "timestamp", "time", "year"}) {
    TableInfo src = Table("s", "t", {Col("k", type)}, {Primary({"k"})});
    auto k = ChooseChunkKey(src, src, SamePairs(src));
    EXPECT_TRUE(k.ok()) << type << ": " << k.status().message();
  }
}

// The two tables would order and compare such a key in different zones: refused, naming it.
TEST(ChooseChunkKeyTest, KeyColumnCrossingTimestampIsRejected) {
  TableInfo src = Table("s", "t", {Col("at", "datetime"), Col("v", "int")}, {Primary({"at"})});
  TableInfo dst =
      Table("s", "_t_new", {Col("at", "timestamp"), Col("v", "int")}, {Primary({"at"})});
  auto pairs = MapColumns(src, dst, AlterAnalysis{});
  ASSERT_TRUE(pairs.ok()) << pairs.status().message();
  auto k = ChooseChunkKey(src, dst, *pairs);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), Code::kRefused);
  EXPECT_NE(k.status().message().find("`at`"), std::string::npos) << k.status().message();
  EXPECT_NE(k.status().message().find("TIMESTAMP"), std::string::npos) << k.status().message();
}

TEST(ChooseChunkKeyTest, KeyColumnDroppedByTheAlterIsRejected) {
  TableInfo src = Table("s", "t", {Col("id", "int"), Col("v", "int")}, {Primary({"id"})});
  TableInfo dst = Table("s", "_t_new", {Col("v", "int")}, {Primary({"v"})});
  auto pairs = MapColumns(src, dst, Drops({"id"}));
  ASSERT_TRUE(pairs.ok()) << pairs.status().message();
  auto k = ChooseChunkKey(src, dst, *pairs);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), Code::kRefused);
  EXPECT_NE(k.status().message().find("`id`"), std::string::npos) << k.status().message();
}

TEST(ChooseChunkKeyTest, ShadowWithoutUniqueKeyOnTheKeyIsRejected) {
  TableInfo src = Table("s", "t", {Col("id", "int"), Col("v", "int")}, {Primary({"id"})});
  // DROP PRIMARY KEY, ADD KEY (id): no longer unique.
  TableInfo dst =
      Table("s", "_t_new", {Col("id", "int"), Col("v", "int")}, {NonUnique("ix_id", {"id"})});
  auto k = ChooseChunkKey(src, dst, SamePairs(src));
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), Code::kRefused);
  EXPECT_NE(k.status().message().find("`PRIMARY`"), std::string::npos) << k.status().message();
}

// DROP PRIMARY KEY, ADD PRIMARY KEY (id, v): id stays unique (the original proves it), and the
// new table finds each row through its primary key on (id, v).
TEST(ChooseChunkKeyTest, NewPrimaryKeyOverTheKeysColumnsMatchesRowByRow) {
  TableInfo src = Table("s", "t", {Col("id", "int"), Col("v", "int")}, {Primary({"id"})});
  TableInfo dst = Table("s", "_t_new", {Col("id", "int"), Col("v", "int")},
                        {Primary({"id", "v"}), Prefixed(Unique("ux_id_prefix", {"id"}))});
  auto k = ChooseChunkKey(src, dst, SamePairs(src));
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(k->index_name, "PRIMARY");
  EXPECT_EQ(k->target_names, (Names{"id"}));
  EXPECT_EQ(k->shadow_index_name, "PRIMARY");
  ASSERT_TRUE(k->matches_row_by_row());
  ASSERT_EQ(k->shadow_key.size(), 2u);
  EXPECT_EQ(k->shadow_key[1].name, "v");
  ASSERT_EQ(k->match.size(), 2u);
  EXPECT_EQ(k->match[0].source.name, "id");
  EXPECT_EQ(k->match[1].target.name, "v");
}

// The walked key's column is listed after the new table's key columns it is not part of.
TEST(ChooseChunkKeyTest, NewPrimaryKeyWithoutTheKeysColumnsStillMatchesByThem) {
  TableInfo src = Table("s", "t", {Col("id", "int"), Col("code", "varchar")}, {Primary({"id"})});
  TableInfo dst = Table("s", "_t_new", src.columns, {Primary({"code"})});
  auto k = ChooseChunkKey(src, dst, SamePairs(src));
  ASSERT_TRUE(k.ok()) << k.status().message();
  ASSERT_EQ(k->match.size(), 2u);
  EXPECT_EQ(k->match[0].target.name, "code");
  EXPECT_EQ(k->match[1].target.name, "id");
}

TEST(ChooseChunkKeyTest, NewPrimaryKeyIsRefusedWhenTheKeysColumnIsConverted) {
  TableInfo src = Table("s", "t", {Col("id", "int"), Col("v", "int")}, {Primary({"id"})});
  TableInfo dst =
      Table("s", "_t_new", {Col("id", "varchar"), Col("v", "int")}, {Primary({"id", "v"})});
  auto k = ChooseChunkKey(src, dst, SamePairs(src));
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), Code::kRefused);
  EXPECT_NE(k.status().message().find("changes type (int -> varchar)"), std::string::npos)
      << k.status().message();
}

// A new key must identify rows by values the copy brings: not a column the ALTER adds.
TEST(ChooseChunkKeyTest, NewPrimaryKeyOnAnAddedColumnIsRefused) {
  TableInfo src = Table("s", "t", {Col("id", "int"), Col("v", "int")}, {Primary({"id"})});
  TableInfo dst = Table("s", "_t_new", {Col("id", "int"), Col("v", "int"), Col("n", "bigint")},
                        {Primary({"n"}), NonUnique("ix_id", {"id"})});
  auto k = ChooseChunkKey(src, dst, SamePairs(src));
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.status().code(), Code::kRefused);
  EXPECT_NE(k.status().message().find("copied from the original"), std::string::npos)
      << k.status().message();
}

TEST(ChooseChunkKeyTest, ReorderedUniqueKeyMatchesRowByRow) {
  TableInfo src = Table("s", "t", {Col("a", "int"), Col("b", "int")}, {Primary({"a", "b"})});
  TableInfo dst = Table("s", "_t_new", src.columns, {Primary({"b", "a"})});
  auto k = ChooseChunkKey(src, dst, SamePairs(src));
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_TRUE(k->matches_row_by_row());
  EXPECT_EQ(k->target_names, (Names{"a", "b"}));  // the walk follows the original's key
  ASSERT_EQ(k->shadow_key.size(), 2u);
  EXPECT_EQ(k->shadow_key[0].name, "b");
}

TEST(ChooseChunkKeyTest, KeyCollationChangeMatchesRowByRow) {
  TableInfo src =
      Table("s", "t", {Col("k", "varchar", "varchar(32)", "utf8mb4_general_ci")}, {Primary({"k"})});
  TableInfo dst =
      Table("s", "_t_new", {Col("k", "varchar", "varchar(32)", "utf8mb4_bin")}, {Primary({"k"})});
  auto k = ChooseChunkKey(src, dst, SamePairs(src));
  ASSERT_TRUE(k.ok()) << k.status().message();
  ASSERT_TRUE(k->matches_row_by_row());
  ASSERT_EQ(k->match.size(), 1u);
  EXPECT_EQ(k->match[0].source.collation, "utf8mb4_general_ci");
  EXPECT_EQ(k->match[0].target.collation, "utf8mb4_bin");
}

// INT -> BIGINT and a longer VARCHAR in the same collation keep keys and ranges as they were.
TEST(ChooseChunkKeyTest, WideningTheKeyKeepsRangeWalking) {
  TableInfo src =
      Table("s", "t", {Col("a", "int"), Col("b", "varchar", "varchar(10)")}, {Primary({"a", "b"})});
  TableInfo dst = Table("s", "_t_new", {Col("a", "bigint"), Col("b", "varchar", "varchar(40)")},
                        {Primary({"a", "b"})});
  auto k = ChooseChunkKey(src, dst, SamePairs(src));
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_FALSE(k->matches_row_by_row());
}

TEST(ChooseChunkKeyTest, ShadowKeyMayBeAnotherUniqueIndex) {
  // The PRIMARY KEY moves to another column, the old key stays UNIQUE.
  TableInfo src = Table("s", "t", {Col("id", "int"), Col("uuid", "binary")}, {Primary({"id"})});
  TableInfo dst = Table("s", "_t_new", src.columns, {Primary({"uuid"}), Unique("ux_id", {"id"})});
  auto k = ChooseChunkKey(src, dst, SamePairs(src));
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(k->index_name, "PRIMARY");
  EXPECT_EQ(k->shadow_index_name, "ux_id");
}

TEST(ChooseChunkKeyTest, RenamedKeyColumnMapsToItsNewName) {
  TableInfo src = Table("s", "t", {Col("tenant", "int"), Col("id", "bigint"), Col("v", "text")},
                        {Primary({"tenant", "id"})});
  TableInfo dst =
      Table("s", "_t_new", {Col("tenant", "int"), Col("order_id", "bigint"), Col("v", "text")},
            {Primary({"tenant", "ORDER_ID"})});
  auto pairs = MapColumns(src, dst, Renames({{"id", "order_id"}}));
  ASSERT_TRUE(pairs.ok()) << pairs.status().message();
  auto k = ChooseChunkKey(src, dst, *pairs);
  ASSERT_TRUE(k.ok()) << k.status().message();
  EXPECT_EQ(k->index_name, "PRIMARY");
  ASSERT_EQ(k->columns.size(), 2u);
  EXPECT_EQ(k->columns[0].name, "tenant");  // the original's columns
  EXPECT_EQ(k->columns[1].name, "id");
  EXPECT_EQ(k->target_names, (Names{"tenant", "order_id"}));
  EXPECT_EQ(k->shadow_index_name, "PRIMARY");
}

TEST(ChooseChunkKeyTest, KeyColumnsAreFoundCaseInsensitively) {
  TableInfo src = Table("s", "t", {Col("Id", "int"), Col("v", "int")}, {Primary({"ID"})});
  auto k = ChooseChunkKey(src, src, SamePairs(src));
  ASSERT_TRUE(k.ok()) << k.status().message();
  ASSERT_EQ(k->columns.size(), 1u);
  EXPECT_EQ(k->columns[0].name, "Id");
  EXPECT_EQ(k->target_names, (Names{"Id"}));
}

}  // namespace
}  // namespace shadowalter
