// SQL entry point of the progress board: pgclone.clone_progress_entries(),
// which the view pgclone.clone_progress reads. The extern "C" shim only
// calls pg::invoke.
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/core/error.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/progress/board.hpp"
#include "pgclone/sql_api/srf.hpp"

namespace pgclone::sql_api {

namespace {

std::optional<std::string> timestamp_value(TimestampTz ts) {
	if (ts == 0)
		return std::nullopt;
	return std::string(pg::call([=] { return timestamptz_to_str(ts); }));
}

std::optional<std::string> text_value(const std::string &s) {
	if (s.empty())
		return std::nullopt;
	return s;
}

Datum clone_progress_entries(FunctionCallInfo fcinfo) {
	if (!progress::board_available())
		throw core::Error("pgclone.clone_progress needs pgclone in shared_preload_libraries",
		                  core::sqlstate::object_not_in_prerequisite_state,
		                  "The progress of running clones is kept in shared memory, which only a library loaded at server start can have.",
		                  "Add pgclone to shared_preload_libraries in postgresql.conf and restart the server.");
	static const std::vector<std::string> names = {
	    "pid",           "datid",        "userid",         "kind",        "subject",
	    "started",       "phase",        "phase_started",  "tables_total", "tables_done",
	    "current_table", "rows_done",    "bytes_estimate", "bytes_estimate_done", "current_estimate"};
	std::vector<TextRow> rows;
	for (const progress::EntryView &e : progress::read_board()) {
		rows.push_back({std::to_string(e.pid), std::to_string(e.database_id), std::to_string(e.role_id), e.kind,
		                text_value(e.subject), timestamp_value(e.started), e.phase, timestamp_value(e.phase_started),
		                std::to_string(e.tables_total), std::to_string(e.tables_done), text_value(e.current_table),
		                std::to_string(e.rows_done), std::to_string(e.bytes_estimate),
		                std::to_string(e.bytes_estimate_done), std::to_string(e.current_estimate)});
	}
	return return_named_rows(fcinfo, names, rows);
}

} // namespace

} // namespace pgclone::sql_api

extern "C" {

PG_FUNCTION_INFO_V1(pgclone_clone_progress_entries);
Datum pgclone_clone_progress_entries(PG_FUNCTION_ARGS) {
	return pgclone::pg::invoke(fcinfo, pgclone::sql_api::clone_progress_entries);
}
}
