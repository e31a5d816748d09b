#include "report/log.h"

#include <boost/core/null_deleter.hpp>
#include <boost/log/attributes/clock.hpp>
#include <boost/log/core.hpp>
#include <boost/log/expressions.hpp>
#include <boost/log/sinks/sync_frontend.hpp>
#include <boost/log/sinks/text_ostream_backend.hpp>
#include <boost/log/sources/record_ostream.hpp>
#include <boost/log/sources/severity_logger.hpp>
#include <boost/log/support/date_time.hpp>
#include <boost/make_shared.hpp>
#include <fstream>
#include <iostream>
#include <mutex>

#include "util/strings.h"

namespace shadowalter {
namespace {

namespace logging = boost::log;
namespace expr = boost::log::expressions;
namespace sinks = boost::log::sinks;

using Backend = sinks::text_ostream_backend;
using Sink = sinks::synchronous_sink<Backend>;

BOOST_LOG_ATTRIBUTE_KEYWORD(severity, "Severity", LogLevel)
BOOST_LOG_ATTRIBUTE_KEYWORD(timestamp, "TimeStamp", boost::posix_time::ptime)

const char* LevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "?";
}

logging::sources::severity_logger_mt<LogLevel>& Logger() {
  static logging::sources::severity_logger_mt<LogLevel> logger;
  return logger;
}

boost::shared_ptr<Sink> MakeSink(boost::shared_ptr<std::ostream> stream, LogLevel threshold) {
  auto backend = boost::make_shared<Backend>();
  backend->add_stream(stream);
  backend->auto_flush(true);
  auto sink = boost::make_shared<Sink>(backend);
  sink->set_filter(severity >= threshold);
  sink->set_formatter([](const logging::record_view& rec, logging::formatting_ostream& out) {
    auto ts = rec[timestamp];
    auto lvl = rec[severity];
    if (ts) out << boost::posix_time::to_iso_extended_string(*ts).substr(0, 23) << "Z ";
    out << "shadowalter " << (lvl ? LevelName(*lvl) : "?") << ": " << rec[expr::smessage];
  });
  return sink;
}

std::once_flag g_default_once;

void EnsureDefault() {
  std::call_once(g_default_once, [] {
    if (logging::core::get()->get_global_attributes().count("TimeStamp") == 0) {
      logging::core::get()->add_global_attribute("TimeStamp", logging::attributes::utc_clock());
    }
  });
}

}  // namespace

bool InitLogging(const LogSettings& settings) {
  EnsureDefault();
  auto core = logging::core::get();
  core->remove_all_sinks();
  boost::shared_ptr<std::ostream> err(&std::clog, boost::null_deleter());
  core->add_sink(MakeSink(err, settings.stderr_threshold));
  if (!settings.file.empty()) {
    auto file = boost::make_shared<std::ofstream>(settings.file, std::ios::app);
    if (!*file) {
      std::cerr << "shadowalter: cannot open log file " << settings.file << "\n";
      return false;
    }
    core->add_sink(MakeSink(file, LogLevel::kDebug));
  }
  return true;
}

namespace {

std::mutex& ObserverMutex() {
  static std::mutex mu;
  return mu;
}

std::function<void(const std::string&)>& WarningObserver() {
  static std::function<void(const std::string&)> observer;
  return observer;
}

struct StderrGuard {
  std::function<void()> before, after;
};

StderrGuard& Guard() {
  static StderrGuard guard;
  return guard;
}

std::mutex& GuardMutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

void SetStderrGuard(std::function<void()> before, std::function<void()> after) {
  std::lock_guard<std::mutex> lock(GuardMutex());
  Guard() = StderrGuard{std::move(before), std::move(after)};
}

void SetWarningObserver(std::function<void(const std::string&)> observer) {
  std::lock_guard<std::mutex> lock(ObserverMutex());
  WarningObserver() = std::move(observer);
}

void Log(LogLevel level, const std::string& message) {
  EnsureDefault();
  {
    // Held while the record is written, so another thread's record can't land between the
    // erase and the redraw.
    std::lock_guard<std::mutex> lock(GuardMutex());
    if (Guard().before) Guard().before();
    // An error or warning is one line, whatever user text it quotes.
    BOOST_LOG_SEV(Logger(), level) << (level >= LogLevel::kWarning ? OneLine(message) : message);
    if (Guard().after) Guard().after();
  }
  if (level == LogLevel::kWarning) {
    std::lock_guard<std::mutex> lock(ObserverMutex());
    if (WarningObserver()) WarningObserver()(message);
  }
}

}  // namespace shadowalter
