// sa-loadgen: a fixed-rate (open-loop) write load for the demo table (sql/demo_schema.sql), to see
// how an online schema change affects the latency of the application writing to the table.
//
//   MYSQL_PWD=... sa-loadgen --host H --port P --user U --database D --table T --rate N --seconds S
//                            [--connections C] [--id-max M]
//
// Transaction k is scheduled at start + k/rate, whether or not earlier ones have finished; C worker
// threads (each with its own Session) take the next scheduled transaction, wait for its time and
// run it:
//   BEGIN; UPDATE T SET amount = amount + 1, note = ... WHERE id = <random 1..M>;
//   INSERT INTO T (customer_id, status, amount, currency, note, created_at) VALUES (...); COMMIT
// Latency runs from the scheduled start to the end of COMMIT, so time spent waiting for a free
// worker (because the server stalled) counts. A failed statement is counted by its server error
// number, rolled back, and the load goes on (reconnecting if the connection is gone).
//
// After --seconds, or on SIGTERM/SIGINT, no new transaction starts; those in flight get a short
// grace period, then one summary line is printed (and a JSON line if SA_LOADGEN_JSON is set), a
// line of the transactions slower than 20 ms by the second they were scheduled in, and, with
// SA_LOADGEN_TIMELINE=PATH, every committed transaction ("epoch_ms latency_us") into PATH; the
// program exits 0. Only the project's db API (db/session.h) talks to the server.

#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "db/session.h"

namespace {

using Clock = std::chrono::steady_clock;
using shadowalter::ConnectParams;
using shadowalter::Session;
using shadowalter::Status;

constexpr auto kGrace = std::chrono::seconds(5);  // for transactions in flight at the stop
constexpr unsigned kCustomers = 50000;
constexpr int64_t kSlowUs = 20000;  // a transaction slower than this is listed by time

struct Options {
  std::string host = "127.0.0.1";
  unsigned port = 3306;
  std::string user;
  std::string database;
  std::string table;
  double rate = 0;
  double seconds = 0;
  unsigned connections = 4;
  uint64_t id_max = 0;  // 0: SELECT MAX(id) at start
};

[[noreturn]] void Usage(const std::string& error) {
  if (!error.empty()) std::cerr << "sa-loadgen: " << error << "\n";
  std::cerr << "usage: sa-loadgen --host H --port P --user U --database D --table T --rate N\n"
               "                  --seconds S [--connections C] [--id-max M]\n"
               "The password is read from the MYSQL_PWD environment variable.\n";
  std::exit(error.empty() ? 0 : 2);
}

template <typename T>
T ParseNumber(const std::string& flag, const std::string& text) {
  try {
    size_t used = 0;
    T value;
    if constexpr (std::is_floating_point_v<T>) {
      value = static_cast<T>(std::stod(text, &used));
    } else {
      if (!text.empty() && text[0] == '-') throw std::invalid_argument("negative");
      value = static_cast<T>(std::stoull(text, &used));
    }
    if (used != text.size()) throw std::invalid_argument("trailing characters");
    return value;
  } catch (const std::exception&) {
    Usage("bad number for " + flag + ": '" + text + "'");
  }
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  bool have_user = false, have_db = false, have_table = false, have_rate = false,
       have_seconds = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") Usage("");
    std::string value;
    if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else {
      if (i + 1 >= argc) Usage("missing value for " + arg);
      value = argv[++i];
    }
    if (arg == "--host") {
      o.host = value;
    } else if (arg == "--port") {
      const uint64_t port = ParseNumber<uint64_t>(arg, value);
      o.port = port <= 65535 ? static_cast<unsigned>(port) : 0;
    } else if (arg == "--user") {
      o.user = value;
      have_user = true;
    } else if (arg == "--database") {
      o.database = value;
      have_db = true;
    } else if (arg == "--table") {
      o.table = value;
      have_table = true;
    } else if (arg == "--rate") {
      o.rate = ParseNumber<double>(arg, value);
      have_rate = true;
    } else if (arg == "--seconds") {
      o.seconds = ParseNumber<double>(arg, value);
      have_seconds = true;
    } else if (arg == "--connections") {
      const uint64_t connections = ParseNumber<uint64_t>(arg, value);
      o.connections = connections <= 1000 ? static_cast<unsigned>(connections) : 0;
    } else if (arg == "--id-max") {
      o.id_max = ParseNumber<uint64_t>(arg, value);
    } else if (arg == "--password" || arg == "-p") {
      Usage("the password is taken from MYSQL_PWD, never from the command line");
    } else {
      Usage("unknown option " + arg);
    }
  }
  if (!have_user) Usage("--user is required");
  if (!have_db) Usage("--database is required");
  if (!have_table) Usage("--table is required");
  if (!have_rate || !(o.rate > 0) || o.rate > 1e6) Usage("--rate must be in (0, 1000000]");
  if (!have_seconds || !(o.seconds > 0) || o.seconds > 1e7) Usage("--seconds must be > 0");
  if (o.connections < 1 || o.connections > 1000) Usage("--connections must be in 1..1000");
  if (o.port < 1 || o.port > 65535) Usage("--port must be in 1..65535");
  return o;
}

std::string QuoteIdent(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

// Shared state of the run.
struct Run {
  Options opt;
  std::string table_sql;  // `db`.`table`
  std::optional<std::string> password;
  Clock::time_point start;
  Clock::time_point deadline;
  std::chrono::duration<double> interval{};  // between scheduled transactions

  std::atomic<uint64_t> next_ticket{0};
  std::atomic<bool> stop{false};
  std::mutex mu;  // for cv
  std::condition_variable cv;

  Clock::time_point Scheduled(uint64_t k) const {
    return start + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(k));
  }
};

// Per-worker results; guarded by its mutex, since the summary may be read while a worker is stuck
// in a statement after the grace period.
struct WorkerStats {
  std::mutex mu;
  std::vector<uint32_t> latencies_us;  // committed transactions
  // Every committed transaction: when it was scheduled (wall clock, ms since the epoch) and its
  // latency in us, to line stalls up with the tool's log and to take percentiles over a window.
  std::vector<std::pair<int64_t, uint32_t>> timeline;
  uint64_t errors = 0;
  std::map<unsigned, uint64_t> errors_by_code;  // server errno; 0 = not a server error
  bool in_flight = false;
  Clock::time_point in_flight_since;  // scheduled start of the transaction in flight
  bool done = false;
};

ConnectParams MakeParams(const Run& run) {
  ConnectParams p;
  p.host = run.opt.host;
  p.port = run.opt.port;
  p.user = run.opt.user;
  p.password = run.password;
  p.database = run.opt.database;
  p.connect_timeout_seconds = 5;
  return p;
}

std::string RandomNote(std::mt19937_64& rng, const char* what, uint64_t ticket) {
  static const char kHex[] = "0123456789abcdef";
  std::string note = std::string("loadgen ") + what + " #" + std::to_string(ticket) + " ";
  std::uniform_int_distribution<int> len(40, 90);
  int n = len(rng);
  for (int i = 0; i < n; ++i) note += kHex[rng() & 15];
  if (note.size() > 120) note.resize(120);
  return note;
}

std::string FormatAmount(uint64_t cents) {
  std::string s = std::to_string(cents / 100) + ".";
  unsigned c = static_cast<unsigned>(cents % 100);
  s += static_cast<char>('0' + c / 10);
  s += static_cast<char>('0' + c % 10);
  return s;
}

void RecordError(WorkerStats& stats, const Status& st) {
  std::lock_guard<std::mutex> lock(stats.mu);
  ++stats.errors;
  ++stats.errors_by_code[st.server_errno()];
}

// Runs one transaction; returns the first failure (after rolling back), or OK.
Status RunTransaction(Session& s, const Run& run, std::mt19937_64& rng, uint64_t ticket) {
  std::uniform_int_distribution<uint64_t> id_dist(1, std::max<uint64_t>(run.opt.id_max, 1));
  std::uniform_int_distribution<unsigned> customer_dist(1, kCustomers);
  std::uniform_int_distribution<uint64_t> cents_dist(100, 100099);

  const std::string update = "UPDATE " + run.table_sql +
                             " SET amount = amount + 1, note = '" + RandomNote(rng, "update", ticket) +
                             "' WHERE id = " + std::to_string(id_dist(rng));
  const std::string insert =
      "INSERT INTO " + run.table_sql +
      " (customer_id, status, amount, currency, note, created_at) VALUES (" +
      std::to_string(customer_dist(rng)) + ", 'new', " + FormatAmount(cents_dist(rng)) +
      ", 'EUR', '" + RandomNote(rng, "insert", ticket) + "', NOW(6))";

  Status st = s.Execute("BEGIN");
  if (st.ok()) st = s.Execute(update);
  if (st.ok()) st = s.Execute(insert);
  if (st.ok()) st = s.Execute("COMMIT");
  if (!st.ok()) (void)s.Execute("ROLLBACK");
  return st;
}

void Worker(Run& run, WorkerStats& stats, std::unique_ptr<Session> session, unsigned index) {
  std::mt19937_64 rng(std::random_device{}() ^ (0x9e3779b97f4a7c15ULL * (index + 1)));
  while (!run.stop.load()) {
    const uint64_t k = run.next_ticket.fetch_add(1);
    const Clock::time_point sched = run.Scheduled(k);
    if (sched >= run.deadline) break;
    {
      std::unique_lock<std::mutex> lock(run.mu);
      run.cv.wait_until(lock, sched, [&] { return run.stop.load(); });
    }
    if (run.stop.load()) break;
    {
      std::lock_guard<std::mutex> lock(stats.mu);
      stats.in_flight = true;
      stats.in_flight_since = sched;
    }
    if (!session) {
      // The previous connection was lost: try again (counted as an error when it fails).
      auto connected = Session::Connect(MakeParams(run));
      if (connected.ok()) {
        session = std::move(connected).value();
      } else {
        RecordError(stats, connected.status());
        std::lock_guard<std::mutex> lock(stats.mu);
        stats.in_flight = false;
        continue;
      }
    }
    Status st = RunTransaction(*session, run, rng, k);
    const Clock::time_point end = Clock::now();
    if (st.ok()) {
      const auto us = std::chrono::duration_cast<std::chrono::microseconds>(end - sched).count();
      std::lock_guard<std::mutex> lock(stats.mu);
      stats.latencies_us.push_back(
          static_cast<uint32_t>(std::clamp<int64_t>(us, 0, int64_t{UINT32_MAX})));
      const auto wall =
          std::chrono::system_clock::now() -
          std::chrono::duration_cast<std::chrono::system_clock::duration>(end - sched);
      stats.timeline.emplace_back(
          std::chrono::duration_cast<std::chrono::milliseconds>(wall.time_since_epoch()).count(),
          stats.latencies_us.back());
      stats.in_flight = false;
    } else {
      RecordError(stats, st);
      if (st.code() == shadowalter::Code::kConnection) session.reset();
      std::lock_guard<std::mutex> lock(stats.mu);
      stats.in_flight = false;
    }
  }
  std::lock_guard<std::mutex> lock(stats.mu);
  stats.done = true;
}

double Percentile(std::vector<uint32_t>& v, double p) {
  if (v.empty()) return 0;
  size_t idx = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  idx = std::min(idx, v.size() - 1);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(idx), v.end());
  return v[idx] / 1000.0;
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

void PrintSummary(Run& run, std::vector<std::unique_ptr<WorkerStats>>& workers,
                  Clock::time_point stopped_at) {
  const Clock::time_point now = Clock::now();
  std::vector<uint32_t> all;
  uint64_t errors = 0;
  uint64_t unfinished = 0;
  double max_unfinished_ms = 0;
  std::map<unsigned, uint64_t> by_code;
  std::vector<std::pair<int64_t, uint32_t>> timeline;
  for (auto& w : workers) {
    std::lock_guard<std::mutex> lock(w->mu);
    all.insert(all.end(), w->latencies_us.begin(), w->latencies_us.end());
    timeline.insert(timeline.end(), w->timeline.begin(), w->timeline.end());
    errors += w->errors;
    for (const auto& [code, n] : w->errors_by_code) by_code[code] += n;
    if (w->in_flight) {
      ++unfinished;
      max_unfinished_ms = std::max(
          max_unfinished_ms,
          std::chrono::duration<double, std::milli>(now - w->in_flight_since).count());
    }
  }
  // Transactions scheduled before the stop that no worker had started yet (all were busy).
  uint64_t scheduled = 0;
  {
    const double span = std::chrono::duration<double>(stopped_at - run.start).count();
    if (span > 0) {
      scheduled = static_cast<uint64_t>(span / run.interval.count()) + 1;
    }
  }
  const uint64_t taken = std::min<uint64_t>(run.next_ticket.load(), scheduled);
  uint64_t not_started = scheduled > taken ? scheduled - taken : 0;
  if (not_started > 0) {
    // The oldest of them has waited since its scheduled time.
    max_unfinished_ms = std::max(
        max_unfinished_ms,
        std::chrono::duration<double, std::milli>(now - run.Scheduled(taken)).count());
  }

  const uint64_t txns = all.size();
  const double p50 = Percentile(all, 0.50);
  const double p99 = Percentile(all, 0.99);
  double max_ms = all.empty() ? 0 : *std::max_element(all.begin(), all.end()) / 1000.0;
  // A transaction still stuck (e.g. behind a table lock) has at least this latency: count it.
  max_ms = std::max(max_ms, max_unfinished_ms);
  const double elapsed = std::max(1e-9, std::chrono::duration<double>(stopped_at - run.start).count());
  const double rate = static_cast<double>(txns) / elapsed;

  std::ostringstream line;
  line << "loadgen: txns=" << txns << " errors=" << errors << " p50_ms=" << Fixed(p50, 2)
       << " p99_ms=" << Fixed(p99, 2) << " max_ms=" << Fixed(max_ms, 2)
       << " rate=" << Fixed(rate, 1);
  std::cout << line.str() << "\n";

  std::ostringstream detail;
  detail << "loadgen: seconds=" << Fixed(elapsed, 1) << " target_rate=" << Fixed(run.opt.rate, 1)
         << " connections=" << run.opt.connections << " unfinished=" << (unfinished + not_started);
  if (!by_code.empty()) {
    detail << " errors_by_code=";
    bool first = true;
    for (const auto& [code, n] : by_code) {
      if (!first) detail << ",";
      first = false;
      detail << code << ":" << n;
    }
  }
  std::cout << detail.str() << "\n";

  // The slow transactions by the second they were scheduled in (UTC HH:MM:SS), for lining them
  // up with the tool's log: "14:02:07=12/150.6" is 12 of them, the slowest 150.6 ms.
  std::sort(timeline.begin(), timeline.end());
  std::vector<std::pair<int64_t, uint32_t>> slow;
  for (const auto& t : timeline) {
    if (t.second > kSlowUs) slow.push_back(t);
  }
  std::ostringstream slow_line;
  slow_line << "loadgen: slow(>" << kSlowUs / 1000 << "ms) by second:";
  for (size_t i = 0; i < slow.size();) {
    const int64_t second = slow[i].first / 1000;
    uint32_t worst = 0;
    size_t n = 0;
    for (; i < slow.size() && slow[i].first / 1000 == second; ++i, ++n) {
      worst = std::max(worst, slow[i].second);
    }
    const std::time_t t = static_cast<std::time_t>(second);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char hms[16];
    std::strftime(hms, sizeof hms, "%H:%M:%S", &tm);
    slow_line << " " << hms << "=" << n << "/" << Fixed(worst / 1000.0, 1);
  }
  std::cout << slow_line.str() << "\n";
  // SA_LOADGEN_TIMELINE=PATH: the whole timeline, "epoch_ms latency_us" per line.
  if (const char* path = std::getenv("SA_LOADGEN_TIMELINE"); path != nullptr && *path != 0) {
    if (std::FILE* f = std::fopen(path, "w")) {
      for (const auto& [ms, us] : timeline) {
        std::fprintf(f, "%lld %u\n", static_cast<long long>(ms), static_cast<unsigned>(us));
      }
      std::fclose(f);
    }
  }

  if (std::getenv("SA_LOADGEN_JSON") != nullptr) {
    std::ostringstream json;
    json << "{\"txns\":" << txns << ",\"errors\":" << errors << ",\"p50_ms\":" << Fixed(p50, 3)
         << ",\"p99_ms\":" << Fixed(p99, 3) << ",\"max_ms\":" << Fixed(max_ms, 3)
         << ",\"rate\":" << Fixed(rate, 3) << ",\"seconds\":" << Fixed(elapsed, 3)
         << ",\"target_rate\":" << Fixed(run.opt.rate, 3)
         << ",\"connections\":" << run.opt.connections
         << ",\"unfinished\":" << (unfinished + not_started) << ",\"errors_by_code\":{";
    bool first = true;
    for (const auto& [code, n] : by_code) {
      if (!first) json << ",";
      first = false;
      json << "\"" << code << "\":" << n;
    }
    json << "}}";
    std::cout << json.str() << "\n";
  }
  std::cout.flush();
}

}  // namespace

int main(int argc, char** argv) {
  Run run;
  run.opt = ParseArgs(argc, argv);
  if (const char* pwd = std::getenv("MYSQL_PWD"); pwd != nullptr) run.password = pwd;
  run.table_sql = QuoteIdent(run.opt.database) + "." + QuoteIdent(run.opt.table);
  run.interval = std::chrono::duration<double>(1.0 / run.opt.rate);

  // SIGINT/SIGTERM are taken synchronously by the main thread (sigtimedwait); every thread created
  // below inherits the blocked mask, so no thread is interrupted by them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  // Connect every worker before the clock starts.
  std::vector<std::unique_ptr<Session>> sessions;
  for (unsigned i = 0; i < run.opt.connections; ++i) {
    auto connected = Session::Connect(MakeParams(run));
    if (!connected.ok()) {
      std::cerr << "sa-loadgen: cannot connect to " << run.opt.host << ":" << run.opt.port << ": "
                << connected.status().ToString() << "\n";
      return 1;
    }
    sessions.push_back(std::move(connected).value());
  }
  if (run.opt.id_max == 0) {
    auto max_id = sessions[0]->Query("SELECT COALESCE(MAX(id), 0) FROM " + run.table_sql);
    if (!max_id.ok()) {
      std::cerr << "sa-loadgen: reading MAX(id) of " << run.table_sql << ": "
                << max_id.status().ToString() << "\n";
      return 1;
    }
    auto value = max_id->Scalar();
    run.opt.id_max = value ? std::strtoull(value->c_str(), nullptr, 10) : 0;
    if (run.opt.id_max == 0) run.opt.id_max = 1;
  }

  run.start = Clock::now() + std::chrono::milliseconds(10);
  run.deadline = run.start + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(run.opt.seconds));

  std::vector<std::unique_ptr<WorkerStats>> stats;
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < run.opt.connections; ++i) {
    stats.push_back(std::make_unique<WorkerStats>());
  }
  for (unsigned i = 0; i < run.opt.connections; ++i) {
    threads.emplace_back(Worker, std::ref(run), std::ref(*stats[i]), std::move(sessions[i]), i);
  }

  // Wait for the deadline or a signal.
  Clock::time_point stopped_at;
  for (;;) {
    const Clock::time_point now = Clock::now();
    if (now >= run.deadline) {
      stopped_at = run.deadline;
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(run.deadline - now);
    const auto slice = std::min<std::chrono::nanoseconds>(left, std::chrono::milliseconds(200));
    timespec ts{};
    ts.tv_sec = static_cast<time_t>(slice.count() / 1000000000);
    ts.tv_nsec = static_cast<long>(slice.count() % 1000000000);
    const int sig = sigtimedwait(&signals, nullptr, &ts);
    if (sig == SIGINT || sig == SIGTERM) {
      stopped_at = std::min(Clock::now(), run.deadline);
      std::cerr << "sa-loadgen: " << (sig == SIGINT ? "SIGINT" : "SIGTERM") << ", stopping\n";
      break;
    }
  }
  {
    std::lock_guard<std::mutex> lock(run.mu);
    run.stop.store(true);
  }
  run.cv.notify_all();

  // Give transactions in flight a bounded time to finish; a second signal cuts it short.
  const Clock::time_point give_up = Clock::now() + kGrace;
  bool all_done = false;
  while (Clock::now() < give_up) {
    all_done = true;
    for (auto& w : stats) {
      std::lock_guard<std::mutex> lock(w->mu);
      if (!w->done) all_done = false;
    }
    if (all_done) break;
    timespec ts{0, 50 * 1000 * 1000};
    const int sig = sigtimedwait(&signals, nullptr, &ts);
    if (sig == SIGINT || sig == SIGTERM) break;
  }

  PrintSummary(run, stats, stopped_at);

  if (all_done) {
    for (auto& t : threads) t.join();
    return 0;
  }
  // Some worker is stuck in a statement: do not wait for it.
  std::fflush(stdout);
  std::_Exit(0);
}
