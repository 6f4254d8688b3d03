// A partition bound read from the source server, checked with the target's
// own parser before it is spliced into DDL.
//
// pgclone writes the text the source's pg_get_expr(relpartbound) returns
// into CREATE TABLE ... PARTITION OF and ALTER TABLE ... ATTACH PARTITION.
// PostgreSQL evaluates a bound's expressions once, when the partition is
// created or attached, as the role running the statement: a source that
// answers with a function call in its bound would have it run on the
// target. A real catalog stores bounds as constants, and pg_get_expr prints
// them as literals, so only that is accepted.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>

namespace pgclone::pg {

// Throws core::Error (SQLSTATE 08P01, core::sqlstate::protocol_violation)
// naming partition (a display name) unless bound is exactly one partition
// bound of constants, as pg_get_expr prints one: DEFAULT; FOR VALUES WITH
// (modulus m, remainder r); FOR VALUES IN (...) of literals and NULL; FOR
// VALUES FROM (...) TO (...) of literals, MINVALUE and MAXVALUE. Nothing
// before, after or between (another clause, a comment running past its
// end, a second statement).
void require_constant_partition_bound(const std::string &bound, const std::string &partition);

} // namespace pgclone::pg
