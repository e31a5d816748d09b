#include "sql/alter_clauses.h"

#include <cstddef>
#include <utility>

#include "sql/lexer.h"

namespace shadowalter {
namespace {

// Tokens [begin, end) of one top-level clause.
struct Range {
  size_t begin, end;
};

// Splits at commas outside parentheses. Assumes nothing about balance: a stray ')' only lowers
// the depth, which AnalyzeAlter rejects separately.
std::vector<Range> SplitAtCommas(const std::vector<Token>& tokens, size_t begin, size_t end) {
  std::vector<Range> out;
  int depth = 0;
  size_t start = begin;
  for (size_t i = begin; i < end; ++i) {
    if (IsPunct(tokens[i], "(")) {
      ++depth;
    } else if (IsPunct(tokens[i], ")")) {
      --depth;
    } else if (depth == 0 && IsPunct(tokens[i], ",")) {
      out.push_back({start, i});
      start = i + 1;
    }
  }
  out.push_back({start, end});
  return out;
}

std::string Offset(const Token& t) { return "at offset " + std::to_string(t.begin); }

class Analyzer {
 public:
  Analyzer(std::string_view text, const std::vector<Token>& tokens)
      : text_(text), tokens_(tokens) {}

  Status Clause(Range r) {
    end_ = r.end;
    const Token& first = tokens_[r.begin];
    if (IsKeyword(first, "ADD")) return Add(r.begin + 1);
    if (IsKeyword(first, "DROP")) return Drop(r.begin + 1);
    if (IsKeyword(first, "CHANGE")) return Change(r.begin + 1);
    if (IsKeyword(first, "MODIFY")) return Modify(r.begin + 1);
    if (IsKeyword(first, "RENAME")) return Rename(r.begin + 1);
    return Status::Ok();  // ALTER COLUMN, ALGORITHM, ENGINE=..., CONVERT TO ...: no column change
  }

  AlterAnalysis& result() { return result_; }

 private:
  bool Kw(size_t i, std::string_view keyword) const {
    return i < end_ && IsKeyword(tokens_[i], keyword);
  }
  // Skips "IF EXISTS" (or "IF NOT EXISTS" when not_exists) at i.
  size_t SkipIf(size_t i, bool not_exists) const {
    if (!Kw(i, "IF")) return i;
    if (not_exists) return Kw(i + 1, "NOT") && Kw(i + 2, "EXISTS") ? i + 3 : i;
    return Kw(i + 1, "EXISTS") ? i + 2 : i;
  }
  Status ExpectName(size_t i, const char* after) const {
    if (i < end_ && IsIdentifier(tokens_[i])) return Status::Ok();
    const std::string where =
        i < end_ ? Offset(tokens_[i]) : "at offset " + std::to_string(text_.size());
    return UsageError(std::string("expected a column name after ") + after + " " + where +
                      " in the alter text; quote names with backticks");
  }

  // Flags a column definition [i, end) that creates a unique index: UNIQUE, PRIMARY KEY, or KEY
  // (which means PRIMARY KEY in a column definition). Parenthesized parts are expressions.
  void ColumnDefinition(size_t i, size_t end) {
    int depth = 0;
    for (; i < end; ++i) {
      const Token& t = tokens_[i];
      if (IsPunct(t, "(")) ++depth;
      if (IsPunct(t, ")")) --depth;
      if (depth == 0 &&
          (IsKeyword(t, "UNIQUE") || IsKeyword(t, "PRIMARY") || IsKeyword(t, "KEY"))) {
        result_.adds_unique_key = true;
      }
    }
  }

  // One element after ADD [COLUMN] [IF NOT EXISTS], or inside ADD (...): [i, end).
  Status AddElement(size_t i, size_t end) {
    const size_t saved_end = end_;
    end_ = end;
    Status st = AddElementImpl(i);
    end_ = saved_end;
    return st;
  }

  Status AddElementImpl(size_t i) {
    if (Kw(i, "UNIQUE") || Kw(i, "PRIMARY")) {
      result_.adds_unique_key = true;
      return Status::Ok();
    }
    if (Kw(i, "CONSTRAINT")) {
      size_t j = SkipIf(i + 1, /*not_exists=*/true);
      if (!Kw(j, "UNIQUE") && !Kw(j, "PRIMARY") && !Kw(j, "FOREIGN") && !Kw(j, "CHECK")) ++j;
      if (Kw(j, "UNIQUE") || Kw(j, "PRIMARY")) result_.adds_unique_key = true;
      return Status::Ok();
    }
    for (std::string_view k :
         {"INDEX", "KEY", "FULLTEXT", "SPATIAL", "FOREIGN", "CHECK", "PARTITION"}) {
      if (Kw(i, k)) return Status::Ok();
    }
    // MariaDB's ADD PERIOD FOR, ADD SYSTEM VERSIONING and ADD VECTOR INDEX; these words are not
    // reserved, so a column may carry the name.
    if ((Kw(i, "PERIOD") && Kw(i + 1, "FOR")) || (Kw(i, "SYSTEM") && Kw(i + 1, "VERSIONING")) ||
        (Kw(i, "VECTOR") && (Kw(i + 1, "INDEX") || Kw(i + 1, "KEY")))) {
      return Status::Ok();
    }
    SA_RETURN_IF_ERROR(ExpectName(i, "ADD"));
    result_.added_columns.push_back(tokens_[i].text);
    ColumnDefinition(i + 1, end_);
    return Status::Ok();
  }

  Status Add(size_t i) {
    if (Kw(i, "COLUMN")) ++i;
    i = SkipIf(i, /*not_exists=*/true);
    if (i < end_ && IsPunct(tokens_[i], "(")) {
      // ADD [COLUMN] (a INT, b INT): find the matching ')' and analyze each element.
      size_t close = i + 1;
      for (int depth = 1; close < end_; ++close) {
        if (IsPunct(tokens_[close], "(")) ++depth;
        if (IsPunct(tokens_[close], ")") && --depth == 0) break;
      }
      for (Range r : SplitAtCommas(tokens_, i + 1, close)) {
        if (r.begin == r.end) {
          const Token& at = tokens_[r.begin < tokens_.size() ? r.begin : i];
          return UsageError("empty column definition " + Offset(at) +
                            " in the alter text; remove the stray comma");
        }
        SA_RETURN_IF_ERROR(AddElement(r.begin, r.end));
      }
      return Status::Ok();
    }
    return AddElementImpl(i);
  }

  Status Drop(size_t i) {
    const bool column_keyword = Kw(i, "COLUMN");
    if (!column_keyword) {
      if (Kw(i, "PRIMARY")) {
        result_.drops_primary_key = true;
        return Status::Ok();
      }
      if (Kw(i, "INDEX") || Kw(i, "KEY") || Kw(i, "CONSTRAINT")) {
        // DROP INDEX `PRIMARY` drops the primary key as well.
        const size_t j = SkipIf(i + 1, /*not_exists=*/false);
        if (j < end_ && IsIdentifier(tokens_[j]) && EqualsIgnoreCase(tokens_[j].text, "PRIMARY")) {
          result_.drops_primary_key = true;
        }
        return Status::Ok();
      }
      if (Kw(i, "FOREIGN") || Kw(i, "CHECK") || Kw(i, "PARTITION") ||
          (Kw(i, "SYSTEM") && Kw(i + 1, "VERSIONING")) || (Kw(i, "PERIOD") && Kw(i + 1, "FOR"))) {
        return Status::Ok();
      }
    } else {
      ++i;
    }
    i = SkipIf(i, /*not_exists=*/false);
    SA_RETURN_IF_ERROR(ExpectName(i, "DROP"));
    result_.dropped_columns.push_back(tokens_[i].text);
    return Status::Ok();
  }

  Status Change(size_t i) {
    if (Kw(i, "COLUMN")) ++i;
    i = SkipIf(i, /*not_exists=*/false);
    SA_RETURN_IF_ERROR(ExpectName(i, "CHANGE"));
    SA_RETURN_IF_ERROR(ExpectName(i + 1, "CHANGE <old name>"));
    AddRename(tokens_[i].text, tokens_[i + 1].text);
    ColumnDefinition(i + 2, end_);
    return Status::Ok();
  }

  Status Modify(size_t i) {
    if (Kw(i, "COLUMN")) ++i;
    i = SkipIf(i, /*not_exists=*/false);
    SA_RETURN_IF_ERROR(ExpectName(i, "MODIFY"));
    ColumnDefinition(i + 1, end_);
    return Status::Ok();
  }

  Status Rename(size_t i) {
    if (Kw(i, "INDEX") || Kw(i, "KEY")) return Status::Ok();
    if (Kw(i, "COLUMN")) {
      SA_RETURN_IF_ERROR(ExpectName(i + 1, "RENAME COLUMN"));
      if (!Kw(i + 2, "TO")) {
        return UsageError("expected RENAME COLUMN <old> TO <new> " + Offset(tokens_[i]) +
                          " in the alter text");
      }
      SA_RETURN_IF_ERROR(ExpectName(i + 3, "RENAME COLUMN <old> TO"));
      AddRename(tokens_[i + 1].text, tokens_[i + 3].text);
      return Status::Ok();
    }
    return UsageError("RENAME " + Offset(tokens_[i - 1]) +
                      " in the alter text renames the table; renaming the table is not an online "
                      "change; run RENAME TABLE yourself");
  }

  void AddRename(const std::string& from, const std::string& to) {
    if (!EqualsIgnoreCase(from, to)) result_.renames.push_back({from, to});
  }

  std::string_view text_;
  const std::vector<Token>& tokens_;
  size_t end_ = 0;  // end of the tokens the current clause (or element) may use
  AlterAnalysis result_;
};

}  // namespace

StatusOr<AlterAnalysis> AnalyzeAlter(std::string_view clauses) {
  auto tokens_or = Tokenize(clauses);
  if (!tokens_or.ok()) return tokens_or.status().With("reading the alter text");
  const std::vector<Token>& tokens = *tokens_or;
  if (tokens.empty()) {
    return UsageError("the alter text is empty; give clauses such as \"ADD COLUMN c INT\"");
  }
  if (IsKeyword(tokens[0], "ALTER") && tokens.size() > 1 &&
      (IsKeyword(tokens[1], "TABLE") ||
       ((IsKeyword(tokens[1], "IGNORE") || IsKeyword(tokens[1], "ONLINE")) && tokens.size() > 2 &&
        IsKeyword(tokens[2], "TABLE")))) {
    return UsageError(
        "the alter text starts with ALTER TABLE; give only the clauses after ALTER TABLE <name>, "
        "e.g. \"ADD COLUMN c INT\"");
  }
  std::vector<size_t> open;  // offsets of unclosed '('
  for (const Token& t : tokens) {
    if (IsPunct(t, ";")) {
      return UsageError("the alter text contains ';' " + Offset(t) +
                        "; give the clauses of one ALTER only, without ';'");
    }
    if (IsPunct(t, "(")) open.push_back(t.begin);
    if (IsPunct(t, ")")) {
      if (open.empty()) {
        return UsageError("unbalanced parentheses in the alter text: ')' " + Offset(t) +
                          " has no matching '('");
      }
      open.pop_back();
    }
  }
  if (!open.empty()) {
    return UsageError("unbalanced parentheses in the alter text: '(' at offset " +
                      std::to_string(open.back()) + " is never closed");
  }
  Analyzer analyzer(clauses, tokens);
  for (const Token& t : tokens) {
    for (std::string_view k : {"FORCE", "ENGINE", "ROW_FORMAT", "KEY_BLOCK_SIZE", "AUTO_INCREMENT",
                               "PARTITION", "PARTITIONING"}) {
      if (IsKeyword(t, k)) analyzer.result().may_rebuild = true;
    }
  }
  for (Range r : SplitAtCommas(tokens, 0, tokens.size())) {
    if (r.begin == r.end) {
      // The comma that ends (or precedes) the empty clause locates it.
      const Token& at = tokens[r.begin < tokens.size() ? r.begin : tokens.size() - 1];
      return UsageError("empty clause " + Offset(at) +
                        " in the alter text; remove the stray comma");
    }
    SA_RETURN_IF_ERROR(analyzer.Clause(r));
  }
  return std::move(analyzer.result());
}

std::string StripAlgorithmAndLock(std::string_view clauses) {
  auto tokens_or = Tokenize(clauses);
  if (!tokens_or.ok()) return std::string(clauses);
  const std::vector<Token>& tokens = *tokens_or;
  bool stripped = false;
  std::string out;
  std::vector<Token> kept;  // the tokens `out` must lex to
  for (Range r : SplitAtCommas(tokens, 0, tokens.size())) {
    size_t i = r.begin;
    while (i < r.end && (IsKeyword(tokens[i], "ALGORITHM") || IsKeyword(tokens[i], "LOCK"))) {
      ++i;
      if (i < r.end && IsPunct(tokens[i], "=")) ++i;
      if (i < r.end) ++i;  // the value
    }
    if (i >= r.end && r.begin < r.end) {
      stripped = true;
      continue;
    }
    // A clause with more after the options ("ALGORITHM=INPLACE DROP COLUMN c", a comma missing)
    // is not ours to repair: kept whole, the server refuses it; cut, it would run a DROP that the
    // analysis, which skips such a clause, never saw.
    //
    // The clause's text is everything between its commas, so comments around it (a "-- "
    // comment's newline, the end of a "/*! */" comment) stay with it; only blanks are trimmed
    // (a line comment keeps its newline).
    const size_t from = r.begin == 0 ? 0 : tokens[r.begin - 1].end;
    const size_t to = r.end < tokens.size() ? tokens[r.end].begin : clauses.size();
    std::string_view piece = clauses.substr(from, to - from);
    const size_t first = piece.find_first_not_of(" \t\r\n\f\v");
    if (first == std::string_view::npos) continue;  // an empty clause: AnalyzeAlter refuses it
    piece = piece.substr(first, piece.find_last_not_of(" \t\f\v") + 1 - first);
    if (!out.empty()) {
      out += ", ";
      kept.push_back(Token{Token::kPunct, ",", 0, 0});
    }
    out += piece;
    kept.insert(kept.end(), tokens.begin() + static_cast<std::ptrdiff_t>(r.begin),
                tokens.begin() + static_cast<std::ptrdiff_t>(r.end));
  }
  if (!stripped) return std::string(clauses);
  // A comma inside a comment ("/*! ADD c INT, LOCK=NONE */") can't be cut around: then the
  // text goes to the server as written, options and all.
  auto again = Tokenize(out);
  if (!again.ok() || again->size() != kept.size()) return std::string(clauses);
  for (size_t k = 0; k < kept.size(); ++k) {
    if ((*again)[k].kind != kept[k].kind || (*again)[k].text != kept[k].text) {
      return std::string(clauses);
    }
  }
  return out;
}

}  // namespace shadowalter
