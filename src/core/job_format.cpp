// Async job rows: percent, progress bar, elapsed time, JSON; the packed
// table list.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "pgclone/core/error.hpp"
#include "pgclone/core/job_format.hpp"
#include "pgclone/core/pure.hpp"

namespace pgclone::core {

double job_percent(std::string_view status, int tables_total, int tables_completed,
                   const std::vector<std::pair<uint64_t, uint64_t>> &in_flight) {
	if (status == "completed")
		return 100.0;
	if (tables_total <= 0)
		return 0.0;
	double done = std::clamp(tables_completed, 0, tables_total);
	for (const auto &[rows, estimate] : in_flight) {
		// The estimate is the source's reltuples: it can be stale, so a
		// table in flight never counts as more than 99% of itself.
		if (rows > 0 && estimate > 0)
			done += std::min(static_cast<double>(rows) / static_cast<double>(estimate), 0.99);
	}
	done = std::min(done, static_cast<double>(tables_total));
	double pct = 100.0 * done / tables_total;
	return std::floor(pct * 10.0 + 1e-9) / 10.0;
}

double job_percent(std::string_view status, int tables_total, int tables_completed, uint64_t current_rows,
                   uint64_t current_estimate) {
	return job_percent(status, tables_total, tables_completed, {{current_rows, current_estimate}});
}

std::string progress_bar(double pct) {
	constexpr int cells = 20;
	double p = std::clamp(pct, 0.0, 100.0);
	int filled = static_cast<int>(p * cells / 100.0);
	std::string bar = "[" + std::string(filled, '#') + std::string(cells - filled, '-') + "] ";
	return bar + std::to_string(static_cast<int>(p)) + "%";
}

std::string elapsed_text(int64_t ms) {
	if (ms < 0)
		ms = 0;
	char buf[64];
	std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%03lld", static_cast<long long>(ms / 3600000),
	              static_cast<long long>(ms / 60000 % 60), static_cast<long long>(ms / 1000 % 60),
	              static_cast<long long>(ms % 1000));
	return buf;
}

namespace {

nlohmann::json text_or_null(const std::string &s) {
	return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
}

nlohmann::json id_or_null(int id) {
	return id > 0 ? nlohmann::json(id) : nlohmann::json(nullptr);
}

nlohmann::json job_object(const JobRecord &j) {
	nlohmann::json o = nlohmann::json::object();
	o["job_id"] = j.job_id;
	o["parent_job_id"] = id_or_null(j.parent_job_id);
	o["resumed_from"] = id_or_null(j.resumed_from);
	o["status"] = j.status;
	o["op_type"] = j.op_type;
	o["schema_name"] = text_or_null(j.schema_name);
	o["table_name"] = text_or_null(j.table_name);
	o["target_table"] = text_or_null(j.target_table);
	o["current_phase"] = text_or_null(j.current_phase);
	o["current_table"] = text_or_null(j.current_table);
	o["tables_total"] = j.tables_total;
	o["tables_completed"] = j.tables_completed;
	o["rows_copied"] = j.rows_copied;
	o["bytes_copied"] = j.bytes_copied;
	o["pct_complete"] = j.pct_complete;
	o["progress_bar"] = progress_bar(j.pct_complete);
	o["elapsed_ms"] = j.elapsed_ms;
	o["elapsed_time"] = elapsed_text(j.elapsed_ms);
	o["start_time"] = text_or_null(j.start_time);
	o["end_time"] = text_or_null(j.end_time);
	o["warnings"] = j.warnings;
	o["error_message"] = text_or_null(j.error_message);
	o["result"] = text_or_null(j.result);
	o["owner"] = text_or_null(j.owner);
	o["database"] = text_or_null(j.database);
	o["worker_pid"] = j.worker_pid > 0 ? nlohmann::json(j.worker_pid) : nlohmann::json(nullptr);
	return o;
}

// Shared memory holds bytes, not promises: a name cut in the middle of a
// multi-byte character must not make the JSON writer throw.
constexpr auto replace = nlohmann::json::error_handler_t::replace;

} // namespace

std::string job_json(const JobRecord &job) {
	return job_object(job).dump(-1, ' ', false, replace);
}

std::string jobs_json(const std::vector<JobRecord> &jobs) {
	nlohmann::json a = nlohmann::json::array();
	for (const auto &j : jobs)
		a.push_back(job_object(j));
	return a.dump(-1, ' ', false, replace);
}

std::optional<std::string> pack_job_tables(const std::vector<JobTable> &tables, std::size_t capacity) {
	std::string out;
	for (const auto &t : tables) {
		if (t.schema.find('\0') != std::string::npos || t.name.find('\0') != std::string::npos)
			throw Error("table name contains a NUL byte", sqlstate::invalid_parameter_value);
		out += t.state;
		out += t.relkind;
		out += static_cast<char>(t.is_partition ? job_table_partition_flag : 0);
		out += t.schema;
		out += '\0';
		out += t.name;
		out += '\0';
		if (out.size() > capacity)
			return std::nullopt;
	}
	return out;
}

std::vector<JobTable> unpack_job_tables(std::string_view packed) {
	std::vector<JobTable> out;
	std::size_t off = 0;
	while (off < packed.size()) {
		std::size_t n = job_table_entry_size(packed.data() + off, packed.size() - off);
		if (n == 0)
			throw Error("malformed job table list", sqlstate::internal_error,
			            "An entry at byte " + std::to_string(off) + " is cut short.");
		JobTable t;
		t.state = packed[off];
		t.relkind = packed[off + 1];
		t.is_partition = (static_cast<unsigned char>(packed[off + 2]) & job_table_partition_flag) != 0;
		t.schema = std::string(packed.data() + off + 3);
		t.name = std::string(packed.data() + off + 3 + t.schema.size() + 1);
		out.push_back(std::move(t));
		off += n;
	}
	return out;
}

} // namespace pgclone::core
