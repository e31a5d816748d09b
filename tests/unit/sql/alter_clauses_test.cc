#include "sql/alter_clauses.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shadowalter {
namespace {

using Strings = std::vector<std::string>;

AlterAnalysis Analyze(std::string_view clauses) {
  auto a = AnalyzeAlter(clauses);
  EXPECT_TRUE(a.ok()) << clauses << ": " << a.status().message();
  return a.ok() ? *a : AlterAnalysis{};
}

std::vector<std::pair<std::string, std::string>> Renames(const AlterAnalysis& a) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const ColumnRename& r : a.renames) out.emplace_back(r.from, r.to);
  return out;
}

// The message of a rejected alter text; fails the test unless the code is kUsage.
std::string Rejection(std::string_view clauses) {
  auto a = AnalyzeAlter(clauses);
  EXPECT_FALSE(a.ok()) << clauses;
  if (a.ok()) return "";
  EXPECT_EQ(a.status().code(), Code::kUsage) << clauses;
  EXPECT_EQ(a.status().message().find('\n'), std::string::npos);
  return a.status().message();
}

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(AnalyzeAlterTest, WordsThatMayMeanARebuildAreNoted) {
  for (const char* text : {"ENGINE=InnoDB", "FORCE", "ROW_FORMAT=DYNAMIC", "KEY_BLOCK_SIZE=8",
                           "AUTO_INCREMENT=1000", "MODIFY c INT, engine = InnoDB",
                           "REMOVE PARTITIONING", "PARTITION BY HASH(id) PARTITIONS 4"}) {
    StatusOr<AlterAnalysis> a = AnalyzeAlter(text);
    ASSERT_TRUE(a.ok()) << text;
    EXPECT_TRUE(a->may_rebuild) << text;
  }
  for (const char* text : {"MODIFY c VARCHAR(100) NOT NULL", "ADD COLUMN IF NOT EXISTS d INT",
                           "ADD COLUMN e INT COMMENT 'ENGINE'", "DROP INDEX `engine`"}) {
    StatusOr<AlterAnalysis> a = AnalyzeAlter(text);
    ASSERT_TRUE(a.ok()) << text;
    EXPECT_FALSE(a->may_rebuild) << text;
  }
}

TEST(AnalyzeAlterTest, TypicalMix) {
  auto a = Analyze("ADD COLUMN x INT, DROP COLUMN y, CHANGE COLUMN a b INT");
  EXPECT_EQ(a.added_columns, Strings{"x"});
  EXPECT_EQ(a.dropped_columns, Strings{"y"});
  EXPECT_EQ(Renames(a), (std::vector<std::pair<std::string, std::string>>{{"a", "b"}}));
  EXPECT_FALSE(a.drops_primary_key);
  EXPECT_FALSE(a.adds_unique_key);
}

TEST(AnalyzeAlterTest, KeywordsAreCaseInsensitive) {
  auto a = Analyze("add column x int, Drop Column y, change a b bigint");
  EXPECT_EQ(a.added_columns, Strings{"x"});
  EXPECT_EQ(a.dropped_columns, Strings{"y"});
  ASSERT_EQ(a.renames.size(), 1u);
}

TEST(AnalyzeAlterTest, ChangeWithoutColumnKeyword) {
  auto a = Analyze("CHANGE a b INT NOT NULL");
  EXPECT_EQ(Renames(a), (std::vector<std::pair<std::string, std::string>>{{"a", "b"}}));
}

TEST(AnalyzeAlterTest, ChangeIfExists) {
  auto a = Analyze("CHANGE COLUMN IF EXISTS a b INT, CHANGE IF EXISTS c d INT");
  EXPECT_EQ(Renames(a), (std::vector<std::pair<std::string, std::string>>{{"a", "b"}, {"c", "d"}}));
}

TEST(AnalyzeAlterTest, ChangeToSameNameIsNoRename) {
  auto a = Analyze("CHANGE a a BIGINT, CHANGE COLUMN `Price` price DECIMAL(10,2)");
  EXPECT_TRUE(a.renames.empty());
}

TEST(AnalyzeAlterTest, ChangeColumnNamedColumn) {
  // The first COLUMN is the keyword, the quoted one is the name.
  auto a = Analyze("CHANGE COLUMN `column` `col` INT");
  EXPECT_EQ(Renames(a), (std::vector<std::pair<std::string, std::string>>{{"column", "col"}}));
}

TEST(AnalyzeAlterTest, QuotedNamesWithBackticksSpacesUnicode) {
  auto a = Analyze(
      "CHANGE `a``b` `new name` VARCHAR(10), RENAME COLUMN `\xF0\x9F\x90\xAC` TO `select`, "
      "DROP COLUMN `x``y`, ADD COLUMN `order` INT");
  EXPECT_EQ(Renames(a), (std::vector<std::pair<std::string, std::string>>{
                            {"a`b", "new name"}, {"\xF0\x9F\x90\xAC", "select"}}));
  EXPECT_EQ(a.dropped_columns, Strings{"x`y"});
  EXPECT_EQ(a.added_columns, Strings{"order"});
}

TEST(AnalyzeAlterTest, RenameColumn) {
  auto a = Analyze("rename column a to b, RENAME COLUMN c TO C");
  EXPECT_EQ(Renames(a), (std::vector<std::pair<std::string, std::string>>{{"a", "b"}}));
}

TEST(AnalyzeAlterTest, RenameIndexIsNotColumnRename) {
  auto a = Analyze("RENAME INDEX a TO b, RENAME KEY `c` TO `d`");
  EXPECT_TRUE(a.renames.empty());
}

TEST(AnalyzeAlterTest, ModifyAndAlterColumnAreNoRename) {
  auto a = Analyze(
      "MODIFY a BIGINT, MODIFY COLUMN b TEXT, ALTER COLUMN c SET DEFAULT 1, "
      "ALTER c DROP DEFAULT");
  EXPECT_TRUE(a.renames.empty());
  EXPECT_TRUE(a.dropped_columns.empty());
  EXPECT_TRUE(a.added_columns.empty());
}

TEST(AnalyzeAlterTest, DropColumnForms) {
  auto a = Analyze(
      "DROP a, DROP COLUMN b, DROP COLUMN IF EXISTS c, DROP IF EXISTS d, "
      "drop `e f`");
  EXPECT_EQ(a.dropped_columns, (Strings{"a", "b", "c", "d", "e f"}));
}

TEST(AnalyzeAlterTest, DropsThatAreNotColumns) {
  auto a = Analyze(
      "DROP INDEX idx, DROP KEY k, DROP FOREIGN KEY fk, DROP CONSTRAINT c, DROP CHECK chk, "
      "DROP PARTITION p0, DROP INDEX IF EXISTS i2, DROP SYSTEM VERSIONING, "
      "DROP PERIOD FOR app_time");
  EXPECT_TRUE(a.dropped_columns.empty());
  EXPECT_FALSE(a.drops_primary_key);
}

TEST(AnalyzeAlterTest, DropPrimaryKey) {
  auto a = Analyze("DROP PRIMARY KEY, ADD PRIMARY KEY (id, ts)");
  EXPECT_TRUE(a.drops_primary_key);
  EXPECT_TRUE(a.adds_unique_key);
  EXPECT_TRUE(a.dropped_columns.empty());
  EXPECT_TRUE(a.added_columns.empty());
  EXPECT_TRUE(Analyze("drop index `PRIMARY`").drops_primary_key);
  EXPECT_FALSE(Analyze("drop index `primary_idx`").drops_primary_key);
}

TEST(AnalyzeAlterTest, DropColumnNamedLikeNonReservedKeywords) {
  auto a = Analyze("DROP COLUMN `index`, DROP period, DROP system");
  EXPECT_EQ(a.dropped_columns, (Strings{"index", "period", "system"}));
}

TEST(AnalyzeAlterTest, AddColumnForms) {
  auto a = Analyze(
      "ADD x INT, ADD COLUMN IF NOT EXISTS y INT, ADD IF NOT EXISTS z INT, "
      "ADD COLUMN `w w` TEXT AFTER x, ADD period INT");
  EXPECT_EQ(a.added_columns, (Strings{"x", "y", "z", "w w", "period"}));
  EXPECT_FALSE(a.adds_unique_key);
}

TEST(AnalyzeAlterTest, AddColumnList) {
  auto a = Analyze("ADD COLUMN (a INT, b DECIMAL(10, 2) DEFAULT 0), ADD (`c``d` TEXT)");
  EXPECT_EQ(a.added_columns, (Strings{"a", "b", "c`d"}));
  EXPECT_FALSE(a.adds_unique_key);
}

TEST(AnalyzeAlterTest, AddIndexesAreNotColumns) {
  auto a = Analyze(
      "ADD INDEX i (a), ADD KEY k (b), ADD FULLTEXT f (c), ADD SPATIAL s (g), "
      "ADD FOREIGN KEY (p) REFERENCES p (id), ADD CONSTRAINT fk FOREIGN KEY (q) REFERENCES q (id), "
      "ADD CONSTRAINT chk CHECK (a > 0), ADD CHECK (b < 9), ADD PARTITION (PARTITION p9), "
      "ADD PERIOD FOR app (s, e), ADD SYSTEM VERSIONING, ADD INDEX IF NOT EXISTS i3 (x)");
  EXPECT_TRUE(a.added_columns.empty());
  EXPECT_FALSE(a.adds_unique_key);
}

TEST(AnalyzeAlterTest, AddsUniqueKeyForms) {
  for (const char* text :
       {"ADD UNIQUE (a)", "ADD UNIQUE KEY u (a)", "add unique index u (a)",
        "ADD CONSTRAINT UNIQUE (a)", "ADD CONSTRAINT u UNIQUE (a)",
        "ADD CONSTRAINT `unique` UNIQUE KEY (a)", "ADD PRIMARY KEY (a)",
        "ADD CONSTRAINT pk PRIMARY KEY (a)", "ADD CONSTRAINT PRIMARY KEY (a)",
        "ADD COLUMN x INT UNIQUE", "ADD x INT NOT NULL PRIMARY KEY", "ADD x INT KEY",
        "ADD (a INT, b INT UNIQUE KEY)", "MODIFY a INT UNIQUE", "CHANGE a b INT PRIMARY KEY"}) {
    EXPECT_TRUE(Analyze(text).adds_unique_key) << text;
  }
}

TEST(AnalyzeAlterTest, NotUniqueWhenWordsAreInStringsOrParens) {
  auto a = Analyze(
      "ADD COLUMN x INT COMMENT 'unique key', "
      "ADD COLUMN y INT CHECK (y IN (SELECT 1)) DEFAULT 0, ADD INDEX `unique` (x)");
  EXPECT_EQ(a.added_columns, (Strings{"x", "y"}));
  EXPECT_FALSE(a.adds_unique_key);
}

TEST(AnalyzeAlterTest, CommasInsideParensAndStringsDoNotSplit) {
  auto a = Analyze(
      "ADD COLUMN e ENUM('a,b', 'c') DEFAULT 'a,b', "
      "ADD COLUMN v INT AS (IF(e = 'a,b', 1, 2)), DROP COLUMN z");
  EXPECT_EQ(a.added_columns, (Strings{"e", "v"}));
  EXPECT_EQ(a.dropped_columns, Strings{"z"});
}

TEST(AnalyzeAlterTest, CommentsAndExecutableComments) {
  auto a = Analyze(
      "ADD COLUMN x INT -- DROP COLUMN y,\n, /* DROP COLUMN q */ DROP w "
      "/*!80023 , DROP COLUMN v */");
  EXPECT_EQ(a.added_columns, Strings{"x"});
  EXPECT_EQ(a.dropped_columns, (Strings{"w", "v"}));
}

TEST(AnalyzeAlterTest, AlgorithmLockAndTableOptionsAccepted) {
  auto a = Analyze(
      "ENGINE=InnoDB, ALGORITHM=INPLACE, LOCK=NONE, FORCE, "
      "CONVERT TO CHARACTER SET utf8mb4, COMMENT = 'rename to x'");
  EXPECT_TRUE(a.renames.empty());
  EXPECT_TRUE(a.added_columns.empty());
}

TEST(AnalyzeAlterTest, RejectsEmpty) {
  EXPECT_TRUE(Contains(Rejection(""), "empty"));
  EXPECT_TRUE(Contains(Rejection("   \n"), "empty"));
  EXPECT_TRUE(Contains(Rejection("/* nothing */ -- here"), "empty"));
}

TEST(AnalyzeAlterTest, RejectsAlterTablePrefix) {
  for (const char* text : {"ALTER TABLE t ADD COLUMN x INT", "alter table `t` drop y",
                           "ALTER IGNORE TABLE t DROP y", "ALTER ONLINE TABLE t DROP y"}) {
    const std::string m = Rejection(text);
    EXPECT_TRUE(Contains(m, "give only the clauses after ALTER TABLE <name>")) << m;
  }
  // ALTER COLUMN is a clause, not the statement.
  EXPECT_TRUE(AnalyzeAlter("ALTER COLUMN a SET DEFAULT 0").ok());
}

TEST(AnalyzeAlterTest, RejectsSemicolon) {
  for (const char* text : {"ADD COLUMN x INT;", "ADD COLUMN x INT; DROP TABLE t",
                           "ADD x INT CHECK (x > 0; DROP TABLE t)", "/*! ; */ DROP y"}) {
    const std::string m = Rejection(text);
    EXPECT_TRUE(Contains(m, "';'")) << m;
    EXPECT_TRUE(Contains(m, "one ALTER only")) << m;
  }
  // A ';' in a string or comment is text.
  EXPECT_TRUE(AnalyzeAlter("ADD COLUMN x INT COMMENT 'a;b' /* ; */").ok());
}

TEST(AnalyzeAlterTest, RejectsTableRename) {
  for (const char* text :
       {"RENAME TO t2", "RENAME AS t2", "rename t2", "ADD x INT, RENAME `t2`", "RENAME"}) {
    const std::string m = Rejection(text);
    EXPECT_TRUE(Contains(m,
                         "renaming the table is not an online change; run RENAME TABLE "
                         "yourself"))
        << m;
  }
}

TEST(AnalyzeAlterTest, RejectsUnbalancedParentheses) {
  std::string m = Rejection("ADD COLUMN e ENUM('a', 'b'");
  EXPECT_TRUE(Contains(m, "unbalanced parentheses")) << m;
  EXPECT_TRUE(Contains(m, "offset 17")) << m;
  m = Rejection("ADD COLUMN x INT), DROP y");
  EXPECT_TRUE(Contains(m, "unbalanced parentheses")) << m;
  EXPECT_TRUE(Contains(m, "offset 16")) << m;
  // Parentheses inside strings do not count.
  EXPECT_TRUE(AnalyzeAlter("ADD COLUMN x INT DEFAULT ')('").ok());
}

TEST(AnalyzeAlterTest, RejectsLexerErrors) {
  std::string m = Rejection("ADD COLUMN x INT COMMENT 'oops");
  EXPECT_TRUE(Contains(m, "unterminated string at offset 25")) << m;
  m = Rejection("DROP `x");
  EXPECT_TRUE(Contains(m, "unterminated quoted identifier")) << m;
  m = Rejection("DROP x /* y");
  EXPECT_TRUE(Contains(m, "unterminated comment")) << m;
}

TEST(AnalyzeAlterTest, RejectsEmptyClauses) {
  for (const char* text : {"ADD x INT,, DROP y", "ADD x INT,", ", ADD x INT", "ADD (a INT,)"}) {
    const std::string m = Rejection(text);
    EXPECT_TRUE(Contains(m, "stray comma")) << m;
  }
}

TEST(AnalyzeAlterTest, RejectsMissingNames) {
  for (const char* text :
       {"CHANGE a", "CHANGE COLUMN", "DROP COLUMN", "DROP", "ADD COLUMN", "RENAME COLUMN a",
        "RENAME COLUMN a TO", "CHANGE 'a' b INT", "MODIFY COLUMN"}) {
    const std::string m = Rejection(text);
    EXPECT_TRUE(Contains(m, "expected")) << text << ": " << m;
  }
}

TEST(StripAlgorithmAndLockTest, RemovesClauses) {
  EXPECT_EQ(StripAlgorithmAndLock("ADD COLUMN x INT, ALGORITHM=INPLACE, LOCK=NONE"),
            "ADD COLUMN x INT");
  EXPECT_EQ(StripAlgorithmAndLock("algorithm = copy, ADD COLUMN x INT,lock shared, DROP y"),
            "ADD COLUMN x INT, DROP y");
  EXPECT_EQ(StripAlgorithmAndLock("ALGORITHM=INSTANT LOCK=DEFAULT, DROP y"), "DROP y");
  EXPECT_EQ(StripAlgorithmAndLock("ALGORITHM=INPLACE"), "");
}

TEST(StripAlgorithmAndLockTest, KeepsClauseTextVerbatim) {
  EXPECT_EQ(StripAlgorithmAndLock("ADD COLUMN e ENUM('a,b','c')  DEFAULT 'a,b' ,LOCK=NONE,"
                                  " MODIFY  `algorithm`   INT"),
            "ADD COLUMN e ENUM('a,b','c')  DEFAULT 'a,b', MODIFY  `algorithm`   INT");
}

// Found by the fuzz target tests/fuzz/alter.cc: the analysis skips a clause that starts with
// ALGORITHM, so cutting "ALGORITHM=x" off its front would run a DROP the analysis never saw.
TEST(StripAlgorithmAndLockTest, KeepsAClauseWithMoreAfterTheOptionsWhole) {
  const std::string text = "ADD COLUMN x INT, ALGORITHM=INPLACE DROP COLUMN y, LOCK=NONE";
  EXPECT_EQ(StripAlgorithmAndLock(text), "ADD COLUMN x INT, ALGORITHM=INPLACE DROP COLUMN y");
  ASSERT_TRUE(AnalyzeAlter(text).ok());
  EXPECT_EQ(AnalyzeAlter(text)->dropped_columns, std::vector<std::string>{});
}

// Found by the fuzz target: cutting a clause at its last token dropped the end of an executable
// comment, or the newline of a line comment, and so the clauses after it.
TEST(StripAlgorithmAndLockTest, KeepsTheCommentsAroundAClause) {
  EXPECT_EQ(StripAlgorithmAndLock("ADD COLUMN z INT /*!100100 NULL */, LOCK=NONE"),
            "ADD COLUMN z INT /*!100100 NULL */");
  EXPECT_EQ(StripAlgorithmAndLock("ADD COLUMN z INT -- why\n, LOCK=NONE, DROP y"),
            "ADD COLUMN z INT -- why\n, DROP y");
  // A comma inside a comment can't be cut around: the text stays as written.
  const std::string inside = "/*! ADD COLUMN z INT, LOCK=NONE */";
  EXPECT_EQ(StripAlgorithmAndLock(inside), inside);
}

TEST(StripAlgorithmAndLockTest, LeavesOtherTextAlone) {
  const std::string text = "ADD COLUMN algorithm INT ,  CHANGE lock_a lock_b INT -- c\n";
  EXPECT_EQ(StripAlgorithmAndLock(text), text);
  EXPECT_EQ(StripAlgorithmAndLock("ADD COLUMN x INT COMMENT 'ALGORITHM=COPY'"),
            "ADD COLUMN x INT COMMENT 'ALGORITHM=COPY'");
  EXPECT_EQ(StripAlgorithmAndLock("DROP 'unterminated"), "DROP 'unterminated");
}

}  // namespace
}  // namespace shadowalter
