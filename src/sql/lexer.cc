#include "sql/lexer.h"

#include <array>

namespace shadowalter {
namespace {

bool IsAsciiDigit(unsigned char c) { return c >= '0' && c <= '9'; }
bool IsAsciiAlpha(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsHexDigit(unsigned char c) {
  return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
// Bytes >= 0x80 are parts of UTF-8 sequences, which MySQL allows in unquoted names.
bool IsWordByte(unsigned char c) {
  return IsAsciiAlpha(c) || IsAsciiDigit(c) || c == '_' || c == '$' || c >= 0x80;
}
bool IsSpace(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsControl(unsigned char c) { return c < 0x20 || c == 0x7F; }
char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

class Lexer {
 public:
  explicit Lexer(std::string_view sql) : sql_(sql) {}

  StatusOr<std::vector<Token>> Run() {
    while (pos_ < sql_.size()) {
      Status st = Step();
      if (!st.ok()) return st;
    }
    if (in_executable_comment_) return Unterminated("comment", executable_comment_begin_);
    return std::move(tokens_);
  }

 private:
  unsigned char At(size_t i) const {
    return i < sql_.size() ? static_cast<unsigned char>(sql_[i]) : '\0';
  }
  bool Has(size_t i) const { return i < sql_.size(); }

  static Status Unterminated(const char* what, size_t offset) {
    return UsageError(std::string("unterminated ") + what + " at offset " + std::to_string(offset));
  }

  void Emit(Token::Kind kind, std::string text, size_t begin, size_t end) {
    tokens_.push_back(Token{kind, std::move(text), begin, end});
    pos_ = end;
  }

  // The previous token ends right here and is a name (or, with strings_too, a string): decides
  // "t.1col" and "user@host".
  bool FollowsAdjacent(bool strings_too) const {
    if (tokens_.empty() || tokens_.back().end != pos_) return false;
    const Token::Kind k = tokens_.back().kind;
    return k == Token::kWord || k == Token::kQuotedIdentifier ||
           (strings_too && k == Token::kString);
  }
  bool FollowsQualifierDot() const {
    const size_t n = tokens_.size();
    return n >= 2 && tokens_[n - 1].end == pos_ && IsPunct(tokens_[n - 1], ".") &&
           tokens_[n - 2].end == tokens_[n - 1].begin &&
           (tokens_[n - 2].kind == Token::kWord || tokens_[n - 2].kind == Token::kQuotedIdentifier);
  }

  Status Step() {
    const unsigned char c = At(pos_);
    if (IsSpace(c)) {
      ++pos_;
      return Status::Ok();
    }
    if (c == '#') return SkipLine();
    if (c == '-' && At(pos_ + 1) == '-' &&
        (!Has(pos_ + 2) || IsSpace(At(pos_ + 2)) || IsControl(At(pos_ + 2)))) {
      return SkipLine();
    }
    if (c == '/' && At(pos_ + 1) == '*') return Comment();
    if (c == '*' && At(pos_ + 1) == '/' && in_executable_comment_) {
      in_executable_comment_ = false;
      pos_ += 2;
      return Status::Ok();
    }
    if (c == '\'' || c == '"') return QuotedString(static_cast<char>(c));
    if (c == '`') return QuotedIdentifier();
    if (c == '@') return Variable();
    if (IsAsciiDigit(c)) return NumberOrWord();
    if (c == '.' && IsAsciiDigit(At(pos_ + 1)) && !FollowsAdjacent(false)) return NumberOrWord();
    if (IsWordByte(c)) return Word();
    return Punct();
  }

  Status SkipLine() {
    const size_t nl = sql_.find('\n', pos_);
    pos_ = nl == std::string_view::npos ? sql_.size() : nl + 1;
    return Status::Ok();
  }

  Status Comment() {
    const size_t begin = pos_;
    size_t marker = 0;  // length of "/*!" or "/*M!", 0 for a plain comment
    if (At(pos_ + 2) == '!') {
      marker = 3;
    } else if (At(pos_ + 2) == 'M' && At(pos_ + 3) == '!') {
      marker = 4;
    }
    // Nested executable comments do not exist in MySQL; lex an inner one as a plain comment.
    if (marker != 0 && !in_executable_comment_) {
      pos_ += marker;
      size_t digits = 0;
      while (IsAsciiDigit(At(pos_ + digits))) ++digits;
      if (digits == 5 || digits == 6) pos_ += digits;  // the minimum server version
      in_executable_comment_ = true;
      executable_comment_begin_ = begin;
      return Status::Ok();
    }
    const size_t close = sql_.find("*/", pos_ + 2);
    if (close == std::string_view::npos) return Unterminated("comment", begin);
    pos_ = close + 2;
    return Status::Ok();
  }

  Status QuotedString(char quote) {
    const size_t begin = pos_;
    std::string text;
    size_t i = pos_ + 1;
    while (true) {
      if (!Has(i)) return Unterminated("string", begin);
      const char c = sql_[i];
      if (c == quote) {
        if (At(i + 1) == static_cast<unsigned char>(quote)) {
          text += quote;
          i += 2;
          continue;
        }
        Emit(Token::kString, std::move(text), begin, i + 1);
        return Status::Ok();
      }
      if (c == '\\') {
        if (!Has(i + 1)) return Unterminated("string", begin);
        const char e = sql_[i + 1];
        switch (e) {
          case '0':
            text += '\0';
            break;
          case 'b':
            text += '\b';
            break;
          case 'n':
            text += '\n';
            break;
          case 'r':
            text += '\r';
            break;
          case 't':
            text += '\t';
            break;
          case 'Z':
            text += '\x1A';
            break;
          // LIKE wildcards stay escaped so that the pattern still means a literal % or _.
          case '%':
            text += "\\%";
            break;
          case '_':
            text += "\\_";
            break;
          default:
            text += e;
            break;
        }
        i += 2;
        continue;
      }
      text += c;
      ++i;
    }
  }

  Status QuotedIdentifier() {
    const size_t begin = pos_;
    std::string text;
    size_t i = pos_ + 1;
    while (true) {
      if (!Has(i)) return Unterminated("quoted identifier", begin);
      if (sql_[i] == '`') {
        if (At(i + 1) == '`') {
          text += '`';
          i += 2;
          continue;
        }
        Emit(Token::kQuotedIdentifier, std::move(text), begin, i + 1);
        return Status::Ok();
      }
      text += sql_[i++];
    }
  }

  Status Variable() {
    const size_t begin = pos_;
    if (FollowsAdjacent(true)) {  // 'user'@'host'
      Emit(Token::kPunct, "@", begin, begin + 1);
      return Status::Ok();
    }
    const size_t ats = At(pos_ + 1) == '@' ? 2 : 1;
    const unsigned char q = At(pos_ + ats);
    if (ats == 1 && (q == '\'' || q == '"' || q == '`')) {
      pos_ += 1;
      Status st = q == '`' ? QuotedIdentifier() : QuotedString(static_cast<char>(q));
      if (!st.ok()) return st;
      Token& t = tokens_.back();
      t.kind = Token::kVariable;
      t.text = "@" + t.text;
      t.begin = begin;
      return Status::Ok();
    }
    size_t i = pos_ + ats;
    while (Has(i) && (IsWordByte(At(i)) || At(i) == '.')) ++i;
    if (i == pos_ + ats) {
      Emit(Token::kPunct, "@", begin, begin + 1);
      return Status::Ok();
    }
    Emit(Token::kVariable, std::string(sql_.substr(begin, i - begin)), begin, i);
    return Status::Ok();
  }

  // Returns the end of an exponent ("e5", "E-3") starting at i, or i when there is none.
  size_t ExponentEnd(size_t i) const {
    if (At(i) != 'e' && At(i) != 'E') return i;
    size_t j = i + 1;
    if (At(j) == '+' || At(j) == '-') ++j;
    if (!IsAsciiDigit(At(j))) return i;
    while (IsAsciiDigit(At(j))) ++j;
    return j;
  }

  Status NumberOrWord() {
    const size_t begin = pos_;
    // "t.1col": a name after a qualifier may start with digits. Not ".5" after "t.": that is no
    // name (a word from '.' would be empty; found by tests/fuzz/alter.cc).
    if (IsAsciiDigit(At(pos_)) && FollowsQualifierDot()) return Word();
    // 0x1F and 0b01; 0xZZ is a name, which MySQL allows.
    if (At(pos_) == '0' && (At(pos_ + 1) == 'x' || At(pos_ + 1) == 'b')) {
      const bool hex = At(pos_ + 1) == 'x';
      size_t j = pos_ + 2;
      while (hex ? IsHexDigit(At(j)) : (At(j) == '0' || At(j) == '1')) ++j;
      if (j > pos_ + 2 && !IsWordByte(At(j))) {
        Emit(Token::kNumber, std::string(sql_.substr(begin, j - begin)), begin, j);
        return Status::Ok();
      }
    }
    size_t j = pos_;
    while (IsAsciiDigit(At(j))) ++j;
    if (At(j) == '.') {
      ++j;
      while (IsAsciiDigit(At(j))) ++j;
      j = ExponentEnd(j);
    } else if (IsWordByte(At(j))) {
      const size_t e = ExponentEnd(j);
      if (e == j || IsWordByte(At(e))) return Word();  // a name starting with digits: 1abc
      j = e;
    }
    Emit(Token::kNumber, std::string(sql_.substr(begin, j - begin)), begin, j);
    return Status::Ok();
  }

  Status Word() {
    size_t j = pos_;
    while (Has(j) && IsWordByte(At(j))) ++j;
    Emit(Token::kWord, std::string(sql_.substr(pos_, j - pos_)), pos_, j);
    return Status::Ok();
  }

  Status Punct() {
    static constexpr std::array<std::string_view, 12> kMulti = {
        "<=>", "->>", "<=", ">=", "!=", "<>", ":=", "<<", ">>", "&&", "||", "->"};
    for (std::string_view op : kMulti) {
      if (sql_.substr(pos_, op.size()) == op) {
        Emit(Token::kPunct, std::string(op), pos_, pos_ + op.size());
        return Status::Ok();
      }
    }
    Emit(Token::kPunct, std::string(1, sql_[pos_]), pos_, pos_ + 1);
    return Status::Ok();
  }

  std::string_view sql_;
  size_t pos_ = 0;
  bool in_executable_comment_ = false;
  size_t executable_comment_begin_ = 0;
  std::vector<Token> tokens_;
};

}  // namespace

StatusOr<std::vector<Token>> Tokenize(std::string_view sql) { return Lexer(sql).Run(); }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (ToLowerAscii(a[i]) != ToLowerAscii(b[i])) return false;
  }
  return true;
}

bool IsKeyword(const Token& token, std::string_view keyword) {
  return token.kind == Token::kWord && EqualsIgnoreCase(token.text, keyword);
}

bool IsPunct(const Token& token, std::string_view punct) {
  return token.kind == Token::kPunct && token.text == punct;
}

bool IsIdentifier(const Token& token) {
  return token.kind == Token::kWord || token.kind == Token::kQuotedIdentifier;
}

}  // namespace shadowalter
