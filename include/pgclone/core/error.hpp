// pgclone::core::Error — the one exception type of the pure-logic layer.
//
// core/ never sees a server header, so it cannot name ERRCODE_* macros. It
// carries the five-character SQLSTATE as text instead; the SQL entry shim
// (src/pg/guard.cpp) turns it into MAKE_SQLSTATE(...) when it re-raises.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace pgclone::core {

// Five-character SQLSTATE codes used by core (a subset of errcodes.txt).
namespace sqlstate {
inline constexpr const char *invalid_parameter_value = "22023";
inline constexpr const char *invalid_text_representation = "22P02";
inline constexpr const char *syntax_error = "42601";
inline constexpr const char *invalid_name = "42602";
inline constexpr const char *name_too_long = "42622";
inline constexpr const char *undefined_column = "42703";
inline constexpr const char *undefined_table = "42P01";
inline constexpr const char *invalid_schema_name = "3F000";
inline constexpr const char *duplicate_table = "42P07";
inline constexpr const char *duplicate_object = "42710";
inline constexpr const char *datatype_mismatch = "42804";
inline constexpr const char *insufficient_privilege = "42501";
inline constexpr const char *undefined_object = "42704";
inline constexpr const char *connection_failure = "08006";
inline constexpr const char *connection_exception = "08000";
inline constexpr const char *password_required = "2F003"; // SQL routine exception: password_required
inline constexpr const char *feature_not_supported = "0A000";
inline constexpr const char *null_value_not_allowed = "22004";
inline constexpr const char *duplicate_function = "42723";
inline constexpr const char *insufficient_resources = "53000";
inline constexpr const char *out_of_memory = "53200";
inline constexpr const char *configuration_limit_exceeded = "53400";
inline constexpr const char *program_limit_exceeded = "54000";
inline constexpr const char *object_not_in_prerequisite_state = "55000";
inline constexpr const char *query_canceled = "57014";
inline constexpr const char *internal_error = "XX000";
inline constexpr const char *foreign_key_violation = "23503";
inline constexpr const char *protocol_violation = "08P01"; // a source reply that is not what was asked for
} // namespace sqlstate

class Error : public std::runtime_error {
public:
	// sqlstate must be five characters; anything else is recorded as XX000.
	explicit Error(std::string message, const char *sqlstate = sqlstate::internal_error,
	               std::string detail = {}, std::string hint = {})
	    : std::runtime_error(std::move(message)), detail_(std::move(detail)), hint_(std::move(hint)) {
		const char *src = (sqlstate && std::char_traits<char>::length(sqlstate) == 5) ? sqlstate : "XX000";
		std::char_traits<char>::copy(sqlstate_, src, 5);
		sqlstate_[5] = '\0';
	}

	const char *sqlstate() const noexcept { return sqlstate_; }
	const std::string &detail() const noexcept { return detail_; }
	const std::string &hint() const noexcept { return hint_; }

private:
	char sqlstate_[6];
	std::string detail_;
	std::string hint_;
};

} // namespace pgclone::core
