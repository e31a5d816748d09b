// Session: one RAII connection to a MySQL or MariaDB server. The db/ module is the only code that
// calls the client library (mysql_*); everything above it speaks Status and plain strings.
//
// Every session Connect opens is set up the same way: utf8mb4, time_zone '+00:00', a strict
// sql_mode, so that values and errors mean the same on every server. (A native ALTER converts in
// the server's global time zone instead; sql/time_zones.h says how the copy does the same.) A
// Session is not thread-safe; use one per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/session_variables.h"
#include "db/tls.h"
#include "util/status.h"

namespace shadowalter {

struct ConnectParams {
  std::optional<std::string> host;
  std::optional<unsigned> port;
  std::optional<std::string> user;
  std::optional<std::string> password;
  std::optional<std::string> socket;
  std::optional<std::string> defaults_file;  // read instead of the default option files
  std::string database;                      // may be empty
  unsigned connect_timeout_seconds = 10;
  TlsSettings tls;                                 // default: PREFERRED, no files
  std::vector<SessionVariable> session_variables;  // set after the session's own setup
};

// A fully fetched result: small results only (metadata, boundaries, counts).
struct ResultSet {
  std::vector<std::string> column_names;
  std::vector<std::vector<std::optional<std::string>>> rows;  // nullopt is SQL NULL

  bool empty() const { return rows.empty(); }
  // The first row's first column, or nullopt when there is no row or it is NULL.
  std::optional<std::string> Scalar() const;
  // The cell of column `name` (or its other spelling `alt`, e.g. MySQL 8's Source_Host for
  // Master_Host) in row `row`; null when the result has no such column.
  const std::optional<std::string>* Cell(size_t row, std::string_view name,
                                         std::string_view alt = {}) const;
};

struct Warning {
  std::string level;  // Note, Warning, Error
  unsigned code = 0;
  std::string message;
};

enum class ServerFlavor { kMySQL, kMariaDB };

// A connection to a server, as everything above db/ sees it. Connect() opens the real one
// (ConnectorSession, db/connector_session.h); unit tests script one (tests/unit/db/).
class Session {
 public:
  // Opens a session set up as described above, through the factory in force (normally the
  // client library; see SetSessionFactoryForTesting).
  static StatusOr<std::unique_ptr<Session>> Connect(const ConnectParams& params);

  virtual ~Session() = default;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Runs a statement that returns no rows. On success, affected_rows() and warning_count()
  // describe it.
  virtual Status Execute(const std::string& sql) = 0;
  // Runs a statement and fetches its whole result.
  virtual StatusOr<ResultSet> Query(const std::string& sql) = 0;

  virtual uint64_t affected_rows() const = 0;
  virtual unsigned warning_count() const = 0;
  // SHOW WARNINGS for the last statement.
  virtual StatusOr<std::vector<Warning>> Warnings() = 0;

  virtual ServerFlavor flavor() const = 0;
  virtual const std::string& server_version() const = 0;
  // The server's connection id, for KILL and for naming ourselves in processlists.
  virtual uint64_t connection_id() const = 0;
  // The TLS cipher of the connection; empty when it is not encrypted.
  virtual const std::string& tls_cipher() const = 0;

  // Called with each statement before it runs (for --print). Empty by default.
  virtual void set_statement_observer(std::function<void(const std::string&)> observer) = 0;

 protected:
  Session() = default;
};

// What Session::Connect calls to open a session.
using SessionFactory = std::function<StatusOr<std::unique_ptr<Session>>(const ConnectParams&)>;

// Makes Session::Connect open its sessions through `factory` from now on, and returns the
// factory in force before; an empty `factory` restores the client library's. For unit tests
// only (code that opens its own sessions, e.g. to replicas, then gets scripted ones): it is not
// synchronized, so set it before anything connects and restore it when done.
SessionFactory SetSessionFactoryForTesting(SessionFactory factory);

}  // namespace shadowalter
