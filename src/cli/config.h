// The plain configuration of one shadowalter run, filled by cli/options.h. No SQL, no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/session_variables.h"
#include "db/tls.h"
#include "util/time_of_day.h"

namespace shadowalter {

// Where and as whom to connect. Unset fields fall back to the option file, then to the
// client library's defaults, exactly as the mysql command-line client does.
struct ConnectionConfig {
  std::optional<std::string> host;           // default: option file, else localhost
  std::optional<unsigned> port;              // default: option file, else 3306
  std::optional<std::string> user;           // default: option file, else the login name
  std::optional<std::string> password;       // default: MYSQL_PWD, option file, else none
  std::optional<std::string> socket;         // default: option file, else the library's
  std::optional<std::string> defaults_file;  // default: none (then ~/.my.cnf etc. are read)
  std::string database;                      // required (D= or --database)
  std::string table;                         // required (t= or --table)
  TlsSettings tls;                           // --ssl-mode (default PREFERRED), --ssl-ca/-cert/-key
  // The DSN's ssl-mode=, ssl-ca=, ssl-cert=, ssl-key= as written there. The command-line parser
  // folds them into `tls` under the --ssl-* flags, which win.
  TlsOverrides dsn_tls;
  // --set-vars: set on every session to this server after the tool's own setup; default none.
  // Replicas' connections, made from other ConnectionConfigs, don't get them.
  std::vector<SessionVariable> session_variables;

  // host:port/db.table with no credentials: safe for logs and JSON.
  std::string Redacted() const;
  // The connection as a DSN without the password (h=..,P=..,u=..,D=..,t=..): advice that can
  // be pasted back onto a command line.
  std::string DsnWithoutPassword() const;
};

// One operation's retries, as --tries OP:TRIES:WAIT gives them.
struct OperationTries {
  unsigned tries = 1;       // at least 1
  double wait_seconds = 0;  // pause between two tries
};

// One status-variable limit of --max-load / --critical-load. Without a value the limit is set at
// start to the variable's current value plus 20%.
struct LoadLimit {
  std::string variable;         // e.g. Threads_running
  std::optional<double> limit;  // nullopt: current value x 1.2, taken at start
};

enum class RunMode {
  kNone,
  kExecute,  // --execute: change the table
  kDryRun,   // --dry-run: check and plan, change nothing
  kVerify,   // `shadowalter verify DSN`: compare the table with a stopped run's new table
  kStatus,   // `shadowalter status DSN`: show what a stopped or running run left on the server
  kCleanup,  // `shadowalter cleanup DSN`: remove a stopped run's artifacts (--dry-run: list them)
  kRevert,   // `shadowalter revert DSN`: swap a revertible run's old table back (--dry-run: plan)
  kFinish,   // `shadowalter finish DSN`: end a revertible run, dropping the old table
};

// What a run does when it finds a stopped run of the same table (its checkpoint).
enum class ResumePolicy {
  kRefuse,     // default: refuse, advising `resume` or `cleanup`
  kIfStopped,  // --resume: continue a stopped run of the same ALTER, else start afresh
  kRequired,   // `shadowalter resume DSN`: continue the stopped run; refuse when there is none
};

// What reaching --max-runtime or --stop-at does (--on-limit), and what SIGINT or SIGTERM does
// (--on-signal).
enum class LimitAction {
  kPark,   // stop at a chunk boundary, keep triggers + new table + checkpoint, exit 4
  kAbort,  // clean up as after any abort, exit 1
};

// What to do about other tables' foreign keys that reference the table
// (--alter-foreign-keys-method).
enum class ForeignKeyMethod {
  kUnset,               // not given: a table with child foreign keys is refused
  kRebuildConstraints,  // repoint each child's FK to the new table just before the atomic swap
  kDropSwap,            // drop the original, then rename the new table: the table is briefly gone
  kNone,                // swap only; children keep referencing the old table's name
  kAuto,                // rebuild_constraints (metadata-only here), never drop_swap
};

// The option's spelling of a method ("" for kUnset), and back (nullopt for an unknown word).
const char* ForeignKeyMethodName(ForeignKeyMethod method);
std::optional<ForeignKeyMethod> ParseForeignKeyMethod(const std::string& text);

// What goes to stdout while a run goes on (--output).
enum class OutputFormat {
  kText,  // nothing but the dry run's plan; the log on stderr says it all
  kJson,  // one JSON event per line (report/events.h); the plan goes to stderr
};

struct Config {
  ConnectionConfig conn;
  std::string alter;              // required (optional for verify): the ALTER TABLE clauses
  RunMode mode = RunMode::kNone;  // required: --execute, --dry-run or the verify command
  uint64_t chunk_size = 1000;     // rows per chunk
  unsigned threads = 1;           // --threads: sessions copying chunks' key ranges at once
  bool drop_old_table = true;     // --no-drop-old-table keeps _<t>_old after the swap
  // --revertible: after the swap the old table is kept current by reverse triggers until
  // `shadowalter revert` swaps back or `shadowalter finish` drops it (default off).
  bool revertible = false;
  // --no-swap-tables: copy and verify, then drop the triggers and the new table (a rehearsal);
  // with --no-drop-triggers park instead (exit 4), the new table kept current for `resume`.
  bool swap_tables = true;
  bool drop_triggers = true;       // --no-drop-triggers: only with --no-swap-tables
  bool print_sql = false;          // --print: log every statement as it runs
  std::string log_file;            // default: none (stderr only)
  double lock_wait_timeout = 2.0;  // seconds a metadata-lock-taking statement may wait per try
  unsigned tries = 10;             // tries for each metadata-lock-taking statement
  // --tries in pt-online-schema-change's form OP:TRIES:WAIT,...: per operation (create_triggers,
  // drop_triggers, swap_tables, update_foreign_keys; copy_rows and analyze_table are accepted
  // and not used), the tries and the fixed pause between them. Default none: every operation
  // takes `tries`, with growing pauses.
  std::map<std::string, OperationTries> tries_by_operation;
  bool verify = true;              // --no-verify skips the pre-swap comparison
  unsigned verify_sessions = 2;    // --verify-sessions: 2 reads both tables side by side, 1 in turn
  bool drop_new_table = true;      // --no-drop-new-table keeps new table + triggers on a mismatch
  bool preserve_triggers = false;  // --preserve-triggers moves own triggers (default: off)
  bool quiet = false;              // --quiet: errors only
  bool attempt_instant = true;     // --no-attempt-instant: never try ALGORITHM=INSTANT first
  std::vector<std::string> skip_checks;  // --skip-check NAME (repeatable, or comma-separated)
  // --alter-foreign-keys-method: default none given (a table with child foreign keys is refused).
  ForeignKeyMethod foreign_keys_method = ForeignKeyMethod::kUnset;

  // Throttling.
  double chunk_time = 0.5;        // --chunk-time: target seconds per chunk
  bool chunk_size_fixed = false;  // an explicit --chunk-size pins the size
  // Not an option: the most rows a copy transaction grows to while no lock wait begins on the
  // server (throttle/transaction_sizer.h); within a chunk, so --chunk-time bounds it too. 0:
  // fixed 1000-row transactions.
  uint64_t max_rows_per_transaction = 10000;
  double max_lag = 1.0;                     // --max-lag: seconds of replica lag that pause the copy
  double check_interval = 1.0;              // --check-interval: seconds between replica lag checks
  std::vector<ConnectionConfig> replicas;   // --replica DSN (repeatable); unset fields: primary's
  std::optional<std::string> replica_user;  // --replica-user: default the primary's user
  std::optional<std::string> replica_password;      // --replica-password: default the primary's
  std::vector<ConnectionConfig> lag_unchecked;      // --skip-check-replica-lag DSN: default none
  std::vector<std::string> allowed_binlog_clients;  // --allow-binlog-client HOST: default none
  // --upstream-writes: on a server that itself replicates, "fire-triggers" (MariaDB's
  // slave_run_triggers_for_rbr is on) or "none" (the DBA states no write to the table arrives
  // that way); default "": refused.
  std::string upstream_writes;
  // --recursion-method: "processlist,hosts" (either order), "processlist", "hosts", "none", or
  // "dsn" with the table in recursion_dsn_table (dsn=D=db,t=table: h/P/u/p default to the
  // primary's connection).
  std::string recursion_method = "processlist,hosts";
  std::optional<ConnectionConfig> recursion_dsn_table;  // default none
  std::optional<double> replica_timeout;                // --replica-timeout: default wait forever
  std::vector<LoadLimit> max_load = {{"Threads_running", 25.0}};       // --max-load
  std::vector<LoadLimit> critical_load = {{"Threads_running", 50.0}};  // --critical-load
  std::string panic_file;                                              // --panic-file: default none
  std::string pause_file;                                              // --pause-file: default none
  // --max-checkpoint-age: pause while InnoDB's checkpoint age is at or above this percentage of
  // its maximum (where the server reports both: MariaDB); 0 turns it off.
  double max_checkpoint_age = 90;
  // On a Galera Cluster node (otherwise unused): --max-flow-ctl pauses the copy while the cluster
  // spent more than this percentage of the time since the last check paused by flow control;
  // --max-recv-queue while any node has more writesets than this left to apply.
  double max_flow_ctl = 5;
  unsigned max_recv_queue = 16;
  bool heartbeat = false;             // --heartbeat: measure lag with the tool's heartbeat row
  std::string postpone_cutover_file;  // --postpone-cutover-file: default none

  // Maintenance windows and resuming.
  ResumePolicy resume = ResumePolicy::kRefuse;  // --resume, or the resume command
  std::optional<double> max_runtime;            // --max-runtime: seconds; default no limit
  std::optional<ClockTime> stop_at;             // --stop-at HH:MM[Z]: default no limit
  LimitAction on_limit = LimitAction::kPark;    // --on-limit park|abort: default park
  LimitAction on_signal = LimitAction::kAbort;  // --on-signal park|abort (SIGINT, SIGTERM)
  std::optional<ClockWindow> cutover_window;    // --cutover-window: default any time
  bool cleanup_dry_run = false;                 // `cleanup --dry-run`: list what cleanup would do
  double reconnect_timeout = 60;  // --reconnect-timeout: seconds to retry a lost primary

  // What operators see.
  std::string config_file;                    // --config: default none (the file read, if any)
  OutputFormat output = OutputFormat::kText;  // --output text|json: default text
  std::string hook_dir;                       // --hook-dir: default none (no hooks run)
  std::string control_socket;                 // --control-socket: default none (no socket)
  std::string pid_file;                       // --pid: default none (no pid file)
  bool statistics = false;                    // --statistics: default off
  double progress_interval = 30;  // --progress-interval: seconds between progress lines and events
};

}  // namespace shadowalter
