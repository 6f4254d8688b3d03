// In-line masking for clones: the "mask" and "require_masks" options of one
// table clone, applied on the source side of the COPY (docs/ARCHITECTURE.md).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/core/ddl.hpp"
#include "pgclone/core/mask_compiler.hpp"
#include "pgclone/core/options.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::copy {

// The compiler's view of a table's columns.
std::vector<core::MaskColumn> mask_columns(const core::TableDef &def);

// The require_masks gate for one table: throws the refusal (listing every
// sensitive column without a mask) unless each is a key of `mask`.
void check_require_masks(const core::TableDef &def, const nlohmann::json *mask);

// The require_masks gate for a whole schema/database plan, before any row
// moves (also before a pool starts): reads the columns of every table
// (`oids`, the tables that hold rows, partitions included) in one query,
// resolves each table's mask from `masks` (a partition's through its
// ancestors), and throws one refusal listing every unmasked sensitive
// column of every table.
void check_require_masks(libpq::Connection &src, const std::vector<std::string> &oids,
                         const nlohmann::json *masks);

// For a table clone, before anything is created on the target: compiles the
// "mask" option for the columns of `def` (the columns that are cloned),
// enforces "require_masks" when rows are copied, sets the session settings
// that carry pseudonymization keys on the source (as bind parameters, so
// that no key is ever part of a query text), and has the source plan the
// masked select once, so that an invalid constant or cast fails now.
// Returns column -> expression for the COPY query; empty when nothing is
// masked.
std::map<std::string, std::string> prepare_inline_masks(libpq::Connection &src, const core::TableDef &def,
                                                        const core::CloneOptions &options, bool include_data);

} // namespace pgclone::copy
