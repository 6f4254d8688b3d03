// A table plan read ahead: the definitions of a schema clone's tables, read
// on a second session of the source while the clone's own session reads the
// rest of the plan and the target creates the first tables. Without it the
// target waits, idle, for the whole plan before its first table (about a
// fifth of a clone of 500 small tables).
//
// The queries go out in pipeline mode, two slices ahead: the owners and
// privileges of the plan's objects (privilege_reader.hpp: the clone needs
// them only once its plan is read, and on the clone's own session they
// were its slowest query before the first table), then the kind queries
// of the first two slices; when a slice's kind replies are in (read
// between two tables, pump), the queries for the positions of its sequences
// (sequence_positions.hpp: they name each sequence, so they wait for the
// slice's sequences) and the kind queries of the next slice not queued yet.
// The source works through them while the caller clones; take_next files the
// next slice into the plan, waiting for its replies only if the source is
// behind. The slices grow (core::read_ahead_slices: 64, 128, 256, ...
// tables), so that each arrives before the tables before it are cloned, in a
// few queries each. The settings of every table (table_settings_reader.hpp)
// are queued after the last slice: the source reads them while the tables
// are cloned, and the table settings phase finds them read (take_settings()).
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/catalog/privilege_reader.hpp"
#include "pgclone/catalog/table_plan.hpp"
#include "pgclone/core/table_settings.hpp"
#include "pgclone/libpq/connection.hpp"

namespace pgclone::catalog {

class PlanReadAhead {
public:
	// Slices `oids` and sends the privileges query of `schemas` and the kind
	// queries of the first two slices on `session` (a second session of the
	// source under the clone's snapshot, which the read-ahead owns and closes).
	PlanReadAhead(libpq::Connection session, const std::vector<std::string> &oids,
	              const std::vector<std::string> &schemas);

	// The owners and privileges of the objects of the schemas, as
	// read_privileges gives them (waits for them; moved out: once).
	std::vector<ObjectPrivileges> take_privileges();

	// Whether table `oid` is in a slice not taken yet.
	bool pending(const std::string &oid) const { return pending_.count(oid) != 0; }
	bool done() const { return next_ == slices_.size(); }
	// Files the next slice into `plan` (waits for its replies); what is
	// left of it (complete_table_plan: the types its columns need that the
	// plan lacks, the first slice's sequence positions) is read on `src`,
	// the clone's own session, idle between two tables.
	void take_next(TablePlan &plan, libpq::Connection &src);
	// Files the replies that have arrived, and queues what they make
	// possible, without waiting (between two tables).
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
	// What the reply of a queued query is, in the order they were queued:
	// the privileges, kind `index` of table_kinds() for a slice, position query `index` of a
	// slice, the settings or the policies of every table.
	struct Reply {
		enum What { privileges, kind, positions, settings, policies } what;
		std::size_t slice;
		std::size_t index;
	};
	// Queues the kind queries of the next slice not queued yet.
	void queue_kinds();
	// After a slice's last kind reply: queues what follows it.
	void kinds_filed(std::size_t slice);
	// Waits for the next reply and files it.
	void file_next();

	libpq::Connection session_;
	int version_;
	std::vector<std::vector<std::string>> slices_;
	std::string all_oids_;
	// Per slice: its entries as filed so far, the replies it still waits
	// for, the sequences its position queries read.
	std::vector<TablePlan> filed_;
	std::vector<std::size_t> replies_left_;
	std::vector<std::vector<OwnedSequence *>> sequences_;
	std::deque<Reply> expected_;
	std::size_t queued_kinds_ = 0;
	std::size_t next_ = 0;
	std::set<std::string> pending_;
	bool closed_ = false;
	std::vector<ObjectPrivileges> privileges_;
	bool privileges_filed_ = false;
	std::optional<libpq::Result> settings_reply_;
	std::map<std::string, core::TableSettings> settings_;
};

} // namespace pgclone::catalog
