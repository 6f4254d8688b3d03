// The columns of many tables at once, as the masking rules see them
// (name, type, category, NOT NULL, generated), with each partition's
// ancestors: what the require_masks gate needs to judge a whole plan before
// any row moves. One query for any number of tables.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "pgclone/catalog/query.hpp"
#include "pgclone/core/mask_compiler.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

struct MaskTable {
	std::string schema, name;
	std::vector<std::pair<std::string, std::string>> ancestors; // partition or inheritance parents: nearest first
	std::vector<core::MaskColumn> columns;
};

// Tables by oid, in the order of `oids`; oids the catalog does not know
// are left out. On the source (libpq) or on the target (SPI: the masking
// report reads local tables through the same query).
std::vector<MaskTable> read_mask_tables(const QueryFn &query, const std::vector<std::string> &oids);
std::vector<MaskTable> read_mask_tables(libpq::Connection &src, const std::vector<std::string> &oids);

// The SQL expression (over pg_class c) of a table's ancestors as JSON
// [[schema, table], ...], nearest first: the partitioned tables above a
// partition, the INHERITS parents of an inheritance child; NULL for a table
// without parents. Shared by every reader that resolves masks through parents.
extern const char *const ancestors_json_sql;

} // namespace pgclone::catalog
