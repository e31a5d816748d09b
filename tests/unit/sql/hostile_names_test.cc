// Hostile names through every statement builder of src/sql: schema, table, column, index,
// constraint and trigger names holding backticks, quotes, semicolons, comment markers, a
// backslash, a newline, unicode, and names of 64 characters (the limit). For each builder the
// statement made with such names must lex (sql/lexer.h, the server's rules) to exactly the tokens
// of the same statement made with plain names, each name being one quoted identifier or one
// string literal holding exactly that name: no name can end its quoting early or add a token.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "db/quote.h"
#include "sql/chunk.h"
#include "sql/compare.h"
#include "sql/cutover.h"
#include "sql/ddl.h"
#include "sql/foreign_keys.h"
#include "sql/lexer.h"
#include "sql/names.h"
#include "sql/shadow_ddl.h"
#include "sql/triggers.h"
#include "test_tables.h"

namespace shadowalter {
namespace {

using namespace test_tables;

struct Names {
  std::string schema, table, key_column, text_column, index, constraint, trigger, child;
};

const Names kPlain = {"s", "t", "a", "b", "i", "c", "trg", "child"};

std::string Repeat(const std::string& unit, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += unit;
  return out;
}

// The same hostile core in every role, each role marked by a letter so the names stay distinct.
Names Hostile(const std::string& core) {
  return {"S" + core, "T" + core, "A" + core, "B" + core,
          "I" + core, "C" + core, "G" + core, "K" + core};
}

const std::vector<std::string> kHostileCores = {
    "`",
    "``x`",
    "x'; DROP TABLE y; --",
    "\"q\"",
    "a-- b",
    "/*c*/ */",
    "#h",
    "b\\'s\\",
    "l\ni",
    "tëst☃😀",
    // 64 characters with the role letter: the identifier limit.
    Repeat("x", 59) + "`;--",
    Repeat("é", 63),
};

// Lexes `sql`, folding a hex literal ([_charset] X'..') into one string token holding its bytes,
// so a name written as hex (it has a backslash) compares with one written as 'text'.
std::vector<Token> Lex(const std::string& sql) {
  auto tokens = Tokenize(sql);
  EXPECT_TRUE(tokens.ok()) << sql << ": " << tokens.status().message();
  if (!tokens.ok()) return {};
  std::vector<Token> out;
  const std::vector<Token>& t = *tokens;
  for (size_t i = 0; i < t.size(); ++i) {
    size_t x = i;
    if (t[i].kind == Token::kWord && !t[i].text.empty() && t[i].text[0] == '_' &&
        i + 2 < t.size() && IsKeyword(t[i + 1], "X")) {
      x = i + 1;
    }
    if (IsKeyword(t[x], "X") && x + 1 < t.size() && t[x + 1].kind == Token::kString &&
        t[x + 1].end == t[x].end + t[x + 1].end - t[x + 1].begin && t[x + 1].begin == t[x].end) {
      std::string bytes;
      const std::string& hex = t[x + 1].text;
      for (size_t k = 0; k + 1 < hex.size(); k += 2) {
        bytes += static_cast<char>(std::stoi(hex.substr(k, 2), nullptr, 16));
      }
      out.push_back(Token{Token::kString, bytes, t[i].begin, t[x + 1].end});
      i = x + 1;
      continue;
    }
    out.push_back(t[i]);
  }
  return out;
}

// Every name a builder may derive from `n`, by what it is derived from in kPlain.
std::map<std::string, std::string> Renames(const Names& n) {
  std::map<std::string, std::string> m = {
      {kPlain.schema, n.schema},         {kPlain.table, n.table},
      {kPlain.key_column, n.key_column}, {kPlain.text_column, n.text_column},
      {kPlain.index, n.index},           {kPlain.constraint, n.constraint},
      {kPlain.trigger, n.trigger},       {kPlain.child, n.child},
  };
  const ArtifactNames plain = NamesFor(kPlain.table), hostile = NamesFor(n.table);
  m[plain.shadow_table] = hostile.shadow_table;
  m[plain.old_table] = hostile.old_table;
  m[plain.insert_trigger] = hostile.insert_trigger;
  m[plain.update_trigger] = hostile.update_trigger;
  m[plain.delete_trigger] = hostile.delete_trigger;
  m[plain.heartbeat_table] = hostile.heartbeat_table;
  m[plain.refusals_table] = hostile.refusals_table;
  m[plain.trigger_check_table] = hostile.trigger_check_table;
  m[RunLockName(kPlain.schema, kPlain.table)] = RunLockName(n.schema, n.table);
  m[ToggleConstraintName(kPlain.constraint)] = ToggleConstraintName(n.constraint);
  return m;
}

// Every statement the builders make for a table named by `n`.
std::vector<std::string> Statements(const Names& n) {
  const ArtifactNames names = NamesFor(n.table);
  const Column key_col = Col(n.key_column, "int");
  const Column text_col = Col(n.text_column, "varchar", "varchar(20)");
  const TableInfo source = Table(n.schema, n.table, {key_col, text_col},
                                 {Primary({n.key_column}), NonUnique(n.index, {n.text_column})});
  TableInfo shadow = source;
  shadow.name = names.shadow_table;
  const ChunkKey key = Key("PRIMARY", {key_col});
  const std::vector<ColumnPair> pairs = SamePairs(source);
  const CopySpec copy{n.schema, n.table, names.shadow_table, pairs, key, ServerFlavor::kMariaDB};
  const KeyTuple after = {"5"};
  const ChunkRange range{after, KeyTuple{"500"}};

  std::vector<std::string> out;
  const TriggerStatements triggers = BuildTriggers(
      TriggerSpec{n.schema, n.table, names.shadow_table, pairs, key, {}, names.refusals_table});
  out.push_back(triggers.create_insert);
  out.push_back(triggers.create_update);
  out.push_back(triggers.create_delete);
  out.push_back(DropTriggerStatement(n.schema, names.insert_trigger));
  out.push_back(LockNextChunk(copy, after, 100));
  out.push_back(LockNextChunk(copy, std::nullopt, 100));
  out.push_back(ShadowKeysInRange(copy, range));
  out.push_back(ClearRowsInShadow(copy, {after}));
  out.push_back(LockRange(copy, range));
  out.push_back(CopyChunk(copy, range));
  out.push_back(ClearRowInShadow(copy, after));
  out.push_back(CopyRow(copy, after));
  out.push_back(NthKeyAfter(copy, after, 7));
  const ComparisonPlan plan = PlanComparison(pairs, source, shadow);
  out.push_back(CompareRangeQuery(copy, plan, source, shadow, range));
  out.push_back(FirstDifferenceQuery(copy, plan, source, shadow, range));
  out.push_back(FirstExtraRowQuery(copy, range));
  out.push_back(SwapStatement(n.schema, n.table, names.old_table, names.shadow_table));
  out.push_back(DropTableStatement(n.schema, names.old_table));
  out.push_back(AlterStatement(n.schema, names.shadow_table, "ADD COLUMN z INT"));
  out.push_back(InstantAlterStatement(n.schema, n.table, "ADD COLUMN z INT"));
  out.push_back(TakeNamedLock(RunLockName(n.schema, n.table)));
  out.push_back(FindDuplicate(n.schema, n.table, {n.key_column, n.text_column}));
  out.push_back(CreateHeartbeatTable(n.schema, names.heartbeat_table));
  out.push_back(HeartbeatBeat(n.schema, names.heartbeat_table));
  out.push_back(HeartbeatLagQuery(n.schema, names.heartbeat_table));
  out.push_back(LockTableWrite(n.schema, n.table));
  Trigger own;
  own.name = n.trigger;
  own.timing = "BEFORE";
  own.event = "INSERT";
  own.definer = "app@%";
  own.body = "SET NEW.z = 1";
  own.sql_mode = "STRICT_ALL_TABLES";
  own.character_set_client = "utf8mb4";
  own.collation_connection = "utf8mb4_general_ci";
  out.push_back(CreateTriggerOn(n.schema, names.shadow_table, own));
  out.push_back(CreateTableLike(n.schema, names.trigger_check_table, names.shadow_table));
  ForeignKeyRef fk;
  fk.constraint_name = n.constraint;
  fk.child_schema = n.schema;
  fk.child_table = n.child;
  fk.columns = {n.key_column};
  fk.referenced_schema = n.schema;
  fk.referenced_table = n.table;
  fk.referenced_columns = {n.key_column};
  fk.on_delete = "CASCADE";
  auto repoint =
      RepointForeignKey(fk, ToggleConstraintName(n.constraint), names.shadow_table, true);
  EXPECT_TRUE(repoint.ok()) << repoint.status().message();
  if (repoint.ok()) out.push_back(*repoint);
  out.push_back(DropTableWithoutForeignKeyChecks(n.schema, names.old_table));
  out.push_back(RenameTableStatement(n.schema, names.shadow_table, n.table));
  out.push_back(LockTablesForDropSwap(n.schema, n.table, names.shadow_table, {fk}));
  const std::string create =
      "CREATE TABLE " + QuoteIdentifier(n.table) + " (\n  " + QuoteIdentifier(n.key_column) +
      " int(11) NOT NULL,\n  " + QuoteIdentifier(n.text_column) + " varchar(20) NOT NULL,\n" +
      "  PRIMARY KEY (" + QuoteIdentifier(n.key_column) + "),\n  KEY " + QuoteIdentifier(n.index) +
      " (" + QuoteIdentifier(n.text_column) + "),\n  CONSTRAINT " + QuoteIdentifier(n.constraint) +
      " FOREIGN KEY (" + QuoteIdentifier(n.key_column) + ") REFERENCES " +
      QuoteIdentifier(n.table) + " (" + QuoteIdentifier(n.key_column) + ")\n) ENGINE=InnoDB";
  auto rewritten = RewriteCreateTable(create, names.shadow_table, ToggleConstraintName, n.table);
  EXPECT_TRUE(rewritten.ok()) << rewritten.status().message();
  if (rewritten.ok()) out.push_back(*rewritten);
  return out;
}

TEST(HostileNamesTest, EveryStatementKeepsItsShapeWhateverTheNames) {
  const std::vector<std::string> plain = Statements(kPlain);
  for (const std::string& core : kHostileCores) {
    const Names n = Hostile(core);
    const std::map<std::string, std::string> renames = Renames(n);
    const std::vector<std::string> hostile = Statements(n);
    ASSERT_EQ(hostile.size(), plain.size());
    for (size_t s = 0; s < plain.size(); ++s) {
      const std::vector<Token> want = Lex(plain[s]);
      const std::vector<Token> got = Lex(hostile[s]);
      ASSERT_EQ(got.size(), want.size()) << "statement " << s << " with core '" << core << "':\n"
                                         << hostile[s] << "\nplain:\n"
                                         << plain[s];
      for (size_t k = 0; k < want.size(); ++k) {
        ASSERT_EQ(got[k].kind, want[k].kind) << "statement " << s << " token " << k << ":\n"
                                             << hostile[s];
        const bool name =
            want[k].kind == Token::kQuotedIdentifier || want[k].kind == Token::kString;
        const auto renamed = renames.find(want[k].text);
        const std::string expected =
            name && renamed != renames.end() ? renamed->second : want[k].text;
        EXPECT_EQ(got[k].text, expected) << "statement " << s << " token " << k << ":\n"
                                         << hostile[s];
      }
    }
  }
}

TEST(HostileNamesTest, ArtifactNamesOfALongHostileTableFitAndDiffer) {
  for (const std::string& table : {Repeat("x", 60) + "`;--", Repeat("é", 64), Repeat("😀", 63) + "`",
                                   std::string("`") + Repeat("y", 63)}) {
    const ArtifactNames n = NamesFor(table);
    const std::vector<std::string> all = {n.shadow_table,       n.old_table,      n.insert_trigger,
                                          n.update_trigger,     n.delete_trigger, n.heartbeat_table,
                                          n.trigger_check_table};
    for (const std::string& name : all) {
      size_t chars = 0;
      for (unsigned char c : name) chars += (c & 0xC0) != 0x80;
      EXPECT_LE(chars, 64u) << name;
      EXPECT_TRUE(IsValidUtf8(name)) << name;  // never cut inside a character
      EXPECT_NE(name, table);
      // Each stays one quoted identifier.
      auto tokens = Tokenize("DROP TABLE " + QuoteIdentifier(name));
      ASSERT_TRUE(tokens.ok());
      ASSERT_EQ(tokens->size(), 3u);
      EXPECT_EQ((*tokens)[2].text, name);
    }
    for (size_t i = 0; i < all.size(); ++i) {
      for (size_t j = i + 1; j < all.size(); ++j) EXPECT_NE(all[i], all[j]);
    }
    // The same table gets the same names (a later cleanup finds them).
    EXPECT_EQ(NamesFor(table).shadow_table, n.shadow_table);
    EXPECT_LE(RunLockName(Repeat("s", 64), table).size(), 64u * 4);
  }
}

}  // namespace
}  // namespace shadowalter
