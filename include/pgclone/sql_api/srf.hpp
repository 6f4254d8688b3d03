// Set-returning SQL functions in materialize mode: the C++ side computes all
// rows first, then one guarded call hands them to PostgreSQL.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pgclone::sql_api {

using TextRow = std::vector<std::optional<std::string>>;

// Returns rows as the function's result set. Each value is the text form of
// its column (converted by the column type's input function); nullopt is
// SQL NULL. Rows must have as many values as the result type has columns.
Datum return_rows(FunctionCallInfo fcinfo, const std::vector<TextRow> &rows);

} // namespace pgclone::sql_api
