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

// The same, with the values of each row named by `names`: each column of
// the function's declared result takes the value of the same name (NULL
// when there is none, and values of other names are left out), so the C
// function serves every version of its SQL declaration the extension has
// had, whatever their column order — a database whose ALTER EXTENSION
// UPDATE has not run yet still gets correct rows.
Datum return_named_rows(FunctionCallInfo fcinfo, const std::vector<std::string> &names,
                        const std::vector<TextRow> &rows);

} // namespace pgclone::sql_api
