// The table plan read ahead (plan_read_ahead.hpp).
#include <cstddef>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/plan_read_ahead.hpp"
#include "pgclone/catalog/table_kinds.hpp"
#include "pgclone/catalog/table_settings_reader.hpp"
#include "pgclone/core/read_ahead.hpp"
#include "pgclone/libpq/source_session.hpp"

namespace pgclone::catalog {

PlanReadAhead::PlanReadAhead(libpq::Connection session, const std::vector<std::string> &oids)
    : session_(std::move(session)) {
	std::size_t from = 0;
	for (std::size_t size : core::read_ahead_slices(oids.size())) {
		slices_.emplace_back(oids.begin() + from, oids.begin() + from + size);
		from += size;
	}
	pending_.insert(oids.begin(), oids.end());
	const int version = session_.server_version();
	session_.begin_pipeline();
	for (const auto &slice : slices_) {
		const std::string array = oid_array(slice);
		for (const auto &kind : kinds::table_kinds())
			session_.queue_params(kind.sql(version), {array});
	}
	const std::string all = oid_array(oids);
	for (const auto &sql : table_settings_queries())
		session_.queue_params(sql, {all});
	session_.send_pipeline();
}

void PlanReadAhead::take_next(TablePlan &plan, libpq::Connection &src) {
	TablePlan slice;
	// The entries first: a reply row of another table is an error in the
	// slice's own plan (TablePlan::row_table), as in a plan read at once.
	for (const auto &kind : kinds::table_kinds())
		kind.file(session_.pipeline_result(), slice);
	complete_table_plan(src, slice);
	for (const auto &oid : slices_[next_])
		pending_.erase(oid);
	next_++;
	plan.merge(std::move(slice));
}

void PlanReadAhead::pump() {
	if (!done())
		session_.pump();
}

void PlanReadAhead::finish(TablePlan &plan, libpq::Connection &src) {
	while (!done())
		take_next(plan, src);
	if (closed_)
		return;
	libpq::Result settings = session_.pipeline_result();
	libpq::Result policies = session_.pipeline_result();
	settings_ = table_settings_from(settings, policies);
	session_.end_pipeline();
	libpq::close_source(session_);
	closed_ = true;
}

} // namespace pgclone::catalog
