// ConnectorSession: the Session that talks to a server through MariaDB Connector/C. It and
// client_library.cc are the only code calling the client library (mysql_*).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "db/session.h"
#include "util/status.h"

struct st_mysql;  // MYSQL from the client library

namespace shadowalter {

class ConnectorSession final : public Session {
 public:
  // Connects as `params` say and sets the session up (see db/session.h). With TLS PREFERRED, a
  // server that can't do TLS is connected to again without it; with REQUIRED or stricter, an
  // unencrypted connection is refused before any statement runs.
  static StatusOr<std::unique_ptr<Session>> Connect(const ConnectParams& params);
  ~ConnectorSession() override;

  Status Execute(const std::string& sql) override;
  StatusOr<ResultSet> Query(const std::string& sql) override;

  uint64_t affected_rows() const override { return affected_rows_; }
  unsigned warning_count() const override { return warning_count_; }
  StatusOr<std::vector<Warning>> Warnings() override;

  ServerFlavor flavor() const override { return flavor_; }
  const std::string& server_version() const override { return server_version_; }
  uint64_t connection_id() const override { return connection_id_; }
  const std::string& tls_cipher() const override { return tls_cipher_; }

  void set_statement_observer(std::function<void(const std::string&)> observer) override {
    observer_ = std::move(observer);
  }

 private:
  explicit ConnectorSession(st_mysql* handle);
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
