// pgclone.verify(): row counts (and optionally row checksums) of every table
// of the source compared with the table of the same name on the target.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pgclone/core/options.hpp"
#include "pgclone/core/verify_options.hpp"

namespace pgclone::checks {

struct VerifyRow {
	std::string schema;
	std::string table;
	long long source_rows = 0;
	long long target_rows = 0; // 0 when the table is missing on the target
	std::string match;         // core::verify_match_text()
};

// schema: one schema, or every user schema of the source when absent.
// Throws invalid_schema_name when a named schema does not exist on the source.
// subset: the options of a subset clone (core::VerifyOptions): the source
// side counts the rows that subset keeps, found as the clone finds them
// (clone::find_subset) in verify's snapshot.
std::vector<VerifyRow> verify(const std::string &conninfo, const std::optional<std::string> &schema,
                              core::VerifyMode mode, const std::optional<core::CloneOptions> &subset = std::nullopt);

} // namespace pgclone::checks
