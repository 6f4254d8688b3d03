-- Rows with builtin = true come with the extension; the ones users add are
-- dumped by pg_dump (and cloned by pgclone.database) through the filter.
CREATE TABLE cfgtest.units (id integer PRIMARY KEY, name text NOT NULL, builtin boolean NOT NULL DEFAULT false);
INSERT INTO cfgtest.units VALUES (1, 'metre', true), (2, 'second', true);
SELECT pg_catalog.pg_extension_config_dump('cfgtest.units', 'WHERE NOT builtin');
-- A whole table (no filter): every row is the user's.
CREATE TABLE cfgtest.notes (id integer PRIMARY KEY, note text);
SELECT pg_catalog.pg_extension_config_dump('cfgtest.notes', '');
