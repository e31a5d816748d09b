// Analysis of the user's --alter text: the clauses of one ALTER TABLE without the "ALTER TABLE
// <name>" prefix, e.g. "ADD COLUMN x INT, DROP COLUMN y, CHANGE COLUMN a b INT".
//
// The tool needs to know what the clauses do to columns and keys (to map the copy's columns, to
// warn about lost data and duplicate keys) without implementing MySQL's grammar. The analysis works
// on tokens (sql/lexer.h), splits on top-level commas and looks only at how each clause starts;
// everything it does not recognize is assumed not to touch columns or keys, and the server remains
// the judge of syntax. Keywords are ASCII case-insensitive; names may be backtick-quoted and are
// returned unquoted, as written (no case folding).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace shadowalter {

struct ColumnRename {
  std::string from, to;
};

struct AlterAnalysis {
  // CHANGE [COLUMN] [IF EXISTS] old new ... and RENAME COLUMN old TO new, only when old and new
  // differ ignoring ASCII case.
  std::vector<ColumnRename> renames;
  // DROP [COLUMN] [IF EXISTS] name. DROP INDEX/KEY/FOREIGN KEY/CONSTRAINT/CHECK/PARTITION/
  // PRIMARY KEY/SYSTEM VERSIONING/PERIOD FOR are not columns.
  std::vector<std::string> dropped_columns;
  // DROP PRIMARY KEY, or DROP INDEX|KEY|CONSTRAINT `PRIMARY` (same effect).
  bool drops_primary_key = false;
  // ADD UNIQUE, ADD PRIMARY KEY, ADD CONSTRAINT [name] UNIQUE|PRIMARY KEY, and also a column
  // definition in ADD/CHANGE/MODIFY that carries UNIQUE, PRIMARY KEY or KEY (a unique index too).
  bool adds_unique_key = false;
  // ADD [COLUMN] [IF NOT EXISTS] name ... and each column of ADD [COLUMN] (a ..., b ...).
  std::vector<std::string> added_columns;
  // The text names FORCE, ENGINE, ROW_FORMAT, KEY_BLOCK_SIZE, AUTO_INCREMENT or PARTITION(ING)
  // anywhere (unquoted): the table may be meant to be rebuilt, or to take a setting its
  // definition shows only in part, even where the definition stays the same, so a run never
  // takes it as already done. Erring on the side of doing the work: a column named `engine`
  // counts too.
  bool may_rebuild = false;
};

// Analyzes `clauses`. Fails with Code::kUsage and a one-line message naming the problem and the fix
// when the text is empty, starts with ALTER TABLE, contains ';' (outside strings and comments),
// renames the table (RENAME [TO|AS] x), has unbalanced parentheses or an empty clause (stray
// comma), cannot be tokenized, or when a CHANGE/RENAME COLUMN/DROP/ADD/MODIFY clause lacks the
// column name it needs.
StatusOr<AlterAnalysis> AnalyzeAlter(std::string_view clauses);

// Removes the top-level ALGORITHM [=] x and LOCK [=] x options (the tool chooses those itself)
// where they make up a whole clause, and returns the remaining clauses, each cut verbatim from
// `clauses` with the comments around it (blanks trimmed), joined with ", ". Returns `clauses`
// unchanged when there is nothing to remove, the text cannot be tokenized (AnalyzeAlter reports
// that), or the cut text would not lex to exactly the remaining clauses' tokens (a comma inside a
// comment). A clause with more after its options ("ALGORITHM=COPY DROP c") is kept whole, for the
// server to refuse. May return "" when nothing else remains.
std::string StripAlgorithmAndLock(std::string_view clauses);

}  // namespace shadowalter
