#include "cli/connect_params.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(ConnectParamsForTest, CopiesEveryConnectionField) {
  ConnectionConfig conn;
  conn.host = "db1";
  conn.port = 3307;
  conn.user = "alter";
  conn.password = "secret";
  conn.socket = "/run/mysqld.sock";
  conn.defaults_file = "/etc/my.cnf";
  conn.database = "shop";
  conn.table = "orders";
  conn.tls.mode = TlsMode::kRequired;
  conn.tls.ca = "/ca.pem";
  const ConnectParams p = ConnectParamsFor(conn);
  EXPECT_EQ(p.host, conn.host);
  EXPECT_EQ(p.port, conn.port);
  EXPECT_EQ(p.user, conn.user);
  EXPECT_EQ(p.password, conn.password);
  EXPECT_EQ(p.socket, conn.socket);
  EXPECT_EQ(p.defaults_file, conn.defaults_file);
  EXPECT_EQ(p.database, "shop");
  EXPECT_EQ(p.tls.mode, TlsMode::kRequired);
  EXPECT_EQ(p.tls.ca, conn.tls.ca);
  EXPECT_EQ(p.connect_timeout_seconds, ConnectParams().connect_timeout_seconds);
}

TEST(ConnectParamsForTest, UnsetFieldsStayUnset) {
  ConnectionConfig conn;
  conn.database = "shop";
  const ConnectParams p = ConnectParamsFor(conn);
  EXPECT_FALSE(p.host.has_value());
  EXPECT_FALSE(p.port.has_value());
  EXPECT_FALSE(p.user.has_value());
  EXPECT_FALSE(p.password.has_value());
  EXPECT_FALSE(p.socket.has_value());
  EXPECT_FALSE(p.defaults_file.has_value());
}

}  // namespace
}  // namespace shadowalter
