// Tables of the *target* (local) database as the masking functions see them,
// read through SPI in the caller's transaction.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "pgclone/core/mask_compiler.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::masking {

struct LocalTable {
	std::string schema;
	std::string name;
	std::string oid;
	std::string owner_oid;
	char relkind = 'r';                    // r table, p partitioned table
	std::vector<core::MaskColumn> columns; // in attnum order
};

// The table (or partitioned table) schema.name. Throws invalid_schema_name /
// undefined_table naming "schema"."name".
LocalTable read_local_table(pg::Spi &spi, const std::string &schema, const std::string &name);

// Throws invalid_schema_name unless the schema exists.
void require_local_schema(pg::Spi &spi, const std::string &schema);

// Throws insufficient_privilege unless the current user is (a member of)
// the table's owner: only the owner may change who can read it.
void require_table_owner(pg::Spi &spi, const LocalTable &t);

// Sets / clears the transaction-local settings that carry pseudonymization
// keys (core::CompiledMasks::settings), always as bind parameters.
void set_key_settings(pg::Spi &spi, const std::vector<std::pair<std::string, std::string>> &settings);
void clear_key_settings(pg::Spi &spi, const std::vector<std::pair<std::string, std::string>> &settings);

} // namespace pgclone::masking
