// libFuzzer target: the SQL lexer, the --alter analysis (which finds renames and drops), and the
// quoting every name goes through.
//
// The input is used three ways:
//   - as --alter text: Tokenize must give ordered, in-bounds tokens whose quoted identifiers and
//     plain strings re-quote to exactly their source; when AnalyzeAlter accepts the text, the
//     text without its ALGORITHM/LOCK clauses (what reaches the server) must be accepted too and
//     analyze the same;
//   - as a name: QuoteIdentifier(name) must lex back as one quoted identifier holding exactly
//     name, and QuoteString(name) as a literal holding exactly name, so no name can end its
//     quoting early;
//   - as a table, column and constraint name in SHOW CREATE TABLE text: RewriteCreateTable
//     must rename exactly the table and the constraint, and every artifact name stays within 64
//     code points.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "db/quote.h"
#include "fuzz_check.h"
#include "sql/alter_clauses.h"
#include "sql/lexer.h"
#include "sql/names.h"
#include "sql/shadow_ddl.h"

namespace {

using shadowalter::Token;

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Describe(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) out += std::to_string(t.kind) + ":" + t.text + " ";
  return out;
}

void CheckTokens(const std::string& sql) {
  const auto tokens = shadowalter::Tokenize(sql);
  if (!tokens.ok()) {
    FUZZ_CHECK(tokens.status().code() == shadowalter::Code::kUsage, tokens.status().message());
    return;
  }
  size_t previous_end = 0;
  for (const Token& t : *tokens) {
    FUZZ_CHECK(t.begin >= previous_end && t.begin < t.end && t.end <= sql.size(), sql);
    previous_end = t.end;
    const std::string source = sql.substr(t.begin, t.end - t.begin);
    if (t.kind == Token::kQuotedIdentifier) {
      FUZZ_CHECK(shadowalter::QuoteIdentifier(t.text) == source, source);
    }
    if (t.kind == Token::kString && source[0] == '\'' && source.find('\\') == std::string::npos &&
        shadowalter::IsValidUtf8(t.text) && t.text.find('\0') == std::string::npos) {
      FUZZ_CHECK(shadowalter::QuoteString(t.text) == source, source);
    }
  }
}

bool SameAnalysis(const shadowalter::AlterAnalysis& a, const shadowalter::AlterAnalysis& b) {
  if (a.renames.size() != b.renames.size()) return false;
  for (size_t i = 0; i < a.renames.size(); ++i) {
    if (a.renames[i].from != b.renames[i].from || a.renames[i].to != b.renames[i].to) return false;
  }
  return a.dropped_columns == b.dropped_columns && a.added_columns == b.added_columns &&
         a.drops_primary_key == b.drops_primary_key && a.adds_unique_key == b.adds_unique_key;
}

void CheckAlter(const std::string& clauses) {
  const auto analysis = shadowalter::AnalyzeAlter(clauses);
  if (!analysis.ok()) {
    FUZZ_CHECK(analysis.status().code() == shadowalter::Code::kUsage, analysis.status().message());
    FUZZ_CHECK(analysis.status().message().find('\n') == std::string::npos ||
                   clauses.find('\n') != std::string::npos,
               analysis.status().message());
    return;
  }
  const std::string stripped = shadowalter::StripAlgorithmAndLock(clauses);
  if (stripped.empty() || stripped == clauses) return;
  const auto again = shadowalter::AnalyzeAlter(stripped);
  FUZZ_CHECK(again.ok(), "'" + clauses + "' -> '" + stripped + "': " + again.status().message());
  FUZZ_CHECK(SameAnalysis(*analysis, *again), "'" + clauses + "' -> '" + stripped + "'");
}

void CheckQuoting(const std::string& name) {
  const std::string sql = "SELECT " + shadowalter::QuoteIdentifier(name) + ";";
  const auto tokens = shadowalter::Tokenize(sql);
  FUZZ_CHECK(tokens.ok(), tokens.status().message());
  FUZZ_CHECK(tokens->size() == 3, Describe(*tokens));
  FUZZ_CHECK((*tokens)[1].kind == Token::kQuotedIdentifier && (*tokens)[1].text == name,
             Describe(*tokens));

  const std::string literal = shadowalter::QuoteString(name);
  const auto lit = shadowalter::Tokenize("SELECT " + literal + ";");
  FUZZ_CHECK(lit.ok(), lit.status().message());
  const std::vector<Token>& l = *lit;
  FUZZ_CHECK(!l.empty() && shadowalter::IsPunct(l.back(), ";"), Describe(l));
  if (l.size() == 3) {  // 'text'
    FUZZ_CHECK(l[1].kind == Token::kString && l[1].text == name, Describe(l));
  } else {  // [_utf8mb4] X'hex'
    FUZZ_CHECK(l.size() == 4 || l.size() == 5, Describe(l));
    const Token& hex = l[l.size() - 2];
    FUZZ_CHECK(hex.kind == Token::kString && shadowalter::IsKeyword(l[l.size() - 3], "X"),
               Describe(l));
    FUZZ_CHECK(shadowalter::HexLiteral(name) == "X'" + hex.text + "'", Describe(l));
  }
}

void CheckCreateTable(const std::string& name) {
  if (name.empty()) return;
  const std::string q = shadowalter::QuoteIdentifier(name);
  const std::string create = "CREATE TABLE " + q + " (\n  " + q + " int(11) NOT NULL COMMENT " +
                             shadowalter::QuoteString(name) + ",\n  PRIMARY KEY (" + q +
                             "),\n  CONSTRAINT " + q + " FOREIGN KEY (" + q + ") REFERENCES " + q +
                             " (" + q + ")\n) ENGINE=InnoDB";
  const shadowalter::ArtifactNames names = shadowalter::NamesFor(name);
  for (const std::string* artifact :
       {&names.shadow_table, &names.old_table, &names.insert_trigger, &names.update_trigger,
        &names.delete_trigger, &names.heartbeat_table, &names.trigger_check_table}) {
    FUZZ_CHECK(CodePoints(*artifact) <= 64, *artifact);
    FUZZ_CHECK(*artifact != name, *artifact);
  }
  const std::string toggled = shadowalter::ToggleConstraintName(name);
  FUZZ_CHECK(toggled != name, toggled);
  const auto rewritten = shadowalter::RewriteCreateTable(create, names.shadow_table,
                                                         shadowalter::ToggleConstraintName, name);
  FUZZ_CHECK(rewritten.ok(), rewritten.status().message());
  const std::string n = shadowalter::QuoteIdentifier(names.shadow_table);
  const std::string expected = "CREATE TABLE " + n + " (\n  " + q + " int(11) NOT NULL COMMENT " +
                               shadowalter::QuoteString(name) + ",\n  PRIMARY KEY (" + q +
                               "),\n  CONSTRAINT " + shadowalter::QuoteIdentifier(toggled) +
                               " FOREIGN KEY (" + q + ") REFERENCES " + n + " (" + q +
                               ")\n) ENGINE=InnoDB";
  FUZZ_CHECK(*rewritten == expected, *rewritten + "\n!=\n" + expected);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  CheckTokens(input);
  CheckAlter(input);
  CheckQuoting(input);
  CheckCreateTable(input);
  return 0;
}
