// Machine-readable events of one run (--output json): one JSON object per line, written to a
// stream (stdout in the binary) while the human log stays on stderr. The orchestrator and its
// phases call the sink; they never format or print events themselves.
//
// Every event carries ts (RFC 3339, UTC, milliseconds), event, schema_version, version, schema,
// table and run_id. Every event and field is documented in docs/events.md (a unit test holds the
// code to it); docs/operations.md's "Machine-readable output" sums it up.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace shadowalter {

struct ProgressEvent {
  std::string phase;  // "copy" or "verify"
  uint64_t rows_copied = 0;
  uint64_t rows_estimated = 0;
  double percent = 0;
  double rows_per_second = 0;
  std::optional<double> eta_seconds;  // unknown before the first rows, or past the estimate
  uint64_t chunk_size = 0;
  uint64_t transaction_rows = 0;  // the copy: rows its next transaction takes (0: verify)
  std::optional<double> max_replica_lag_seconds;  // unknown: no replica, or one can't say
  // The copy's last committed key (empty: unknown, or not the copy). Only the control socket's
  // status shows it; progress events leave it out.
  std::vector<std::string> position;
};

// The --statistics counters, also put into the done event when JSON is on.
struct RunStatistics {
  uint64_t chunks = 0;
  uint64_t rows_copied = 0;
  uint64_t chunk_retries = 0;                      // chunks run again after a lock conflict
  std::map<std::string, uint64_t> throttle_waits;  // kind of reason -> pauses
  std::map<std::string, double> throttle_seconds;  // kind of reason -> seconds paused
  uint64_t warnings = 0;
  // The copy's transactions: how many, the sizes chosen (rows), how often a lock wait halved it.
  uint64_t transactions = 0;
  uint64_t transaction_rows_min = 0;
  uint64_t transaction_rows_max = 0;
  uint64_t transaction_shrinks = 0;
  // Where the copy's time went (seconds): step -> seconds, in the order the steps run.
  std::vector<std::pair<std::string, double>> copy_step_seconds;
};

struct DoneEvent {
  std::string status;  // success, failed, aborted, refused, unreachable or parked
  int exit_code = 0;
  double elapsed_seconds = 0;
  std::vector<std::pair<std::string, double>> phase_seconds;  // in the order the phases ran
  double throttled_seconds = 0;
  std::string message;
  // The table ends swapped and revertible: a --revertible run's swap (or a refused `revert`)
  // waits for `revert` or `finish`.
  bool revertible = false;
  std::optional<RunStatistics> statistics;  // with --statistics
};

// The dry run's plan (--dry-run): what --execute would do, as data.
struct PlanEvent {
  std::string path;                 // "instant" or "copy"
  std::string not_instant_because;  // the copy path: why not instant ("" on the instant path)
  uint64_t rows_estimated = 0;
  std::string chunk_key;                                     // the index walked
  std::vector<std::string> chunk_key_columns;                // its columns, original names
  std::vector<std::pair<std::string, std::string>> columns;  // original -> new, as copied
  std::vector<std::string> dropped_columns;
  std::string foreign_key_method;               // "" without child tables
  std::vector<std::string> child_foreign_keys;  // "`db`.`child` `fk_name`"
  std::vector<std::string> own_triggers;        // --preserve-triggers: carried over, by name
  bool matches_row_by_row = false;              // through the new table's own key
  std::vector<std::string> checks;              // the preflight checks that ran
  std::vector<std::string> skipped_checks;      // --skip-check
  std::vector<std::string> statements;          // in order; "-- ..." lines are comments
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  // A phase starts: `phase` is its stable id (e.g. "copy"), `description` the log's words.
  virtual void Phase(const std::string& phase, const std::string& description) = 0;
  // Periodic (every --progress-interval), for logs and scripts.
  virtual void Progress(const ProgressEvent& progress) = 0;
  // After every chunk, for live displays (the terminal's status line); most sinks ignore it.
  virtual void Tick(const ProgressEvent&) {}
  // `kind` is the kind of reason ("replica lag", "server load", "pause file").
  virtual void ThrottleStart(const std::string& kind, const std::string& reason) = 0;
  virtual void ThrottleEnd(const std::string& kind, double seconds) = 0;
  virtual void Warning(const std::string& message) = 0;
  virtual void Done(const DoneEvent& done) = 0;
  // The dry run's plan, once, before its done event; only JSON writes it.
  virtual void Plan(const PlanEvent&) {}
  // An operator's command on the control socket (`command` as sent) and what it did. Called on
  // the control socket's thread: sinks that keep it must lock.
  virtual void Control(const std::string& /*command*/, const std::string& /*outcome*/) {}
  // The run's id (state/run_id.h) is final: a run that may continue a stopped one learns it only
  // once it has looked for one. Only JSON writes it.
  virtual void SettleRunId(const std::string&) {}
};

// --output text: the log says it all.
class NullEventSink : public EventSink {
 public:
  void Phase(const std::string&, const std::string&) override {}
  void Progress(const ProgressEvent&) override {}
  void ThrottleStart(const std::string&, const std::string&) override {}
  void ThrottleEnd(const std::string&, double) override {}
  void Warning(const std::string&) override {}
  void Done(const DoneEvent&) override {}
};

// Hands every event to each of several sinks (e.g. the JSON one and the terminal's status line).
class EventFanout : public EventSink {
 public:
  // Null entries are skipped; the sinks must outlive the fan-out.
  explicit EventFanout(std::vector<EventSink*> sinks);
  void Phase(const std::string& phase, const std::string& description) override;
  void Progress(const ProgressEvent& progress) override;
  void Tick(const ProgressEvent& progress) override;
  void ThrottleStart(const std::string& kind, const std::string& reason) override;
  void ThrottleEnd(const std::string& kind, double seconds) override;
  void Warning(const std::string& message) override;
  void Done(const DoneEvent& done) override;
  void Plan(const PlanEvent& plan) override;
  void Control(const std::string& command, const std::string& outcome) override;
  void SettleRunId(const std::string& id) override;

 private:
  std::vector<EventSink*> sinks_;
};

// The version of the event and status objects' contract (docs/events.md): bumped when a field
// changes meaning or goes away; a field or event that is only added does not bump it.
constexpr int kEventSchemaVersion = 1;

// --output json. Thread-safe: warnings may come from the heartbeat's thread. `connection` must
// already be redacted (ConnectionConfig::Redacted()); it goes into phase and done events.
// `run_id` goes into every event; a sink told to HoldUntilRunIdSettled writes the one
// SettleRunId gives instead.
class JsonEventSink : public EventSink {
 public:
  using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;
  using WallClock = std::function<std::chrono::system_clock::time_point()>;
  JsonEventSink(std::ostream& out, std::string schema, std::string table, std::string connection,
                std::string run_id, WallClock now = std::chrono::system_clock::now);
  // Writes what it still holds (with the id it was given): nothing is lost.
  ~JsonEventSink() override;

  // A run that may continue a stopped one (--execute, `resume`): the lines of its first events
  // are held, each with its own time, until SettleRunId gives the id, then written with it, so
  // that every line carries the same id. Call before the first event. Done writes held lines with
  // the id the sink was given, if the id was never settled (the run ended before it looked).
  void HoldUntilRunIdSettled();
  // The id of every line not yet written. Only the first call counts, and only while holding:
  // a sink that never held, or already settled, has written lines with its id and keeps it.
  void SettleRunId(const std::string& id) override;

  void Phase(const std::string& phase, const std::string& description) override;
  void Progress(const ProgressEvent& progress) override;
  void ThrottleStart(const std::string& kind, const std::string& reason) override;
  void ThrottleEnd(const std::string& kind, double seconds) override;
  void Warning(const std::string& message) override;
  void Done(const DoneEvent& done) override;
  void Plan(const PlanEvent& plan) override;
  void Control(const std::string& command, const std::string& outcome) override;

 private:
  // One event's line without its closing brace: Emit adds the run id and the brace.
  std::string Line(const char* event, const std::function<void(JsonWriter&)>& body);
  // Writes one line (or holds it) and flushes it, so `tail -f | jq` sees each event as it
  // happens.
  void Emit(const std::string& line);
  // Writes the held lines with the current id and stops holding; mu_ held.
  void ReleaseHeldLocked();
  void WriteLocked(const std::string& line);

  std::ostream& out_;
  std::string schema_, table_, connection_;
  std::string run_id_suffix_;  // `,"run_id":"<id>"}`
  WallClock now_;
  std::mutex mu_;
  bool holding_ = false;
  std::vector<std::string> held_;  // lines without their suffix, oldest first
};

// `t` as RFC 3339 in UTC with milliseconds, e.g. 2026-12-01T10:00:00.123Z.
std::string Rfc3339Utc(std::chrono::system_clock::time_point t);

}  // namespace shadowalter
