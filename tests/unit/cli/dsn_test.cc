#include "cli/dsn.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shadowalter {
namespace {

::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) == std::string::npos) {
    return ::testing::AssertionFailure() << "\"" << text << "\" lacks \"" << part << "\"";
  }
  return ::testing::AssertionSuccess() << "\"" << text << "\" contains \"" << part << "\"";
}

ConnectionConfig MustParse(std::string_view dsn) {
  StatusOr<ConnectionConfig> conn = ParseDsn(dsn);
  EXPECT_TRUE(conn.ok()) << dsn << ": " << conn.status().message();
  return conn.ok() ? *conn : ConnectionConfig{};
}

// The message of the usage error ParseDsn must return for `dsn`.
std::string ErrorOf(std::string_view dsn) {
  StatusOr<ConnectionConfig> conn = ParseDsn(dsn);
  EXPECT_FALSE(conn.ok()) << "expected an error for: " << dsn;
  if (conn.ok()) return "";
  EXPECT_EQ(conn.status().code(), Code::kUsage) << dsn;
  EXPECT_EQ(conn.status().message().find('\n'), std::string::npos) << "not one line";
  return conn.status().message();
}

TEST(ParseDsnTest, ReadsEveryKey) {
  const ConnectionConfig c =
      MustParse("h=db1.example,P=3307,u=app,p=pw,S=/run/mysqld.sock,D=shop,t=orders,F=/etc/x.cnf");
  EXPECT_EQ(c.host, "db1.example");
  EXPECT_EQ(c.port, 3307u);
  EXPECT_EQ(c.user, "app");
  EXPECT_EQ(c.password, "pw");
  EXPECT_EQ(c.socket, "/run/mysqld.sock");
  EXPECT_EQ(c.database, "shop");
  EXPECT_EQ(c.table, "orders");
  EXPECT_EQ(c.defaults_file, "/etc/x.cnf");
}

TEST(ParseDsnTest, LeavesUnnamedFieldsUnset) {
  const ConnectionConfig c = MustParse("t=orders");
  EXPECT_FALSE(c.host.has_value());
  EXPECT_FALSE(c.port.has_value());
  EXPECT_FALSE(c.user.has_value());
  EXPECT_FALSE(c.password.has_value());
  EXPECT_FALSE(c.socket.has_value());
  EXPECT_FALSE(c.defaults_file.has_value());
  EXPECT_EQ(c.database, "");
  EXPECT_EQ(c.table, "orders");
}

TEST(ParseDsnTest, KeysAreCaseSensitive) {
  const ConnectionConfig c = MustParse("P=3306,p=3307");
  EXPECT_EQ(c.port, 3306u);
  EXPECT_EQ(c.password, "3307");
  EXPECT_TRUE(Contains(ErrorOf("H=db1"), "unknown DSN key 'H'"));
  EXPECT_TRUE(Contains(ErrorOf("d=shop"), "unknown DSN key 'd'"));
}

TEST(ParseDsnTest, OnlyTheFirstEqualsSplits) {
  EXPECT_EQ(MustParse("p=a=b==c").password, "a=b==c");
  EXPECT_EQ(MustParse("p==").password, "=");
}

TEST(ParseDsnTest, EscapedCommaAndBackslash) {
  const ConnectionConfig c = MustParse(R"(p=a\,b\\c,D=shop)");
  EXPECT_EQ(c.password, R"(a,b\c)");
  EXPECT_EQ(c.database, "shop");
  // An escaped backslash does not escape the comma after it.
  const ConnectionConfig d = MustParse(R"(p=x\\,D=shop)");
  EXPECT_EQ(d.password, R"(x\)");
  EXPECT_EQ(d.database, "shop");
  EXPECT_EQ(MustParse(R"(t=a\,\,b)").table, "a,,b");
}

TEST(ParseDsnTest, OtherBackslashesAreKeptAsWritten) {
  EXPECT_EQ(MustParse(R"(p=a\nb)").password, R"(a\nb)");
  EXPECT_EQ(MustParse(R"(p=ab\)").password, R"(ab\)");
}

TEST(ParseDsnTest, EmptyPasswordIsAPassword) {
  const ConnectionConfig c = MustParse("p=,t=orders");
  ASSERT_TRUE(c.password.has_value());
  EXPECT_EQ(*c.password, "");
}

TEST(ParseDsnTest, PortRange) {
  EXPECT_EQ(MustParse("P=1").port, 1u);
  EXPECT_EQ(MustParse("P=65535").port, 65535u);
  EXPECT_EQ(MustParse("P=03306").port, 3306u);
  for (const char* bad : {"P=0", "P=65536", "P=-1", "P=+1", "P= 1", "P=1 ", "P=12ab", "P=abc",
                          "P=3306.0", "P=99999999999999999999999"}) {
    const std::string message = ErrorOf(bad);
    EXPECT_TRUE(Contains(message, "port")) << bad;
    EXPECT_TRUE(Contains(message, "1 to 65535")) << bad;
  }
}

TEST(ParseDsnTest, EmptyDsn) { EXPECT_TRUE(Contains(ErrorOf(""), "empty DSN")); }

TEST(ParseDsnTest, UnknownKeyListsTheValidOnes) {
  const std::string message = ErrorOf("h=db1,host=db2");
  EXPECT_TRUE(Contains(message, "unknown DSN key 'host'"));
  for (const char* key : {"h (host)", "P (port)", "u (user)", "p (password)", "S (socket)",
                          "D (database)", "t (table)", "F (defaults file)"}) {
    EXPECT_TRUE(Contains(message, key));
  }
}

TEST(ParseDsnTest, DuplicateKey) {
  EXPECT_TRUE(Contains(ErrorOf("h=a,D=d,h=b"), "duplicate DSN key h="));
  EXPECT_TRUE(Contains(ErrorOf("p=a,p=b"), "duplicate DSN key p="));
}

TEST(ParseDsnTest, MissingEquals) {
  const std::string message = ErrorOf("h=db1,localhost");
  EXPECT_TRUE(Contains(message, "no '='"));
  EXPECT_TRUE(Contains(message, "'localhost'"));
  EXPECT_TRUE(Contains(message, "element 2"));
}

TEST(ParseDsnTest, EmptyKey) { EXPECT_TRUE(Contains(ErrorOf("h=a,=b"), "empty key")); }

TEST(ParseDsnTest, EmptyElement) {
  EXPECT_TRUE(Contains(ErrorOf("h=a,,D=d"), "empty element 2"));
  EXPECT_TRUE(Contains(ErrorOf("h=a,"), "empty element 2"));
  EXPECT_TRUE(Contains(ErrorOf(","), "empty element 1"));
}

TEST(ParseDsnTest, EmptyValueOtherThanPassword) {
  for (const char* key : {"h", "P", "u", "S", "D", "t", "F"}) {
    EXPECT_TRUE(Contains(ErrorOf(std::string(key) + "="),
                         "empty value for DSN key " + std::string(key) + "="));
  }
}

TEST(ParseDsnTest, ErrorsNeverContainThePassword) {
  const std::string secret = "Zq9-secret";
  const std::vector<std::string> bad = {
      "p=" + secret + ",x=1",         "p=" + secret + ",h=a,h=b", "p=" + secret + ",P=0",
      "p=" + secret + ",,t=a",        "p=" + secret + ",nokey",   "p=" + secret + ",=v",
      "p=" + secret + ",p=" + secret, "x=1,p=" + secret,
  };
  for (const std::string& dsn : bad) {
    EXPECT_FALSE(Contains(ErrorOf(dsn), secret)) << dsn;
  }
  // A password with an unescaped comma: the part after the comma is not echoed either, and the
  // message says how to fix it.
  for (const std::string& dsn : {std::string("p=Zq9-se,cret"), std::string("p=Zq9-se,cr=et"),
                                 std::string("p=Zq9-se,P=cret")}) {
    const std::string message = ErrorOf(dsn);
    EXPECT_FALSE(Contains(message, "Zq9")) << dsn;
    EXPECT_FALSE(Contains(message, "cr")) << dsn;
    EXPECT_TRUE(Contains(message, "write it as \\,")) << dsn;
  }
}

TEST(ParseDsnTest, ReadsTheTlsKeys) {
  const ConnectionConfig c = MustParse(
      "h=db1,ssl-mode=verify_identity,ssl-ca=/etc/ca.pem,ssl-cert=/etc/c.pem,"
      "ssl-key=/etc/k=1.pem,D=shop,t=orders");
  EXPECT_EQ(c.dsn_tls.mode, TlsMode::kVerifyIdentity);
  EXPECT_EQ(c.dsn_tls.ca, "/etc/ca.pem");
  EXPECT_EQ(c.dsn_tls.cert, "/etc/c.pem");
  EXPECT_EQ(c.dsn_tls.key, "/etc/k=1.pem");
  // The DSN's keys are only recorded; ParseCommandLine folds them into tls under the flags.
  EXPECT_EQ(c.tls.mode, TlsMode::kPreferred);
  EXPECT_FALSE(c.tls.ca.has_value());
  EXPECT_TRUE(MustParse("t=orders").dsn_tls.empty());
  EXPECT_EQ(MustParse("ssl-mode=DISABLED").dsn_tls.mode, TlsMode::kDisabled);
  EXPECT_EQ(MustParse(R"(ssl-ca=/a\,b)").dsn_tls.ca, "/a,b");
}

TEST(ParseDsnTest, TlsKeyErrors) {
  EXPECT_TRUE(Contains(ErrorOf("ssl-mode=SOMETIMES"), "bad ssl-mode in DSN 'SOMETIMES'"));
  EXPECT_TRUE(Contains(ErrorOf("ssl-mode=SOMETIMES"), "VERIFY_IDENTITY"));
  for (const char* key : {"ssl-mode", "ssl-ca", "ssl-cert", "ssl-key"}) {
    EXPECT_TRUE(Contains(ErrorOf(std::string(key) + "="),
                         "empty value for DSN key " + std::string(key) + "="));
    EXPECT_TRUE(Contains(ErrorOf(std::string(key) + "=REQUIRED," + key + "=REQUIRED"),
                         "duplicate DSN key " + std::string(key) + "="));
  }
  EXPECT_TRUE(Contains(ErrorOf("SSL-MODE=REQUIRED"), "unknown DSN key 'SSL-MODE'"));
  EXPECT_TRUE(Contains(ErrorOf("ssl_mode=REQUIRED"), "unknown DSN key 'ssl_mode'"));
  EXPECT_TRUE(Contains(ErrorOf("ssl=1"), "ssl-mode, ssl-ca, ssl-cert, ssl-key"));
  // The rest of a password with an unescaped comma is not echoed as a bad mode either.
  const std::string message = ErrorOf("p=Zq9-se,ssl-mode=cret");
  EXPECT_FALSE(Contains(message, "cret"));
  EXPECT_TRUE(Contains(message, "write it as \\,"));
}

// pt-online-schema-change's A= (character set): utf8mb4, the set every session uses, is accepted
// so its DSNs work as written; another set is refused, not ignored.
TEST(ParseDsnTest, CharacterSetKey) {
  const ConnectionConfig c = MustParse("h=db1,A=utf8mb4,D=shop,t=orders");
  EXPECT_EQ(c.host, "db1");
  EXPECT_EQ(c.table, "orders");
  for (const char* other : {"latin1", "utf8", "UTF8MB4", "utf8mb3"}) {
    const std::string message = ErrorOf(std::string("A=") + other + ",t=orders");
    EXPECT_TRUE(Contains(message, "unsupported character set in DSN '" + std::string(other) + "'"));
    EXPECT_TRUE(Contains(message, "give A=utf8mb4 or leave A= out"));
  }
  EXPECT_TRUE(Contains(ErrorOf("A=utf8mb4,A=utf8mb4"), "duplicate DSN key A="));
  EXPECT_TRUE(Contains(ErrorOf("a=utf8mb4"), "unknown DSN key 'a'"));
  // The rest of a password with an unescaped comma is not echoed as a character set.
  const std::string message = ErrorOf("p=Zq9-se,A=cret");
  EXPECT_FALSE(Contains(message, "cret"));
  EXPECT_TRUE(Contains(message, "write it as \\,"));
}

TEST(ParsePortNumberTest, AcceptsOnlyDecimalPorts) {
  EXPECT_EQ(ParsePortNumber("3306"), 3306u);
  EXPECT_EQ(ParsePortNumber(""), std::nullopt);
  EXPECT_EQ(ParsePortNumber("0"), std::nullopt);
  EXPECT_EQ(ParsePortNumber("65536"), std::nullopt);
  EXPECT_EQ(ParsePortNumber("0x10"), std::nullopt);
}

TEST(MergeConnectionTest, SetFieldsOverride) {
  ConnectionConfig into = MustParse("h=a,P=1,u=ua,p=pa,S=sa,D=da,t=ta,F=fa");
  const ConnectionConfig from = MustParse("h=b,P=2,u=ub,p=pb,S=sb,D=db,t=tb,F=fb");
  MergeConnection(into, from);
  EXPECT_EQ(into.host, "b");
  EXPECT_EQ(into.port, 2u);
  EXPECT_EQ(into.user, "ub");
  EXPECT_EQ(into.password, "pb");
  EXPECT_EQ(into.socket, "sb");
  EXPECT_EQ(into.database, "db");
  EXPECT_EQ(into.table, "tb");
  EXPECT_EQ(into.defaults_file, "fb");
}

TEST(MergeConnectionTest, TlsKeysOverrideOneByOne) {
  ConnectionConfig into = MustParse("ssl-mode=REQUIRED,ssl-ca=/a");
  MergeConnection(into, MustParse("ssl-ca=/b,ssl-key=/k"));
  EXPECT_EQ(into.dsn_tls.mode, TlsMode::kRequired);
  EXPECT_EQ(into.dsn_tls.ca, "/b");
  EXPECT_FALSE(into.dsn_tls.cert.has_value());
  EXPECT_EQ(into.dsn_tls.key, "/k");
}

TEST(MergeConnectionTest, UnsetFieldsKeepTheOldValue) {
  ConnectionConfig into = MustParse("h=a,P=1,u=ua,p=pa,S=sa,D=da,t=ta,F=fa");
  MergeConnection(into, ConnectionConfig{});
  EXPECT_EQ(into.host, "a");
  EXPECT_EQ(into.port, 1u);
  EXPECT_EQ(into.user, "ua");
  EXPECT_EQ(into.password, "pa");
  EXPECT_EQ(into.socket, "sa");
  EXPECT_EQ(into.database, "da");
  EXPECT_EQ(into.table, "ta");
  EXPECT_EQ(into.defaults_file, "fa");
}

TEST(MergeConnectionTest, EmptyPasswordOverrides) {
  ConnectionConfig into = MustParse("p=old");
  MergeConnection(into, MustParse("p="));
  EXPECT_EQ(into.password, "");
}

TEST(DsnWithoutPasswordTest, ParsesBackToTheSameConnectionWithoutThePassword) {
  ConnectionConfig c = MustParse("h=db1,P=3307,u=mig,p=s3cret,F=/etc/x\\,y.cnf,D=a\\,b,t=t");
  // The TLS settings in force (DSN keys and --ssl-* flags folded together) become DSN keys.
  c.tls.mode = TlsMode::kVerifyCa;
  c.tls.ca = "/ca.pem";
  const std::string dsn = c.DsnWithoutPassword();
  EXPECT_EQ(dsn.find("s3cret"), std::string::npos) << dsn;
  EXPECT_EQ(dsn.find("p="), std::string::npos) << dsn;
  const ConnectionConfig back = MustParse(dsn);
  EXPECT_EQ(back.host, c.host);
  EXPECT_EQ(back.port, c.port);
  EXPECT_EQ(back.user, c.user);
  EXPECT_EQ(back.defaults_file, c.defaults_file);
  EXPECT_EQ(back.database, "a,b");
  EXPECT_EQ(back.table, "t");
  EXPECT_EQ(back.dsn_tls.mode, TlsMode::kVerifyCa);
  EXPECT_EQ(back.dsn_tls.ca, c.tls.ca);
  EXPECT_FALSE(back.password.has_value());
}

TEST(RedactedTest, HostPortDatabaseTable) {
  EXPECT_EQ(MustParse("h=127.0.0.1,P=23306,D=demo,t=orders").Redacted(),
            "127.0.0.1:23306/demo.orders");
  EXPECT_EQ(MustParse("h=db1,D=demo,t=orders").Redacted(), "db1/demo.orders");
  EXPECT_EQ(MustParse("D=demo,t=orders").Redacted(), "localhost/demo.orders");
}

TEST(RedactedTest, SocketWhenTheLibraryWouldUseIt) {
  EXPECT_EQ(MustParse("S=/run/my.sock,D=demo,t=orders").Redacted(),
            "socket=/run/my.sock/demo.orders");
  EXPECT_EQ(MustParse("h=localhost,S=/run/my.sock,D=demo,t=orders").Redacted(),
            "socket=/run/my.sock/demo.orders");
  EXPECT_EQ(MustParse("h=db1,S=/run/my.sock,D=demo,t=orders").Redacted(), "db1/demo.orders");
}

TEST(RedactedTest, ShowsUserNeverPassword) {
  const std::string shown = MustParse("h=db1,P=3306,u=app,p=hunter2,D=demo,t=orders").Redacted();
  EXPECT_EQ(shown, "app@db1:3306/demo.orders");
  EXPECT_FALSE(Contains(shown, "hunter2"));
}

}  // namespace
}  // namespace shadowalter
