// pgclone.masking_report(): the local schema's sensitive columns and
// whether a policy masks them.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <vector>

namespace pgclone::masking {

// One row of pgclone.masking_report().
struct ReportRow {
	std::string schema_name;
	std::string table_name;
	std::string column_name;
	std::string sensitivity;
	std::string mask_status;
	std::string recommendation;
};
std::vector<ReportRow> masking_report(const std::string &schema);

} // namespace pgclone::masking
