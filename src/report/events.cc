#include "report/events.h"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "report/json_fields.h"

namespace shadowalter {
namespace {

using JsonWriter = JsonEventSink::JsonWriter;

void Key(JsonWriter& w, const char* key) { w.Key(key); }
using json::Number;
using json::OptionalNumber;
using json::String;
using json::Strings;
using json::Unsigned;

// What ends every line: the run id as a JSON string, then the object's closing brace.
std::string RunIdSuffix(const std::string& run_id) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.String(run_id.data(), static_cast<rapidjson::SizeType>(run_id.size()));
  return ",\"run_id\":" + std::string(buffer.GetString(), buffer.GetSize()) + "}";
}

void Statistics(JsonWriter& w, const RunStatistics& s) {
  Key(w, "statistics");
  w.StartObject();
  Unsigned(w, "chunks", s.chunks);
  Unsigned(w, "rows_copied", s.rows_copied);
  Unsigned(w, "chunk_retries", s.chunk_retries);
  Key(w, "throttle_waits");
  w.StartObject();
  for (const auto& [kind, count] : s.throttle_waits) Unsigned(w, kind.c_str(), count);
  w.EndObject();
  Key(w, "throttle_seconds");
  w.StartObject();
  for (const auto& [kind, seconds] : s.throttle_seconds) Number(w, kind.c_str(), seconds);
  w.EndObject();
  Unsigned(w, "warnings", s.warnings);
  Unsigned(w, "transactions", s.transactions);
  Unsigned(w, "transaction_rows_min", s.transaction_rows_min);
  Unsigned(w, "transaction_rows_max", s.transaction_rows_max);
  Unsigned(w, "transaction_shrinks", s.transaction_shrinks);
  Key(w, "copy_step_seconds");
  w.StartObject();
  for (const auto& [step, seconds] : s.copy_step_seconds) Number(w, step.c_str(), seconds);
  w.EndObject();
  w.EndObject();
}

}  // namespace

std::string Rfc3339Utc(std::chrono::system_clock::time_point t) {
  const auto since_epoch =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
  const std::time_t seconds = static_cast<std::time_t>(since_epoch.count() / 1000);
  const int millis = static_cast<int>(since_epoch.count() % 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
  return buf;
}

EventFanout::EventFanout(std::vector<EventSink*> sinks) {
  for (EventSink* s : sinks) {
    if (s != nullptr) sinks_.push_back(s);
  }
}
void EventFanout::Phase(const std::string& phase, const std::string& description) {
  for (EventSink* s : sinks_) s->Phase(phase, description);
}
void EventFanout::Progress(const ProgressEvent& progress) {
  for (EventSink* s : sinks_) s->Progress(progress);
}
void EventFanout::Tick(const ProgressEvent& progress) {
  for (EventSink* s : sinks_) s->Tick(progress);
}
void EventFanout::ThrottleStart(const std::string& kind, const std::string& reason) {
  for (EventSink* s : sinks_) s->ThrottleStart(kind, reason);
}
void EventFanout::ThrottleEnd(const std::string& kind, double seconds) {
  for (EventSink* s : sinks_) s->ThrottleEnd(kind, seconds);
}
void EventFanout::Warning(const std::string& message) {
  for (EventSink* s : sinks_) s->Warning(message);
}
void EventFanout::Done(const DoneEvent& done) {
  for (EventSink* s : sinks_) s->Done(done);
}
void EventFanout::Plan(const PlanEvent& plan) {
  for (EventSink* s : sinks_) s->Plan(plan);
}
void EventFanout::Control(const std::string& command, const std::string& outcome) {
  for (EventSink* s : sinks_) s->Control(command, outcome);
}
void EventFanout::SettleRunId(const std::string& id) {
  for (EventSink* s : sinks_) s->SettleRunId(id);
}

JsonEventSink::JsonEventSink(std::ostream& out, std::string schema, std::string table,
                             std::string connection, std::string run_id, WallClock now)
    : out_(out),
      schema_(std::move(schema)),
      table_(std::move(table)),
      connection_(std::move(connection)),
      run_id_suffix_(RunIdSuffix(run_id)),
      now_(std::move(now)) {}

JsonEventSink::~JsonEventSink() {
  std::lock_guard<std::mutex> lock(mu_);
  ReleaseHeldLocked();
}

void JsonEventSink::HoldUntilRunIdSettled() {
  std::lock_guard<std::mutex> lock(mu_);
  holding_ = true;
}

void JsonEventSink::SettleRunId(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!holding_) return;
  run_id_suffix_ = RunIdSuffix(id);
  ReleaseHeldLocked();
}

// One event's line: the common fields first, then the event's own, written by `body`; the run id
// and the closing brace are Emit's.
std::string JsonEventSink::Line(const char* event, const std::function<void(JsonWriter&)>& body) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  String(w, "ts", Rfc3339Utc(now_()));
  String(w, "event", event);
  Key(w, "schema_version");
  w.Int(kEventSchemaVersion);
  String(w, "version", SHADOWALTER_VERSION);
  String(w, "schema", schema_);
  String(w, "table", table_);
  body(w);
  w.EndObject();
  // Without the closing brace.
  return std::string(buffer.GetString(), buffer.GetSize() - 1);
}

void JsonEventSink::Phase(const std::string& phase, const std::string& description) {
  Emit(Line("phase", [&](JsonWriter& w) {
    String(w, "phase", phase);
    String(w, "description", description);
    String(w, "connection", connection_);
  }));
}

void JsonEventSink::Progress(const ProgressEvent& p) {
  Emit(Line("progress", [&](JsonWriter& w) {
    String(w, "phase", p.phase);
    Unsigned(w, "rows_copied", p.rows_copied);
    Unsigned(w, "rows_estimated", p.rows_estimated);
    Number(w, "percent", p.percent);
    Number(w, "rows_per_second", p.rows_per_second);
    OptionalNumber(w, "eta_seconds", p.eta_seconds);
    Unsigned(w, "chunk_size", p.chunk_size);
    Unsigned(w, "transaction_rows", p.transaction_rows);
    OptionalNumber(w, "max_replica_lag_seconds", p.max_replica_lag_seconds);
  }));
}

void JsonEventSink::ThrottleStart(const std::string& kind, const std::string& reason) {
  Emit(Line("throttle_start", [&](JsonWriter& w) {
    String(w, "kind", kind);
    String(w, "reason", reason);
  }));
}

void JsonEventSink::ThrottleEnd(const std::string& kind, double seconds) {
  Emit(Line("throttle_end", [&](JsonWriter& w) {
    String(w, "kind", kind);
    Number(w, "seconds", seconds);
  }));
}

void JsonEventSink::Control(const std::string& command, const std::string& outcome) {
  Emit(Line("control", [&](JsonWriter& w) {
    String(w, "command", command);
    String(w, "outcome", outcome);
  }));
}

void JsonEventSink::Warning(const std::string& message) {
  Emit(Line("warning", [&](JsonWriter& w) { String(w, "message", message); }));
}

void JsonEventSink::Done(const DoneEvent& d) {
  {
    // The last line: whatever is held goes first, with the id the run has.
    std::lock_guard<std::mutex> lock(mu_);
    ReleaseHeldLocked();
  }
  Emit(Line("done", [&](JsonWriter& w) {
    String(w, "status", d.status);
    w.Key("exit_code");
    w.Int(d.exit_code);
    Number(w, "elapsed_seconds", d.elapsed_seconds);
    Key(w, "phase_seconds");
    w.StartObject();
    for (const auto& [phase, seconds] : d.phase_seconds) Number(w, phase.c_str(), seconds);
    w.EndObject();
    Number(w, "throttled_seconds", d.throttled_seconds);
    String(w, "message", d.message);
    w.Key("revertible");
    w.Bool(d.revertible);
    String(w, "connection", connection_);
    if (d.statistics) Statistics(w, *d.statistics);
  }));
}

void JsonEventSink::Plan(const PlanEvent& p) {
  Emit(Line("plan", [&](JsonWriter& w) {
    String(w, "path", p.path);
    String(w, "not_instant_because", p.not_instant_because);
    Unsigned(w, "rows_estimated", p.rows_estimated);
    String(w, "chunk_key", p.chunk_key);
    Strings(w, "chunk_key_columns", p.chunk_key_columns);
    Key(w, "columns");
    w.StartArray();
    for (const auto& [from, to] : p.columns) {
      w.StartObject();
      String(w, "from", from);
      String(w, "to", to);
      w.EndObject();
    }
    w.EndArray();
    Strings(w, "dropped_columns", p.dropped_columns);
    String(w, "foreign_key_method", p.foreign_key_method);
    Strings(w, "child_foreign_keys", p.child_foreign_keys);
    Strings(w, "own_triggers", p.own_triggers);
    Key(w, "matches_row_by_row");
    w.Bool(p.matches_row_by_row);
    Strings(w, "checks", p.checks);
    Strings(w, "skipped_checks", p.skipped_checks);
    Strings(w, "statements", p.statements);
    String(w, "connection", connection_);
  }));
}

void JsonEventSink::Emit(const std::string& line) {
  std::lock_guard<std::mutex> lock(mu_);
  if (holding_) {
    held_.push_back(line);
    return;
  }
  WriteLocked(line);
}

void JsonEventSink::ReleaseHeldLocked() {
  holding_ = false;
  for (const std::string& line : held_) WriteLocked(line);
  held_.clear();
}

void JsonEventSink::WriteLocked(const std::string& line) {
  out_ << line << run_id_suffix_ << '\n';
  out_.flush();
}

}  // namespace shadowalter
