// The plan a clone would carry out, as the option {"dry_run": true} returns
// it: every object in the order it would be created, what the "conflict"
// strategy would do to each one that exists, row and size estimates per
// table, the masks and filters. The clone functions fill a DryRun from the
// same plan readers the clone uses; this file only turns it into the JSON
// text and its summary line. Pure logic, no server headers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/core/options.hpp"

namespace pgclone::core {

// One object of the plan. kind: "schema", "extension", "type", "sequence",
// "table", "partition", "constraint", "foreign key", "index", "trigger",
// "view", "materialized view", "function", "procedure", "foreign table".
// action: "create"; for an object on the target: "keep" (skip, or reused),
// "replace", "rename", "fail" (conflict "error"); "attach" (a partition);
// "not cloned" (with detail.reason).
struct PlanStep {
	std::string kind;
	std::string name; // schema.name as displayed
	std::string action;
	nlohmann::json detail = nlohmann::json::object();
};

struct DryRun {
	std::string subject;  // "table test_schema.customers", "schema test_schema", "database"
	std::string conflict; // the strategy
	nlohmann::json filters = nlohmann::json::object();
	std::vector<PlanStep> steps;
};

// The action of a step whose object is on the target, by strategy:
// "fail", "keep", "replace", "rename".
const char *conflict_action(ConflictStrategy s) noexcept;

// "DRY RUN: schema s: would create 4 tables (~42 rows, 0.01 MB), 8 indexes, ...;
// 2 objects on the target (1 replace, 1 keep); nothing was changed". Every
// kind of the steps is counted, in the order it first appears.
std::string dry_run_summary(const DryRun &d);

// {"dry_run": true, "subject", "conflict", "filters", "summary",
//  "steps": [{"step": 1, "kind", "name", "action", ...detail}],
//  "conflicts": [the steps whose object is on the target]}
std::string dry_run_text(const DryRun &d);

} // namespace pgclone::core
