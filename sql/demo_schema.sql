-- The demo table of shadowalter: an orders table with ~200-byte rows, two secondary indexes and
-- an ON UPDATE timestamp. Valid on MySQL 8.0 and MariaDB 10.6+; re-runnable (IF NOT EXISTS).
-- Loaded by scripts/demo.sh on the sandbox and by docker-compose.yml on first container start.

CREATE DATABASE IF NOT EXISTS demo CHARACTER SET utf8mb4;

CREATE TABLE IF NOT EXISTS demo.orders (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  customer_id INT UNSIGNED    NOT NULL,
  status      ENUM('new', 'paid', 'shipped', 'cancelled') NOT NULL DEFAULT 'new',
  amount      DECIMAL(12, 2)  NOT NULL,
  currency    CHAR(3)         NOT NULL DEFAULT 'EUR',
  note        VARCHAR(120)    NOT NULL,
  created_at  DATETIME(6)     NOT NULL,
  updated_at  TIMESTAMP(6)    NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),
  PRIMARY KEY (id),
  KEY idx_customer (customer_id),
  KEY idx_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
