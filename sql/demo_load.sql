-- Fills demo.orders with generated rows, fast, on MariaDB (it needs the Sequence engine, which
-- MariaDB has built in: the virtual table seq_1_to_N holds the integers 1..N).
--
-- Row count: the user variable @demo_rows, default 1000000. Set it in the same session before this
-- file runs, e.g.
--   mariadb ... -e "SET @demo_rows = 200000; SOURCE sql/demo_load.sql;"
--   { echo "SET @demo_rows = 200000;"; cat sql/demo_load.sql; } | mariadb ...
-- (scripts/demo.sh does the latter with DEMO_ROWS). At most 1000000000 rows.
--
-- Rows are inserted in batches of @demo_batch (default 50000) rows, each its own transaction, so
-- a replica applies them as they come instead of one huge transaction at the end. Ids are given
-- explicitly, dense, after the largest id already there (so on an empty table they are exactly
-- 1..@demo_rows, which is what `sa-loadgen --id-max` expects; AUTO_INCREMENT would leave gaps
-- after each INSERT ... SELECT). Everything else is a function of the sequence number.

SET @demo_rows = COALESCE(@demo_rows, 1000000);
SET @demo_batch = COALESCE(@demo_batch, 50000);
SET @demo_base = (SELECT COALESCE(MAX(id), 0) FROM demo.orders);

DELIMITER //
BEGIN NOT ATOMIC
  DECLARE lo BIGINT UNSIGNED DEFAULT 1;
  WHILE lo <= @demo_rows DO
    INSERT INTO demo.orders (id, customer_id, status, amount, currency, note, created_at)
    SELECT
      @demo_base + seq,
      -- 50000 customers, spread over the ids
      1 + (seq * 2654435761) % 50000,
      -- mostly shipped, some new/paid, a few cancelled
      ELT(1 + seq % 10, 'new', 'paid', 'paid', 'shipped', 'shipped', 'shipped', 'shipped',
          'shipped', 'shipped', 'cancelled'),
      -- 1.00 .. 1000.99
      ROUND(1 + ((seq * 7919) % 100000) / 100, 2),
      ELT(1 + seq % 20, 'USD', 'GBP', 'CHF', 'EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'EUR',
          'EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'EUR', 'EUR'),
      -- 80..120 characters, 100 on average
      LEFT(CONCAT(
             ELT(1 + seq % 8, 'Leave at the front door', 'Gift wrap, please',
                 'Call the customer before delivery', 'Fragile: handle with care',
                 'Deliver to the reception desk', 'No special instructions',
                 'Customer asked for an invoice on paper', 'Second attempt after failed delivery'),
             ' - ref ', MD5(seq), ' ', SHA1(seq), ' ', MD5(seq + 1)),
           80 + seq % 41),
      -- from 2024-01-01 on, about one order every 30 seconds, with microseconds
      TIMESTAMP'2024-01-01 00:00:00' + INTERVAL (seq * 30 + seq % 29) SECOND
        + INTERVAL ((seq * 7919) % 1000000) MICROSECOND
    FROM demo.seq_1_to_1000000000
    WHERE seq BETWEEN lo AND LEAST(lo + @demo_batch - 1, @demo_rows);
    SET lo = lo + @demo_batch;
  END WHILE;
END //
DELIMITER ;
