-- First start of the mariadb-primary container (docker-compose.yml, profile "mariadb"; mounted into
-- /docker-entrypoint-initdb.d). Binlogged on purpose: the replica replicates from the primary's
-- first GTID, so it gets the same users (and the demo schema loaded after this).

CREATE USER IF NOT EXISTS 'sandbox'@'%' IDENTIFIED BY 'sandbox-pass';
GRANT ALL PRIVILEGES ON *.* TO 'sandbox'@'%' WITH GRANT OPTION;

CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'repl-pass';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';
