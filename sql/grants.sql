-- The least privileges shadowalter's account needs. Replace `shop` with the schema of the tables
-- you alter, and 'shadowalter'@'10.%' / the password with your own.
--
-- Per schema (the shadow table _<t>_new, the old table _<t>_old and the triggers live next to the
-- table being altered):
--   SELECT                  read the original (copy, verification)
--   INSERT, UPDATE, DELETE  fill the new table (the copy; the diagnosis of a verification mismatch)
--   CREATE, ALTER, INDEX    create the new table and apply the ALTER to it; RENAME TABLE needs
--   DROP                    ALTER + DROP on the old name and CREATE + INSERT on the new one
--   TRIGGER                 create and drop the mirroring triggers
--   REFERENCES              recreate FOREIGN KEYs of the table on the new table (MySQL 8)
--   LOCK TABLES             the brief write lock under which the swap's last checks run and the
--                           RENAME is queued (with --preserve-triggers, the table's own triggers
--                           move to the new table under it)
--
-- Global:
--   REPLICATION CLIENT      SHOW REPLICA STATUS (MySQL) / SHOW ALL SLAVES STATUS (MariaDB <= 10.4):
--                           shadowalter refuses to run on a replica, and must be able to tell
--   SLAVE MONITOR           the same on MariaDB 10.5 and later (REPLICATION CLIENT no longer covers it)
--   PROCESS                 see the replicas' dump threads (replica discovery, which must not
--                           miss one) and name the sessions blocking a metadata lock
--   REPLICATION MASTER ADMIN  SHOW SLAVE HOSTS (MariaDB 10.5.2 and later): discovery by `hosts`,
--                           which finds each replica's port (MySQL: REPLICATION SLAVE)
--
-- On each replica, the account lag is read with (this one as replicated, or --replica-user's):
-- REPLICATION CLIENT / SLAVE MONITOR to read its lag, PROCESS to see its own replicas (discovery
-- looks into every replica it reaches, and refuses when it can't see), and on MariaDB 10.5.2+
-- REPLICATION MASTER ADMIN for discovery by `hosts` there.
--
-- With binary logging on, creating a trigger needs SUPER unless the server runs with
-- log_bin_trust_function_creators = 1 (on RDS/Aurora-like services: set it in the parameter
-- group). Prefer the setting over granting SUPER. With --preserve-triggers, recreating a trigger
-- whose definer is another account also needs SET USER (MariaDB 10.5+) or SUPER.

CREATE USER IF NOT EXISTS 'shadowalter'@'10.%' IDENTIFIED BY 'change-me';

GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP, TRIGGER, REFERENCES,
  LOCK TABLES ON `shop`.* TO 'shadowalter'@'10.%';

GRANT REPLICATION CLIENT, PROCESS ON *.* TO 'shadowalter'@'10.%';

-- MariaDB 10.5 and later only (comment out on MySQL):
GRANT SLAVE MONITOR, REPLICATION MASTER ADMIN ON *.* TO 'shadowalter'@'10.%';

-- MySQL only (for SHOW REPLICAS; comment out on MariaDB):
-- GRANT REPLICATION SLAVE ON *.* TO 'shadowalter'@'10.%';
