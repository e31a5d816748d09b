// ScriptedSession: a Session that answers from a script instead of a server, for unit tests of the
// code that talks to one (copy/, verify/, throttle/, state/).
//
// The test lists, in order, the statements the code under test must send, each matched exactly,
// by prefix or by a regular expression, and each answered with a result set, an affected-row
// count (and warnings), or an error as the server would raise it (ServerError(1213) and so on).
// Every statement received is recorded. A statement that is not the next one expected fails the
// test (and is answered with an error, so the code under test stops soon); so does an expected
// statement never sent by the time the session is destroyed.
//
// A session is meant for one thread at a time, like a real one; its methods are nonetheless
// serialized, so a failure report from a stray thread stays readable.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "db/session.h"
#include "util/status.h"

namespace shadowalter {

// The Status a session connected to a server returns for a statement that failed with
// `server_errno`: the code CodeForErrno gives it, the message followed by "(error N)" for a
// server error (N < 2000), as ConnectorSession does. `message` defaults to a generic text.
Status ServerError(unsigned server_errno, const std::string& message = "");

// Rows for a scripted answer: {{"1", "a"}, {"2", std::nullopt}}.
using ScriptedRows = std::vector<std::vector<std::optional<std::string>>>;

class ScriptedSession final : public Session {
 public:
  // One expected statement and its answer. By default the statement succeeds with no rows, no
  // affected rows and no warnings; the setters below change that and return the step again.
  class Step {
   public:
    // A result set (for Query); `column_names` only where the code reads columns by name.
    Step& Returns(ScriptedRows rows, std::vector<std::string> column_names = {});
    // The affected-row count an Execute reports.
    Step& Affects(uint64_t rows);
    // The warnings the statement leaves (warning_count() and Warnings()).
    Step& Warns(std::vector<Warning> warnings);
    // The statement fails with `status` (usually ServerError(errno)).
    Step& Fails(Status status);
    // Runs when the statement arrives, before it is answered: e.g. a stop request, or removing a
    // pause file, at an exact point of the run.
    Step& Then(std::function<void()> effect);

   private:
    friend class ScriptedSession;
    enum class Match { kExact, kPrefix, kRegex };
    Step(Match match, std::string text) : match_(match), text_(std::move(text)) {}
    bool Matches(const std::string& sql) const;
    std::string Describe() const;

    Match match_;
    std::string text_;
    ResultSet result_;
    uint64_t affected_rows_ = 0;
    std::vector<Warning> warnings_;
    Status error_;
    std::function<void()> effect_;
  };

  // `name` tells sessions apart in failure messages ("primary", "replica r1").
  explicit ScriptedSession(std::string name = "session",
                           ServerFlavor flavor = ServerFlavor::kMariaDB);
  // Fails the test for every expected statement that was never sent.
  ~ScriptedSession() override;

  // The next statement expected, after those already listed: exactly `sql`, any statement that
  // starts with `prefix`, or one that `pattern` (ECMAScript) matches whole.
  Step& Expect(std::string sql);
  Step& ExpectPrefix(std::string prefix);
  Step& ExpectRegex(std::string pattern);

  // Every statement received, in order, expected or not ("SHOW WARNINGS" for Warnings()).
  std::vector<std::string> statements() const;
  // How many expected statements have not arrived yet.
  size_t pending() const;

  Status Execute(const std::string& sql) override;
  StatusOr<ResultSet> Query(const std::string& sql) override;
  uint64_t affected_rows() const override;
  unsigned warning_count() const override;
  StatusOr<std::vector<Warning>> Warnings() override;

  ServerFlavor flavor() const override { return flavor_; }
  const std::string& server_version() const override { return server_version_; }
  uint64_t connection_id() const override { return connection_id_; }
  const std::string& tls_cipher() const override { return tls_cipher_; }
  void set_statement_observer(std::function<void(const std::string&)> observer) override;

 private:
  // Matches `sql` against the next step: the step, or null (the test then fails).
  const Step* Next(const std::string& sql);

  const std::string name_;
  const ServerFlavor flavor_;
  const std::string server_version_;
  const uint64_t connection_id_ = 42;
  const std::string tls_cipher_;

  mutable std::mutex mu_;
  std::deque<Step> steps_;  // a deque: Expect's references stay valid as steps are added
  size_t next_step_ = 0;
  std::vector<std::string> received_;
  uint64_t affected_rows_ = 0;
  std::vector<Warning> last_warnings_;
  std::function<void(const std::string&)> observer_;
};

// While alive, Session::Connect hands out the sessions given to Add, in order, and records what
// each call asked for; a Connect with none left fails the test and returns a connection error.
// Sessions still unclaimed on destruction fail the test. One at a time per test.
class ScriptedConnections {
 public:
  ScriptedConnections();
  ~ScriptedConnections();
  ScriptedConnections(const ScriptedConnections&) = delete;
  ScriptedConnections& operator=(const ScriptedConnections&) = delete;

  // The next Connect returns `session`; the reference stays valid while the code under test
  // owns it.
  ScriptedSession& Add(std::unique_ptr<ScriptedSession> session);
  // The next Connect fails with `status`.
  void AddFailure(Status status);

  // The parameters of every Connect, in order.
  const std::vector<ConnectParams>& requests() const { return requests_; }

 private:
  StatusOr<std::unique_ptr<Session>> Connect(const ConnectParams& params);

  std::deque<StatusOr<std::unique_ptr<Session>>> answers_;
  std::vector<ConnectParams> requests_;
  SessionFactory previous_;
};

}  // namespace shadowalter
