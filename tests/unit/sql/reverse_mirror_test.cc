// The mirror taken backwards (revertible swap): which columns go back, how rows are found in the
// old table, and the triggers' names and target.
#include "sql/reverse_mirror.h"

#include <gtest/gtest.h>

#include "test_tables.h"

namespace shadowalter {
namespace {

using namespace test_tables;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// shop.orders (id, customer, qty NOT NULL without a default, at TIMESTAMP), altered with
// CHANGE customer client, DROP qty, ADD note, MODIFY at DATETIME.
TableInfo Original() {
  return Table("shop", "orders",
               {Col("id", "bigint"), Col("customer", "varchar", "varchar(50)"), Col("qty", "int"),
                Col("at", "timestamp")},
               {Primary({"id"})});
}

TableInfo Altered() {
  return Table("shop", "_orders_new",
               {Col("id", "bigint"), Col("client", "varchar", "varchar(50)"),
                Nullable(Col("note", "text")), Col("at", "datetime")},
               {Primary({"id"})});
}

std::vector<ColumnPair> Forward() {
  return {{"id", "id"}, {"customer", "client"}, {"at", "at", ZoneShift::kOutOfTimestamp}};
}

TEST(ReverseColumnsTest, EachPairBackwardsWithTheZoneShiftTurned) {
  const std::vector<ColumnPair> back = ReverseColumns(Forward());
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[1].source, "client");
  EXPECT_EQ(back[1].target, "customer");
  EXPECT_EQ(back[2].zone, ZoneShift::kIntoTimestamp);
  EXPECT_EQ(ReverseColumns(back)[2].zone, ZoneShift::kOutOfTimestamp);
}

TEST(ReverseMirrorTest, TriggersOnTheNewTableWriteTheOldOne) {
  const StatusOr<TriggerSpec> spec =
      ReverseMirror("shop", NamesFor("orders"), Original(), Altered(), Forward());
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->table, "_orders_new");         // before the RENAME makes it `orders`
  EXPECT_EQ(spec->shadow_table, "_orders_old");  // the name the RENAME gives the original
  EXPECT_EQ(spec->refusals_table, "_orders_rrefused");
  // The dropped column: its implicit value on rows inserted after the swap.
  ASSERT_EQ(spec->fills.size(), 1u);
  EXPECT_EQ(spec->fills[0].target, "qty");
  const TriggerStatements t = BuildTriggers(*spec);
  EXPECT_TRUE(Contains(t.create_insert,
                       "CREATE TRIGGER `shop`.`sa_orders_rins` AFTER INSERT ON "
                       "`shop`.`_orders_new` FOR EACH ROW"))
      << t.create_insert;
  EXPECT_TRUE(Contains(t.create_insert,
                       "INSERT INTO `shop`.`_orders_old` (`id`, `customer`, `at`, `qty`) VALUES "
                       "(NEW.`id`, NEW.`client`, "))
      << t.create_insert;
  EXPECT_TRUE(Contains(t.create_update, "CREATE TRIGGER `shop`.`sa_orders_rupd`"));
  // An update keeps the dropped column's old value: it is no assignment of the upsert.
  EXPECT_FALSE(Contains(t.create_update, "`qty` = ")) << t.create_update;
  EXPECT_TRUE(Contains(t.create_delete,
                       "CREATE TRIGGER `shop`.`sa_orders_rdel` AFTER DELETE ON "
                       "`shop`.`_orders_new` FOR EACH ROW DELETE FROM `shop`.`_orders_old` WHERE "
                       "`id` <=> OLD.`id`"))
      << t.create_delete;
  // The insert records what the old table refuses into its own log.
  EXPECT_TRUE(Contains(t.create_insert, "INSERT INTO `shop`.`_orders_rrefused`"));
}

TEST(ReverseMirrorTest, AGeneratedColumnOfTheOldTableIsNeverWritten) {
  TableInfo original = Original();
  original.columns.push_back(Generated(Col("total", "int")));
  TableInfo altered = Altered();
  altered.columns.push_back(Col("total", "int"));  // the ALTER made it an ordinary column
  std::vector<ColumnPair> forward = Forward();
  forward.push_back({"total", "total"});
  const StatusOr<TriggerSpec> spec =
      ReverseMirror("shop", NamesFor("orders"), original, altered, forward);
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  for (const ColumnPair& p : spec->columns) EXPECT_NE(p.target, "total");
}

TEST(ReverseMirrorTest, RefusedWhenTheOldTableCantFindTheRows) {
  // The ALTER changed the primary key to a column the original does not have.
  TableInfo altered = Altered();
  altered.columns.push_back(Col("uid", "bigint"));
  altered.indexes = {Primary({"uid"})};
  const StatusOr<TriggerSpec> spec =
      ReverseMirror("shop", NamesFor("orders"), Original(), altered, Forward());
  ASSERT_FALSE(spec.ok());
  EXPECT_EQ(spec.status().code(), Code::kRefused);
  EXPECT_TRUE(Contains(spec.status().message(), "the old table could not be kept current"))
      << spec.status().message();
}

TEST(ReverseMirrorTest, RefusedWhenADroppedColumnHasNoValue) {
  TableInfo original = Original();
  original.columns.push_back(Col("shape", "point"));
  const StatusOr<TriggerSpec> spec =
      ReverseMirror("shop", NamesFor("orders"), original, Altered(), Forward());
  ASSERT_FALSE(spec.ok());
  EXPECT_TRUE(Contains(spec.status().message(), "column `shape` (point) is NOT NULL"))
      << spec.status().message();
}

TEST(ReverseMirrorTest, TypeChangesThatWouldComeBackChangedAreRefused) {
  struct Case {
    const char* new_type;
    const char* new_full;
    const char* old_type;
    const char* old_full;
    bool exact;
  };
  const Case cases[] = {
      {"bigint", "bigint(20)", "int", "int(11)", true},             // out of range: refused
      {"varchar", "varchar(100)", "varchar", "varchar(64)", true},  // too long: refused
      {"enum", "enum('a','b','c')", "enum", "enum('a','b')", true},
      {"decimal", "decimal(12,2)", "decimal", "decimal(10,2)", true},
      {"datetime", "datetime", "timestamp", "timestamp", true},
      {"datetime", "datetime(6)", "datetime", "datetime", false},  // fractions rounded
      {"decimal", "decimal(10,3)", "decimal", "decimal(10,2)", false},
      {"decimal", "decimal(10,2)", "int", "int(11)", false},
      {"double", "double", "float", "float", false},
      {"varchar", "varchar(5)", "char", "char(5)", false},  // trailing spaces stripped
      {"binary", "binary(8)", "binary", "binary(4)", false},
      {"time", "time(3)", "time", "time", false},
      {"datetime", "datetime", "time", "time", false},
  };
  for (const Case& c : cases) {
    Column from = Col("x", c.new_type, c.new_full);
    Column to = Col("x", c.old_type, c.old_full);
    EXPECT_EQ(ReverseChangesValues(from, to).empty(), c.exact)
        << c.new_full << " -> " << c.old_full;
  }
  // Through the mirror: refused, naming the column.
  TableInfo altered = Altered();
  for (Column& col : altered.columns) {
    if (col.name == "at") col = Col("at", "datetime", "datetime(6)");
  }
  const StatusOr<TriggerSpec> spec =
      ReverseMirror("shop", NamesFor("orders"), Original(), altered, Forward());
  ASSERT_FALSE(spec.ok());
  EXPECT_TRUE(Contains(spec.status().message(), "column at changes from timestamp to datetime(6)"))
      << spec.status().message();
}

}  // namespace
}  // namespace shadowalter
