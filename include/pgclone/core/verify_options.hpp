// The options of pgclone.verify() (4.5.0): which way row counts are compared.
#pragma once

#include <optional>
#include <string_view>

#include "pgclone/core/options.hpp"

namespace pgclone::core {

enum class VerifyMode {
	Fast,    // pg_class.reltuples (planner statistics), no table scan
	Exact,   // count(*) on both sides, the source under one snapshot
	Checksum // count(*) plus an order-independent hash of every row's text
};

const char *to_string(VerifyMode mode) noexcept;

// Parses {"mode": "fast" | "exact" | "checksum"} (and "subset", see below).
// Empty or blank text and JSON null give the default (fast). Strict: any other key, a duplicate key, a
// value of the wrong type or an unknown mode is an error (SQLSTATE 22023;
// 22P02 for text that is not JSON).
VerifyMode parse_verify_options(std::string_view text);

// The whole options: {"mode": ..., "subset": {<the options of a subset
// clone>}}. With "subset" (parsed by parse_options, and holding "where" as
// an object or "sample"), verify compares the target with the rows that
// subset keeps; the mode is then "exact" unless given ("fast" is refused).
struct VerifyOptions {
	VerifyMode mode = VerifyMode::Fast;
	std::optional<CloneOptions> subset;
};
VerifyOptions parse_verify_options_full(std::string_view text);

// The `match` column: "✓", "✗" or "✗ (missing)".
const char *verify_match_text(bool missing_on_target, bool equal) noexcept;

} // namespace pgclone::core
