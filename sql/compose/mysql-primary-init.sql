-- First start of the mysql-primary container (docker-compose.yml mounts this file into
-- /docker-entrypoint-initdb.d). These statements are binlogged on purpose: the replica replicates
-- from the primary's first GTID, so it gets the same users (and the demo schema loaded after this).
-- mysql_native_password keeps every client library happy without TLS or RSA key exchange
-- (MySQL 8.0's default, caching_sha2_password, needs one of them for the first login).

CREATE USER IF NOT EXISTS 'sandbox'@'%' IDENTIFIED WITH mysql_native_password BY 'sandbox-pass';
GRANT ALL PRIVILEGES ON *.* TO 'sandbox'@'%' WITH GRANT OPTION;

CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED WITH mysql_native_password BY 'repl-pass';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';
