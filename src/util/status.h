// Status and StatusOr<T>: the one error convention of shadowalter.
//
// Both are [[nodiscard]]: a Status that is dropped is a failure nobody hears of. Where dropping it
// is right (best-effort cleanup after an earlier failure, a keep-alive ping), the call site says
// so with IgnoreError() and a comment on why.
//
// A Status is either OK or carries a Code (what kind of failure, which decides the exit code and
// whether to retry), the server's error number when a server said no (0 otherwise), and a
// message. Each layer that passes a failure up adds what it was doing: "creating triggers: ...".
// Library exceptions never cross module boundaries; they are caught at the edge and turned into a
// Status.
#pragma once

#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

namespace shadowalter {

enum class Code {
  kOk = 0,
  kUsage,        // bad command line or DSN: nothing was touched
  kRefused,      // a preflight check said no: nothing was touched
  kServer,       // the server returned an error (server_errno() is set)
  kConnection,   // could not connect, or the connection was lost
  kDataLoss,     // the copy would lose or change data (truncation, duplicates)
  kAborted,      // stopped by a signal or a limit
  kHook,         // an operator's hook (--hook-dir) failed, so the run must not go on
  kParked,       // stopped on purpose with its artifacts and checkpoint kept: resumable
  kUnreachable,  // the server could not be reached before anything was done: try again later
  kInternal,     // a bug or an unexpected state
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message, unsigned server_errno = 0)
      : code_(code), server_errno_(server_errno), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  // The server's error number (e.g. 1213 for a deadlock), or 0 when no server error is involved.
  unsigned server_errno() const { return server_errno_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message reads "<context>: <message>", keeping code and errno.
  Status With(const std::string& context) const {
    if (ok()) return *this;
    return Status(code_, context + ": " + message_, server_errno_);
  }

  std::string ToString() const { return ok() ? "OK" : message_; }

  // Drops the Status on purpose. The caller states why next to the call; nothing else happens.
  void IgnoreError() const {}

 private:
  Code code_ = Code::kOk;
  unsigned server_errno_ = 0;
  std::string message_;
};

inline Status UsageError(std::string m) { return Status(Code::kUsage, std::move(m)); }
inline Status RefusedError(std::string m) { return Status(Code::kRefused, std::move(m)); }
inline Status InternalError(std::string m) { return Status(Code::kInternal, std::move(m)); }
inline Status DataLossError(std::string m) { return Status(Code::kDataLoss, std::move(m)); }
inline Status AbortedError(std::string m) { return Status(Code::kAborted, std::move(m)); }
inline Status ParkedError(std::string m) { return Status(Code::kParked, std::move(m)); }

// Either a value or a non-OK Status. Reading the value (value(), operator*, operator->) of a
// StatusOr that holds an error is a bug in the caller: it prints
// "StatusOr::value() on error: <message>" to stderr and aborts, in every build type.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(const T& value) : value_(value) {}         // NOLINT: implicit by design
  StatusOr(T&& value) : value_(std::move(value)) {}   // NOLINT
  StatusOr(const Status& status) : status_(status) {  // NOLINT
    assert(!status.ok() && "StatusOr built from an OK Status");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  T& value() & {
    CheckHasValue();
    return *value_;
  }
  const T& value() const& {
    CheckHasValue();
    return *value_;
  }
  T&& value() && {
    CheckHasValue();
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  void CheckHasValue() const {
    if (value_.has_value()) return;
    std::fprintf(stderr, "StatusOr::value() on error: %s\n", status_.message().c_str());
    std::abort();
  }

  Status status_;
  std::optional<T> value_;
};

}  // namespace shadowalter

// Returns early from the enclosing function with the Status if it is not OK.
#define SA_RETURN_IF_ERROR(expr)           \
  do {                                     \
    ::shadowalter::Status _sa_st = (expr); \
    if (!_sa_st.ok()) return _sa_st;       \
  } while (0)

#define SA_CONCAT_INNER(a, b) a##b
#define SA_CONCAT(a, b) SA_CONCAT_INNER(a, b)
// Declares `lhs` from a StatusOr expression, returning its Status early on failure.
#define SA_ASSIGN_OR_RETURN(lhs, expr) \
  SA_ASSIGN_OR_RETURN_IMPL(SA_CONCAT(_sa_or_, __LINE__), lhs, expr)
#define SA_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
