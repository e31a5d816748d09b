#include "db/scripted_session.h"

#include <gtest/gtest.h>

#include <regex>
#include <utility>

#include "db/errors.h"

namespace shadowalter {

Status ServerError(unsigned server_errno, const std::string& message) {
  std::string text = message.empty() ? "scripted error" : message;
  if (server_errno < 2000) text += " (error " + std::to_string(server_errno) + ")";
  return Status(CodeForErrno(server_errno), text, server_errno);
}

// ------------------------------------------------------------------------------------------ Step

ScriptedSession::Step& ScriptedSession::Step::Returns(ScriptedRows rows,
                                                      std::vector<std::string> column_names) {
  result_.rows = std::move(rows);
  result_.column_names = std::move(column_names);
  return *this;
}

ScriptedSession::Step& ScriptedSession::Step::Affects(uint64_t rows) {
  affected_rows_ = rows;
  return *this;
}

ScriptedSession::Step& ScriptedSession::Step::Warns(std::vector<Warning> warnings) {
  warnings_ = std::move(warnings);
  return *this;
}

ScriptedSession::Step& ScriptedSession::Step::Fails(Status status) {
  error_ = std::move(status);
  return *this;
}

ScriptedSession::Step& ScriptedSession::Step::Then(std::function<void()> effect) {
  effect_ = std::move(effect);
  return *this;
}

bool ScriptedSession::Step::Matches(const std::string& sql) const {
  switch (match_) {
    case Match::kExact:
      return sql == text_;
    case Match::kPrefix:
      return sql.rfind(text_, 0) == 0;
    case Match::kRegex:
      return std::regex_match(sql, std::regex(text_));
  }
  return false;
}

std::string ScriptedSession::Step::Describe() const {
  switch (match_) {
    case Match::kExact:
      return "\"" + text_ + "\"";
    case Match::kPrefix:
      return "a statement starting \"" + text_ + "\"";
    case Match::kRegex:
      return "a statement matching /" + text_ + "/";
  }
  return text_;
}

// ------------------------------------------------------------------------------- ScriptedSession

ScriptedSession::ScriptedSession(std::string name, ServerFlavor flavor)
    : name_(std::move(name)),
      flavor_(flavor),
      server_version_(flavor == ServerFlavor::kMariaDB ? "10.11.6-MariaDB" : "8.0.36") {}

ScriptedSession::~ScriptedSession() {
  for (size_t i = next_step_; i < steps_.size(); ++i) {
    ADD_FAILURE() << name_ << ": expected statement #" << i + 1
                  << " was never sent: " << steps_[i].Describe();
  }
}

ScriptedSession::Step& ScriptedSession::Expect(std::string sql) {
  std::lock_guard<std::mutex> lock(mu_);
  return steps_.emplace_back(Step(Step::Match::kExact, std::move(sql)));
}

ScriptedSession::Step& ScriptedSession::ExpectPrefix(std::string prefix) {
  std::lock_guard<std::mutex> lock(mu_);
  return steps_.emplace_back(Step(Step::Match::kPrefix, std::move(prefix)));
}

ScriptedSession::Step& ScriptedSession::ExpectRegex(std::string pattern) {
  std::lock_guard<std::mutex> lock(mu_);
  return steps_.emplace_back(Step(Step::Match::kRegex, std::move(pattern)));
}

std::vector<std::string> ScriptedSession::statements() const {
  std::lock_guard<std::mutex> lock(mu_);
  return received_;
}

size_t ScriptedSession::pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return steps_.size() - next_step_;
}

const ScriptedSession::Step* ScriptedSession::Next(const std::string& sql) {
  std::function<void(const std::string&)> observer;
  const Step* step = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    received_.push_back(sql);
    observer = observer_;
    if (next_step_ < steps_.size() && steps_[next_step_].Matches(sql)) {
      step = &steps_[next_step_++];
    } else {
      ADD_FAILURE() << name_ << ": unexpected statement #" << received_.size() << ": \"" << sql
                    << "\"\n  expected: "
                    << (next_step_ < steps_.size() ? steps_[next_step_].Describe()
                                                   : std::string("no more statements"));
    }
  }
  // Outside the lock: either may call back into this session.
  if (observer) observer(sql);
  if (step != nullptr && step->effect_) step->effect_();
  return step;
}

Status ScriptedSession::Execute(const std::string& sql) {
  const Step* step = Next(sql);
  if (step == nullptr) return InternalError(name_ + ": unexpected statement " + sql);
  if (!step->error_.ok()) return step->error_;
  std::lock_guard<std::mutex> lock(mu_);
  affected_rows_ = step->affected_rows_;
  last_warnings_ = step->warnings_;
  return Status::Ok();
}

StatusOr<ResultSet> ScriptedSession::Query(const std::string& sql) {
  const Step* step = Next(sql);
  if (step == nullptr) return InternalError(name_ + ": unexpected statement " + sql);
  if (!step->error_.ok()) return step->error_;
  std::lock_guard<std::mutex> lock(mu_);
  affected_rows_ = 0;  // as after a real SELECT
  last_warnings_ = step->warnings_;
  return step->result_;
}

uint64_t ScriptedSession::affected_rows() const {
  std::lock_guard<std::mutex> lock(mu_);
  return affected_rows_;
}

unsigned ScriptedSession::warning_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<unsigned>(last_warnings_.size());
}

StatusOr<std::vector<Warning>> ScriptedSession::Warnings() {
  // Like the real one: not a scripted statement and not seen by the observer, but sent.
  std::lock_guard<std::mutex> lock(mu_);
  received_.push_back("SHOW WARNINGS");
  return last_warnings_;
}

void ScriptedSession::set_statement_observer(std::function<void(const std::string&)> observer) {
  std::lock_guard<std::mutex> lock(mu_);
  observer_ = std::move(observer);
}

// --------------------------------------------------------------------------- ScriptedConnections

ScriptedConnections::ScriptedConnections() {
  previous_ =
      SetSessionFactoryForTesting([this](const ConnectParams& params) { return Connect(params); });
}

ScriptedConnections::~ScriptedConnections() {
  SetSessionFactoryForTesting(std::move(previous_));
  if (!answers_.empty()) {
    ADD_FAILURE() << answers_.size() << " scripted connection(s) were never opened";
  }
}

ScriptedSession& ScriptedConnections::Add(std::unique_ptr<ScriptedSession> session) {
  ScriptedSession& ref = *session;
  answers_.emplace_back(std::unique_ptr<Session>(std::move(session)));
  return ref;
}

void ScriptedConnections::AddFailure(Status status) { answers_.emplace_back(std::move(status)); }

StatusOr<std::unique_ptr<Session>> ScriptedConnections::Connect(const ConnectParams& params) {
  requests_.push_back(params);
  if (answers_.empty()) {
    ADD_FAILURE() << "unexpected connection to " << params.host.value_or("localhost") << ":"
                  << params.port.value_or(0);
    return ServerError(2003, "scripted: no connection expected");
  }
  StatusOr<std::unique_ptr<Session>> answer = std::move(answers_.front());
  answers_.pop_front();
  return answer;
}

}  // namespace shadowalter
