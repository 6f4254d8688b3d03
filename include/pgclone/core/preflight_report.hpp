// The JSON document of pgclone.preflight(): per-check results plus the
// role-based summary arrays. Pure logic; the checks themselves live in
// src/checks/preflight.cpp.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pgclone::core {

enum class CheckStatus {
	Pass,   // the check found nothing to report
	Warn,   // a clone may work but something needs attention: goes to summary.warnings
	Fail,   // the clone would fail: goes to summary.errors, ready = false
	Info,   // a fact for capacity planning: goes to summary.info
	Skipped // could not run because a check it needs failed (e.g. no source connection)
};

const char *to_string(CheckStatus s) noexcept;

class PreflightReport {
public:
	explicit PreflightReport(std::string schema) : schema_(std::move(schema)) {}

	// Records one check. details is a JSON object whose fields are added
	// next to "status"; message is the line for the summary arrays (prefixed
	// with the check name there). A check name may be recorded only once.
	void add(const std::string &check, CheckStatus status, nlohmann::ordered_json details,
	         const std::string &message = {});

	bool has(const std::string &check) const;
	bool ready() const { return errors_.empty(); }

	// {"schema", "ready", "summary": {"errors", "warnings", "info",
	// "checks_run"}, "checks": {name: {"status", ...}}}
	nlohmann::ordered_json to_json() const;

private:
	std::string schema_;
	nlohmann::ordered_json checks_ = nlohmann::ordered_json::object();
	std::vector<std::string> errors_, warnings_, info_;
	int run_ = 0;
};

} // namespace pgclone::core
