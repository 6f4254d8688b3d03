// One catalog query interface for both sides (checks, masking): the source (libpq,
// inside its READ ONLY transaction) and the target (SPI, in the caller's
// transaction). The same SQL text runs on both, so definitions printed by
// pg_get_*def() come out the same way when both sessions use
// search_path = pg_catalog (the source session always does; the SQL
// functions of the checks pin it on the target with a SET clause).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pgclone/libpq/connection.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::catalog {

using Rows = std::vector<pg::Row>;
using Params = std::vector<pg::Value>;

// Runs a query with text parameters $1..$n and returns rows of text values.
using QueryFn = std::function<Rows(const std::string &sql, const Params &params)>;

QueryFn source_query(libpq::Connection &src);
QueryFn target_query(pg::Spi &spi);

// Helpers for reading result cells.
inline const std::string &cell(const pg::Row &row, size_t i) {
	static const std::string empty;
	return row[i] ? *row[i] : empty;
}
inline bool cell_bool(const pg::Row &row, size_t i) {
	return row[i] && *row[i] == "t";
}
long long cell_int(const pg::Row &row, size_t i);

} // namespace pgclone::catalog
