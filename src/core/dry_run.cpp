// The dry run's JSON text and summary line.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/core/dry_run.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/text.hpp"
#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

using nlohmann::json;

bool creates(const PlanStep &s) {
	return s.action == "create" || s.action == "replace" || s.action == "rename";
}

bool on_target(const PlanStep &s) {
	return s.action == "keep" || s.action == "replace" || s.action == "rename" || s.action == "fail";
}

std::string plural_kind(const std::string &kind, uint64_t n) {
	if (n == 1)
		return "1 " + kind;
	if (kind == "index")
		return std::to_string(n) + " indexes";
	if (kind == "operator class")
		return std::to_string(n) + " operator classes";
	if (kind == "operator family")
		return std::to_string(n) + " operator families";
	return std::to_string(n) + " " + kind + "s";
}

uint64_t number(const json &detail, const char *key) {
	auto it = detail.find(key);
	return it != detail.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}

} // namespace

const char *conflict_action(ConflictStrategy s) noexcept {
	switch (s) {
	case ConflictStrategy::Error:
		return "fail";
	case ConflictStrategy::Skip:
		return "keep";
	case ConflictStrategy::Replace:
		return "replace";
	case ConflictStrategy::Rename:
		return "rename";
	}
	return "fail";
}

std::string dry_run_summary(const DryRun &d) {
	std::vector<std::string> kinds;
	std::map<std::string, uint64_t> created;
	std::map<std::string, uint64_t> actions;
	std::vector<std::string> action_order;
	uint64_t rows = 0, bytes = 0, targets = 0;
	for (const auto &s : d.steps) {
		if (!created.count(s.kind)) {
			kinds.push_back(s.kind);
			created[s.kind] = 0;
		}
		if (creates(s)) {
			created[s.kind]++;
			if (s.kind == "table" || s.kind == "partition") {
				rows += number(s.detail, "rows_estimate");
				bytes += number(s.detail, "bytes_estimate");
			}
		}
		if (on_target(s)) {
			targets++;
			if (!actions[s.action]++)
				action_order.push_back(s.action);
		}
	}
	std::string out = "DRY RUN: " + d.subject + ": would create ";
	bool first = true;
	for (const auto &k : kinds) {
		out += first ? "" : ", ";
		first = false;
		out += plural_kind(k, created[k]);
		if (k == "table")
			out += " (~" + plural(rows, "row", "rows") + ", " +
			       format_fixed(static_cast<double>(bytes) / 1e6, 2) + " MB)";
	}
	if (first)
		out += "nothing";
	if (targets) {
		out += "; " + plural(targets, "object", "objects") + " on the target (";
		for (std::size_t i = 0; i < action_order.size(); i++)
			out += (i ? ", " : "") + std::to_string(actions[action_order[i]]) + " " + action_order[i];
		out += ")";
	}
	return out + "; nothing was changed";
}

std::string dry_run_text(const DryRun &d) {
	json steps = json::array(), conflicts = json::array();
	for (std::size_t i = 0; i < d.steps.size(); i++) {
		const PlanStep &s = d.steps[i];
		json o = {{"step", i + 1}, {"kind", s.kind}, {"name", s.name}, {"action", s.action}};
		for (const auto &[k, v] : s.detail.items())
			o[k] = v;
		if (on_target(s))
			conflicts.push_back(o);
		steps.push_back(std::move(o));
	}
	json out = {{"dry_run", true},
	            {"subject", d.subject},
	            {"conflict", d.conflict},
	            {"filters", d.filters},
	            {"summary", dry_run_summary(d)},
	            {"steps", std::move(steps)},
	            {"conflicts", std::move(conflicts)}};
	// Names come from catalogs: never let invalid UTF-8 stop the dump.
	return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace pgclone::core
