#include "db/connector_session.h"

#include <mariadb/errmsg.h>
#include <mariadb/mysql.h>

#include <cstdlib>

#include "db/errors.h"

namespace shadowalter {

ConnectorSession::ConnectorSession(st_mysql* handle) : handle_(handle) {}

ConnectorSession::~ConnectorSession() {
  if (handle_ != nullptr) mysql_close(handle_);
}

namespace {

constexpr unsigned kTlsConnectionError = 2026;  // CR_SSL_CONNECTION_ERROR

// The Connector/C options for TLS. Connector/C has no "preferred" mode: asking for TLS means
// insisting on it, so PREFERRED is a TLS attempt that Connect repeats without TLS if it fails.
// Given a CA, the library checks the certificate chain; VERIFY_IDENTITY adds the host name.
void SetTlsOptions(MYSQL* h, const TlsSettings& tls) {
  mysql_ssl_set(h, tls.key ? tls.key->c_str() : nullptr, tls.cert ? tls.cert->c_str() : nullptr,
                tls.ca ? tls.ca->c_str() : nullptr, nullptr, nullptr);
  my_bool use_tls = 1;
  mysql_optionsv(h, MYSQL_OPT_SSL_ENFORCE, &use_tls);
  my_bool verify_host = tls.mode == TlsMode::kVerifyIdentity;
  mysql_optionsv(h, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify_host);
}

}  // namespace

StatusOr<std::unique_ptr<Session>> ConnectorSession::Connect(const ConnectParams& p) {
  StatusOr<std::unique_ptr<Session>> s = ConnectOnce(p, p.tls.mode != TlsMode::kDisabled);
  if (!s.ok() && p.tls.mode == TlsMode::kPreferred &&
      s.status().server_errno() == kTlsConnectionError) {
    return ConnectOnce(p, false);  // the server can't do TLS: PREFERRED settles for plain
  }
  return s;
}

StatusOr<std::unique_ptr<Session>> ConnectorSession::ConnectOnce(const ConnectParams& p,
                                                                 bool use_tls) {
  MYSQL* h = mysql_init(nullptr);
  if (h == nullptr) return Status(Code::kInternal, "out of memory creating a connection handle");
  std::unique_ptr<ConnectorSession> session(new ConnectorSession(h));

  // Option files are read the way the mysql client reads them: the [client] group of the
  // default files, or only the file given with F= / --defaults-file.
  if (p.defaults_file) {
    mysql_optionsv(h, MYSQL_READ_DEFAULT_FILE, p.defaults_file->c_str());
  } else {
    mysql_optionsv(h, MYSQL_READ_DEFAULT_FILE, "");
  }
  mysql_optionsv(h, MYSQL_READ_DEFAULT_GROUP, "client");
  mysql_optionsv(h, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  unsigned timeout = p.connect_timeout_seconds;
  mysql_optionsv(h, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  my_bool reconnect = 0;  // a silent reconnect would lose session state and locks
  mysql_optionsv(h, MYSQL_OPT_RECONNECT, &reconnect);
  if (p.host && !p.socket && *p.host != "localhost") {
    unsigned proto = MYSQL_PROTOCOL_TCP;
    mysql_optionsv(h, MYSQL_OPT_PROTOCOL, &proto);
  }

  if (use_tls) SetTlsOptions(h, p.tls);

  const char* password = p.password ? p.password->c_str() : nullptr;
  if (mysql_real_connect(h, p.host ? p.host->c_str() : nullptr, p.user ? p.user->c_str() : nullptr,
                         password, p.database.empty() ? nullptr : p.database.c_str(),
                         p.port.value_or(0), p.socket ? p.socket->c_str() : nullptr,
                         CLIENT_FOUND_ROWS) == nullptr) {
    unsigned err = mysql_errno(h);
    Code code = err >= 2000 && err < 3000 ? Code::kConnection : Code::kServer;
    return Status(code, std::string("cannot connect: ") + mysql_error(h), err);
  }
  if (const char* cipher = mysql_get_ssl_cipher(h); cipher != nullptr)
    session->tls_cipher_ = cipher;
  if (p.tls.mode >= TlsMode::kRequired && session->tls_cipher_.empty()) {
    // Connector/C 3.3 refuses a server without TLS itself only when it verifies the host name
    // (VERIFY_IDENTITY); for REQUIRED and VERIFY_CA it settles for plain after logging in, so
    // this check is what refuses then, before any statement runs.
    unsigned long capabilities = 0;
    mariadb_get_infov(h, MARIADB_CONNECTION_SERVER_CAPABILITIES, &capabilities);
    const std::string why = (capabilities & CLIENT_SSL) == 0 ? "the server does not offer TLS"
                                                             : "the connection is not encrypted";
    // As Connector/C reports its own TLS refusals: a setting to change, not a server to wait for.
    return Status(
        Code::kConnection,
        std::string("cannot connect: --ssl-mode ") + TlsModeName(p.tls.mode) + " but " + why,
        CR_SSL_CONNECTION_ERROR);
  }
  SA_RETURN_IF_ERROR(session->Setup().With("setting up the session"));
  if (!p.session_variables.empty()) {
    SA_RETURN_IF_ERROR(session->Execute(SetSessionVariables(p.session_variables))
                           .With("setting the --set-vars session variables"));
  }
  return std::unique_ptr<Session>(std::move(session));
}

Status ConnectorSession::Setup() {
  server_version_ = mysql_get_server_info(handle_);
  flavor_ = server_version_.find("MariaDB") != std::string::npos ? ServerFlavor::kMariaDB
                                                                 : ServerFlavor::kMySQL;
  connection_id_ = mysql_thread_id(handle_);
  // Strict, so that truncation and bad values are errors, never warnings; no
  // NO_BACKSLASH_ESCAPES assumptions. '+00:00' because a TIMESTAMP reads as its exact instant
  // there: chunk bounds and checkpointed keys of TIMESTAMP keys are unambiguous (no daylight-saving
  // hour read twice) and mean the same on resume, whatever the server's zone by then. Values that
  // cross TIMESTAMP in an ALTER convert in the server's global zone explicitly (sql/time_zones.h).
  // ERROR_FOR_DIVISION_BY_ZERO: a generated column or CHECK the ALTER adds that divides by zero
  // is an error, as in a native ALTER under the servers' default sql_mode, not a silent NULL (the
  // triggers are created under this mode and keep it).
  SA_RETURN_IF_ERROR(
      Execute("SET SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,"
              "NO_ENGINE_SUBSTITUTION,NO_AUTO_VALUE_ON_ZERO', time_zone = '+00:00'"));
  // The session variable name differs between MySQL 8 and MariaDB; this form works on both.
  SA_RETURN_IF_ERROR(Execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ"));
  return Status::Ok();
}

Status ConnectorSession::ErrorStatus(const std::string& doing) const {
  unsigned err = mysql_errno(handle_);
  std::string msg = mysql_error(handle_);
  std::string text = doing.empty() ? msg : doing + ": " + msg;
  if (err < 2000) text += " (error " + std::to_string(err) + ")";
  return Status(CodeForErrno(err), text, err);
}

Status ConnectorSession::Execute(const std::string& sql) {
  if (observer_) observer_(sql);
  if (mysql_real_query(handle_, sql.data(), sql.size()) != 0) return ErrorStatus("");
  // Drain any result so the connection stays usable.
  if (MYSQL_RES* res = mysql_store_result(handle_)) mysql_free_result(res);
  affected_rows_ = mysql_affected_rows(handle_);
  warning_count_ = mysql_warning_count(handle_);
  while (mysql_more_results(handle_)) {
    if (mysql_next_result(handle_) > 0) return ErrorStatus("");
    if (MYSQL_RES* res = mysql_store_result(handle_)) mysql_free_result(res);
  }
  return Status::Ok();
}

StatusOr<ResultSet> ConnectorSession::Query(const std::string& sql) {
  if (observer_) observer_(sql);
  if (mysql_real_query(handle_, sql.data(), sql.size()) != 0) return ErrorStatus("");
  MYSQL_RES* res = mysql_store_result(handle_);
  if (res == nullptr) {
    if (mysql_field_count(handle_) != 0) return ErrorStatus("fetching result");
    warning_count_ = mysql_warning_count(handle_);
    return ResultSet{};
  }
  ResultSet out;
  unsigned n = mysql_num_fields(res);
  MYSQL_FIELD* fields = mysql_fetch_fields(res);
  for (unsigned i = 0; i < n; ++i) out.column_names.emplace_back(fields[i].name);
  while (MYSQL_ROW row = mysql_fetch_row(res)) {
    unsigned long* lengths = mysql_fetch_lengths(res);
    std::vector<std::optional<std::string>> r;
    r.reserve(n);
    for (unsigned i = 0; i < n; ++i) {
      if (row[i] == nullptr) {
        r.emplace_back(std::nullopt);
      } else {
        r.emplace_back(std::string(row[i], lengths[i]));
      }
    }
    out.rows.push_back(std::move(r));
  }
  mysql_free_result(res);
  warning_count_ = mysql_warning_count(handle_);
  affected_rows_ = 0;
  return out;
}

StatusOr<std::vector<Warning>> ConnectorSession::Warnings() {
  // Not through Query(): SHOW WARNINGS would reset the count it reports on.
  if (mysql_real_query(handle_, "SHOW WARNINGS", 13) != 0) return ErrorStatus("SHOW WARNINGS");
  MYSQL_RES* res = mysql_store_result(handle_);
  std::vector<Warning> out;
  if (res == nullptr) return out;
  while (MYSQL_ROW row = mysql_fetch_row(res)) {
    Warning w;
    w.level = row[0] ? row[0] : "";
    w.code = row[1] ? static_cast<unsigned>(std::strtoul(row[1], nullptr, 10)) : 0;
    w.message = row[2] ? row[2] : "";
    out.push_back(std::move(w));
  }
  mysql_free_result(res);
  return out;
}

}  // namespace shadowalter
