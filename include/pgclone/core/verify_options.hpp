// The options of pgclone.verify() (4.5.0): which way row counts are compared.
#pragma once

#include <string_view>

namespace pgclone::core {

enum class VerifyMode {
	Fast,    // pg_class.reltuples (planner statistics), no table scan
	Exact,   // count(*) on both sides, the source under one snapshot
	Checksum // count(*) plus an order-independent hash of every row's text
};

const char *to_string(VerifyMode mode) noexcept;

// Parses {"mode": "fast" | "exact" | "checksum"}. Empty or blank text and JSON
// null give the default (fast). Strict: any other key, a duplicate key, a
// value of the wrong type or an unknown mode is an error (SQLSTATE 22023;
// 22P02 for text that is not JSON).
VerifyMode parse_verify_options(std::string_view text);

// The `match` column: "✓", "✗" or "✗ (missing)".
const char *verify_match_text(bool missing_on_target, bool equal) noexcept;

} // namespace pgclone::core
