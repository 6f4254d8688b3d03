-- test/fault/lib/range_tree.sql -- a partition tree of every shape a clone must keep, in the schema
-- named by the psql variable "schema" (psql -v schema=NAME -f ...): a partitioned table with a
-- key, an index and an expression index; a partition with storage settings, one whose column
-- order is not its parent's with an index of its own, a sub-partitioned one, a default one and
-- one with a CHECK of its own (attached after its rows and checks); 3,000 rows over all of them.
CREATE SCHEMA :"schema";
SET search_path = :"schema";
CREATE TABLE r (id int NOT NULL, k int NOT NULL, name text, PRIMARY KEY (id, k)) PARTITION BY RANGE (k);
CREATE INDEX r_name ON r (name);
CREATE INDEX r_lower ON r (lower(name));
CREATE TABLE r_1 PARTITION OF r FOR VALUES FROM (0) TO (10) WITH (fillfactor = 60);
-- Column order not the parent's, and an index of its own.
CREATE TABLE r_2 (name text, k int NOT NULL, id int NOT NULL);
ALTER TABLE r ATTACH PARTITION r_2 FOR VALUES FROM (10) TO (20);
CREATE INDEX r_2_local ON r_2 (k) WHERE k > 15;
-- Sub-partitioned.
CREATE TABLE r_sub PARTITION OF r FOR VALUES FROM (20) TO (40) PARTITION BY RANGE (id);
CREATE TABLE r_sub_a PARTITION OF r_sub FOR VALUES FROM (MINVALUE) TO (100);
CREATE TABLE r_sub_b PARTITION OF r_sub FOR VALUES FROM (100) TO (MAXVALUE);
CREATE TABLE r_def PARTITION OF r DEFAULT;
-- A check of its own: attached after its rows and checks.
CREATE TABLE r_chk PARTITION OF r (CONSTRAINT r_chk_id CHECK (id > 0)) FOR VALUES FROM (40) TO (50);
INSERT INTO r SELECT g, g % 60, 'n' || g FROM generate_series(1, 3000) g;
RESET search_path;
