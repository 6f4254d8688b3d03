// A table plan read ahead: the definitions of a schema clone's tables, read
// on a second session of the source while the clone's own session reads the
// rest of the plan and the target creates the first tables. Without it the
// target waits, idle, for the whole plan before its first table (about a
// fifth of a clone of 500 small tables).
//
// Every kind query (table_kinds.hpp) of every slice of tables is queued on
// the session at once, in pipeline mode; the source works through them in
// order while the caller clones. take_next files the next slice's replies
// into the plan, waiting for them only if the source is behind. The slices
// grow (core::read_ahead_slices: 64, 128, 256, ... tables), so that each
// arrives before the tables before it are cloned, in a few queries each.
// The settings of every table (table_settings_reader.hpp) are queued after
// the slices: the source reads them while the tables are cloned, and the
// table settings phase finds them read (take_settings()).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/catalog/table_plan.hpp"
#include "pgclone/core/table_settings.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

class PlanReadAhead {
public:
	// Slices `oids` and sends every kind query of every slice on `session`
	// (a second session of the source under the clone's snapshot, which the
	// read-ahead owns and closes).
	PlanReadAhead(libpq::Connection session, const std::vector<std::string> &oids);

	// Whether table `oid` is in a slice not taken yet.
	bool pending(const std::string &oid) const { return pending_.count(oid) != 0; }
	bool done() const { return next_ == slices_.size(); }
	// Files the next slice into `plan` (waits for its replies); what the
	// kinds leave to a second step (complete_table_plan) is read on `src`,
	// the clone's own session, idle between two tables.
	void take_next(TablePlan &plan, libpq::Connection &src);
	// Reads what has arrived, without waiting (between two tables).
	void pump();
	// Takes every slice left, then ends the second session. Call it once the
	// tables read ahead are copied: the session's transaction holds the
	// ACCESS SHARE locks its reads took on them (the size estimates open
	// each table), which keep the source from truncating or rewriting a
	// table between its definition and its rows, until the clone's own
	// session has locked it for its COPY.
	void finish(TablePlan &plan, libpq::Connection &src);
	// After finish: the settings of every table of the read-ahead, as
	// read_table_settings gives them (moved out: once).
	std::map<std::string, core::TableSettings> take_settings() { return std::move(settings_); }

private:
	libpq::Connection session_;
	std::vector<std::vector<std::string>> slices_;
	std::size_t next_ = 0;
	std::set<std::string> pending_;
	bool closed_ = false;
	std::map<std::string, core::TableSettings> settings_;
};

} // namespace pgclone::catalog
