// The table plan read ahead (plan_read_ahead.hpp).
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/plan_read_ahead.hpp"
#include "pgclone/catalog/privilege_reader.hpp"
#include "pgclone/catalog/sequence_positions.hpp"
#include "pgclone/catalog/table_kinds.hpp"
#include "pgclone/catalog/table_settings_reader.hpp"
#include "pgclone/core/read_ahead.hpp"
#include "pgclone/core/schema_plan.hpp"
#include "pgclone/libpq/source_session.hpp"

namespace pgclone::catalog {

PlanReadAhead::PlanReadAhead(libpq::Connection session, const std::vector<std::string> &oids,
                             const std::vector<std::string> &schemas)
    : session_(std::move(session)), version_(session_.server_version()) {
	std::size_t from = 0;
	for (std::size_t size : core::read_ahead_slices(oids.size())) {
		slices_.emplace_back(oids.begin() + from, oids.begin() + from + size);
		from += size;
	}
	pending_.insert(oids.begin(), oids.end());
	all_oids_ = oid_array(oids);
	filed_.resize(slices_.size());
	replies_left_.assign(slices_.size(), kinds::table_kinds().size());
	sequences_.resize(slices_.size());
	session_.begin_pipeline();
	session_.queue_params(privileges_query(), {core::text_array_literal(schemas), std::nullopt});
	expected_.push_back({Reply::privileges, 0, 0});
	for (std::size_t i = 0; i < 2 && i < slices_.size(); i++)
		queue_kinds();
	session_.flush_pipeline();
}

void PlanReadAhead::queue_kinds() {
	const std::size_t slice = queued_kinds_++;
	const std::string array = oid_array(slices_[slice]);
	const auto &all = kinds::table_kinds();
	for (std::size_t i = 0; i < all.size(); i++) {
		session_.queue_params(all[i].sql(version_), {array});
		expected_.push_back({Reply::kind, slice, i});
	}
}

void PlanReadAhead::kinds_filed(std::size_t slice) {
	// Slice 0's positions are read by take_next on the clone's own session:
	// the first tables wait for them, and here they would queue behind
	// slice 1's kinds.
	if (slice > 0) {
		sequences_[slice] = unread_sequence_positions(filed_[slice]);
		const std::vector<std::string> queries = sequence_position_queries(sequences_[slice]);
		for (std::size_t q = 0; q < queries.size(); q++) {
			session_.queue_params(queries[q], {});
			expected_.push_back({Reply::positions, slice, q});
		}
		replies_left_[slice] += queries.size();
	}
	if (queued_kinds_ < slices_.size()) {
		queue_kinds();
		session_.flush_pipeline();
	} else if (slice + 1 == slices_.size()) {
		for (const auto &sql : table_settings_queries())
			session_.queue_params(sql, {all_oids_});
		expected_.push_back({Reply::settings, slice, 0});
		expected_.push_back({Reply::policies, slice, 0});
		session_.send_pipeline();
	} else {
		session_.flush_pipeline();
	}
}

void PlanReadAhead::file_next() {
	const Reply r = expected_.front();
	expected_.pop_front();
	libpq::Result res = session_.pipeline_result();
	switch (r.what) {
	case Reply::kind:
		kinds::table_kinds()[r.index].file(res, filed_[r.slice]);
		replies_left_[r.slice]--;
		if (r.index + 1 == kinds::table_kinds().size())
			kinds_filed(r.slice);
		break;
	case Reply::positions:
		file_sequence_positions(res, sequences_[r.slice], r.index);
		replies_left_[r.slice]--;
		break;
	case Reply::privileges:
		privileges_ = privileges_from(res);
		privileges_filed_ = true;
		break;
	case Reply::settings:
		settings_reply_.emplace(std::move(res));
		break;
	case Reply::policies:
		settings_ = table_settings_from(*settings_reply_, res);
		settings_reply_.reset();
		break;
	}
}

std::vector<ObjectPrivileges> PlanReadAhead::take_privileges() {
	while (!privileges_filed_)
		file_next();
	return std::move(privileges_);
}

void PlanReadAhead::take_next(TablePlan &plan, libpq::Connection &src) {
	const std::size_t slice = next_;
	// The entries first: a reply row of another table is an error in the
	// slice's own plan (TablePlan::row_table), as in a plan read at once.
	while (replies_left_[slice] > 0)
		file_next();
	// Only the first slice's positions are still unread (kinds_filed).
	complete_table_plan(src, filed_[slice]);
	for (const auto &oid : slices_[slice])
		pending_.erase(oid);
	next_++;
	plan.merge(std::move(filed_[slice]));
}

void PlanReadAhead::pump() {
	if (closed_)
		return;
	while (!expected_.empty() && session_.result_ready())
		file_next();
}

void PlanReadAhead::finish(TablePlan &plan, libpq::Connection &src) {
	while (!done())
		take_next(plan, src);
	if (closed_)
		return;
	while (!expected_.empty())
		file_next();
	session_.end_pipeline();
	libpq::close_source(session_);
	closed_ = true;
}

} // namespace pgclone::catalog
