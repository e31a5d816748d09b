// Session: one RAII connection to a MySQL or MariaDB server. The db/ module is the only code that
// calls the client library (mysql_*); everything above it speaks Status and plain strings.
//
// Every Session is set up the same way on connect: utf8mb4, time_zone '+00:00', a strict sql_mode,
// so that values and errors mean the same on every server. (A native ALTER converts in the
// server's global time zone instead; sql/time_zones.h says how the copy does the same.) A Session
// is not thread-safe; use one per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "db/tls.h"
#include "util/status.h"

struct st_mysql;  // MYSQL from the client library

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
  TlsSettings tls;  // default: PREFERRED, no files
};

// A fully fetched result: small results only (metadata, boundaries, counts).
struct ResultSet {
  std::vector<std::string> column_names;
  std::vector<std::vector<std::optional<std::string>>> rows;  // nullopt is SQL NULL

  bool empty() const { return rows.empty(); }
  // The first row's first column, or nullopt when there is no row or it is NULL.
  std::optional<std::string> Scalar() const;
};

struct Warning {
  std::string level;  // Note, Warning, Error
  unsigned code = 0;
  std::string message;
};

enum class ServerFlavor { kMySQL, kMariaDB };

class Session {
 public:
  static StatusOr<std::unique_ptr<Session>> Connect(const ConnectParams& params);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Runs a statement that returns no rows. On success affected_rows() and warning_count() describe it.
  Status Execute(const std::string& sql);
  // Runs a statement and fetches its whole result.
  StatusOr<ResultSet> Query(const std::string& sql);

  uint64_t affected_rows() const { return affected_rows_; }
  unsigned warning_count() const { return warning_count_; }
  // SHOW WARNINGS for the last statement.
  StatusOr<std::vector<Warning>> Warnings();

  ServerFlavor flavor() const { return flavor_; }
  const std::string& server_version() const { return server_version_; }
  // The server's connection id, for KILL and for naming ourselves in processlists.
  uint64_t connection_id() const { return connection_id_; }
  // The TLS cipher of the connection; empty when it is not encrypted.
  const std::string& tls_cipher() const { return tls_cipher_; }

  // Called with each statement before it runs (for --print). Empty by default.
  void set_statement_observer(std::function<void(const std::string&)> observer) {
    observer_ = std::move(observer);
  }

 private:
  explicit Session(st_mysql* handle);
  static StatusOr<std::unique_ptr<Session>> ConnectOnce(const ConnectParams& params, bool use_tls);
  Status Setup();
  Status ErrorStatus(const std::string& doing) const;

  st_mysql* handle_;
  uint64_t affected_rows_ = 0;
  unsigned warning_count_ = 0;
  ServerFlavor flavor_ = ServerFlavor::kMariaDB;
  std::string server_version_;
  uint64_t connection_id_ = 0;
  std::string tls_cipher_;
  std::function<void(const std::string&)> observer_;
};

}  // namespace shadowalter
