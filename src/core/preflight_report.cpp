// Assembling the pre-flight document.
#include <string>

#include <nlohmann/json.hpp>

#include "pgclone/core/error.hpp"
#include "pgclone/core/preflight_report.hpp"
#include "pgclone/core/pure.hpp"

namespace pgclone::core {

const char *to_string(CheckStatus s) noexcept {
	switch (s) {
	case CheckStatus::Pass:
		return "pass";
	case CheckStatus::Warn:
		return "warn";
	case CheckStatus::Fail:
		return "fail";
	case CheckStatus::Info:
		return "info";
	case CheckStatus::Skipped:
		return "skipped";
	}
	return "info";
}

void PreflightReport::add(const std::string &check, CheckStatus status, nlohmann::ordered_json details,
                          const std::string &message) {
	if (has(check))
		throw Error("pre-flight check \"" + check + "\" was recorded twice", sqlstate::internal_error);
	nlohmann::ordered_json entry;
	entry["status"] = to_string(status);
	if (details.is_object())
		for (auto &[k, v] : details.items())
			entry[k] = v;
	checks_[check] = entry;
	std::string line = message.empty() ? check : check + ": " + message;
	switch (status) {
	case CheckStatus::Fail:
		errors_.push_back(line);
		break;
	case CheckStatus::Warn:
		warnings_.push_back(line);
		break;
	case CheckStatus::Info:
		info_.push_back(line);
		break;
	case CheckStatus::Pass:
	case CheckStatus::Skipped:
		break;
	}
	if (status != CheckStatus::Skipped)
		run_++;
}

bool PreflightReport::has(const std::string &check) const {
	return checks_.contains(check);
}

nlohmann::ordered_json PreflightReport::to_json() const {
	nlohmann::ordered_json out;
	out["schema"] = schema_;
	out["ready"] = ready();
	out["summary"] = nlohmann::ordered_json{
	    {"errors", errors_}, {"warnings", warnings_}, {"info", info_}, {"checks_run", run_}};
	out["checks"] = checks_;
	return out;
}

} // namespace pgclone::core
