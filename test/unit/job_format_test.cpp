#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pgclone/core/error.hpp"
#include "pgclone/core/job_format.hpp"

using namespace pgclone::core;

TEST(JobFormat, PercentByTables) {
	EXPECT_DOUBLE_EQ(job_percent("running", 4, 2, 0, 0), 50.0);
	EXPECT_DOUBLE_EQ(job_percent("running", 3, 1, 0, 0), 33.3);
	EXPECT_DOUBLE_EQ(job_percent("pending", 0, 0, 0, 0), 0.0);
	EXPECT_DOUBLE_EQ(job_percent("failed", 4, 1, 0, 0), 25.0);
}

TEST(JobFormat, PercentCompletedIsAlwaysHundred) {
	EXPECT_DOUBLE_EQ(job_percent("completed", 0, 0, 0, 0), 100.0);
	EXPECT_DOUBLE_EQ(job_percent("completed", 5, 3, 0, 0), 100.0);
}

TEST(JobFormat, PercentCountsTheCurrentTable) {
	// one table of two, the second half copied
	EXPECT_DOUBLE_EQ(job_percent("running", 2, 1, 500, 1000), 75.0);
	// a stale estimate never makes the table look finished
	EXPECT_DOUBLE_EQ(job_percent("running", 1, 0, 5000, 1000), 99.0);
	// no estimate: whole tables only
	EXPECT_DOUBLE_EQ(job_percent("running", 2, 1, 500, 0), 50.0);
	// counters out of range are clamped
	EXPECT_DOUBLE_EQ(job_percent("running", 2, 7, 0, 0), 100.0);
	EXPECT_DOUBLE_EQ(job_percent("running", 2, -1, 0, 0), 0.0);
}

TEST(JobFormat, PercentOfAPool) {
	// 4 tables: 1 done, two in flight at 50% and 25%
	EXPECT_DOUBLE_EQ(job_percent("running", 4, 1, {{50, 100}, {25, 100}}), 43.7);
	// never above 100 even if every estimate is stale
	EXPECT_DOUBLE_EQ(job_percent("running", 2, 1, {{900, 100}, {900, 100}}), 100.0);
	EXPECT_DOUBLE_EQ(job_percent("running", 2, 0, {}), 0.0);
}

TEST(JobFormat, ProgressBar) {
	EXPECT_EQ(progress_bar(0), "[--------------------] 0%");
	EXPECT_EQ(progress_bar(50), "[##########----------] 50%");
	EXPECT_EQ(progress_bar(99.9), "[###################-] 99%");
	EXPECT_EQ(progress_bar(100), "[####################] 100%");
	EXPECT_EQ(progress_bar(-3), "[--------------------] 0%");
	EXPECT_EQ(progress_bar(250), "[####################] 100%");
}

TEST(JobFormat, ElapsedText) {
	EXPECT_EQ(elapsed_text(0), "00:00:00.000");
	EXPECT_EQ(elapsed_text(1234), "00:00:01.234");
	EXPECT_EQ(elapsed_text(3723004), "01:02:03.004");
	EXPECT_EQ(elapsed_text(90000000), "25:00:00.000");
	EXPECT_EQ(elapsed_text(-5), "00:00:00.000");
}

TEST(JobFormat, JobJson) {
	JobRecord j;
	j.job_id = 7;
	j.status = "failed";
	j.op_type = "table";
	j.schema_name = "s";
	j.table_name = "t";
	j.tables_total = 1;
	j.rows_copied = 42;
	j.elapsed_ms = 1500;
	j.pct_complete = 0;
	j.error_message = "table \"s\".\"t\" does not exist";
	auto o = nlohmann::json::parse(job_json(j));
	EXPECT_EQ(o["job_id"], 7);
	EXPECT_EQ(o["status"], "failed");
	EXPECT_TRUE(o["parent_job_id"].is_null());
	EXPECT_TRUE(o["end_time"].is_null());
	EXPECT_TRUE(o["worker_pid"].is_null());
	EXPECT_EQ(o["rows_copied"], 42);
	EXPECT_EQ(o["elapsed_time"], "00:00:01.500");
	EXPECT_EQ(o["progress_bar"], "[--------------------] 0%");
	EXPECT_EQ(o["error_message"], "table \"s\".\"t\" does not exist");
}

TEST(JobFormat, JobJsonCurrentTableAndNoConninfo) {
	JobRecord j;
	j.job_id = 3;
	j.status = "running";
	j.current_table = "s.big";
	auto o = nlohmann::json::parse(job_json(j));
	EXPECT_EQ(o["current_table"], "s.big");
	EXPECT_FALSE(o.contains("source_conninfo")); // 4.6.0: nothing of the connection string
	j.current_table.clear();
	EXPECT_TRUE(nlohmann::json::parse(job_json(j))["current_table"].is_null());
}

TEST(JobFormat, JobsJsonIsAnArray) {
	EXPECT_EQ(jobs_json({}), "[]");
	JobRecord a, b;
	a.job_id = 1;
	b.job_id = 2;
	b.parent_job_id = 1;
	auto arr = nlohmann::json::parse(jobs_json({a, b}));
	ASSERT_TRUE(arr.is_array());
	ASSERT_EQ(arr.size(), 2u);
	EXPECT_EQ(arr[1]["parent_job_id"], 1);
}

TEST(JobFormat, InvalidUtf8DoesNotThrow) {
	JobRecord j;
	j.table_name = std::string("caf\xc3", 4); // cut in the middle of a character
	EXPECT_NO_THROW(job_json(j));
}

TEST(JobFormat, PackRoundTrip) {
	std::vector<JobTable> in = {{"s", "a", 'r', false, job_table_state::pending},
	                            {"Odd Schema", "p_2024", 'r', true, job_table_state::done},
	                            {"s", "parent", 'p', false, job_table_state::earlier}};
	auto packed = pack_job_tables(in, 1000);
	ASSERT_TRUE(packed.has_value());
	EXPECT_EQ(packed->size(), 3u * 3 + 2 + 2 + 11 + 7 + 2 + 7);
	auto out = unpack_job_tables(*packed);
	ASSERT_EQ(out.size(), 3u);
	EXPECT_EQ(out[1].schema, "Odd Schema");
	EXPECT_EQ(out[1].name, "p_2024");
	EXPECT_TRUE(out[1].is_partition);
	EXPECT_EQ(out[1].state, job_table_state::done);
	EXPECT_EQ(out[2].relkind, 'p');
	EXPECT_FALSE(out[2].is_partition);
}

TEST(JobFormat, PackRespectsCapacity) {
	std::vector<JobTable> in = {{"s", "abc", 'r', false, job_table_state::pending}};
	EXPECT_TRUE(pack_job_tables(in, 10).has_value()); // 3 + 2 + 4 bytes
	EXPECT_FALSE(pack_job_tables(in, 8).has_value());
	EXPECT_EQ(*pack_job_tables({}, 0), "");
}

TEST(JobFormat, UnpackRejectsTruncated) {
	std::string ok = *pack_job_tables({{"s", "t", 'r', false, job_table_state::pending}}, 100);
	EXPECT_THROW(unpack_job_tables(ok.substr(0, ok.size() - 1)), Error);
	EXPECT_THROW(unpack_job_tables(std::string("p")), Error);
	EXPECT_TRUE(unpack_job_tables("").empty());
}

TEST(JobFormat, EntrySize) {
	std::string e = *pack_job_tables({{"ab", "c", 'r', false, job_table_state::pending}}, 100);
	EXPECT_EQ(job_table_entry_size(e.data(), e.size()), e.size());
	EXPECT_EQ(job_table_entry_size(e.data(), e.size() - 1), 0u);
	EXPECT_EQ(job_table_entry_size(e.data(), 2), 0u);
}
