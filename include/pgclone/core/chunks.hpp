// Chunks of a big table in a parallel async schema clone (docs/ASYNC.md
// "Chunks"): page ranges of its heap, each copied by a pool worker in a
// transaction of its own under the job's one snapshot, and the condition
// that selects a range's rows on the source.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pgclone::core {

// Heap pages [first, end) of a table; no end: every page from first on.
struct PageRange {
	std::uint64_t first = 0;
	std::optional<std::uint64_t> end;
	bool operator==(const PageRange &o) const { return first == o.first && end == o.end; }
};

// What a task of a parallel job's task list does (pgclone.job_task.stage):
// a whole table; the rows of one chunk of a table; the rest of a chunked
// table once its chunks are in (constraints, indexes, triggers, ANALYZE).
enum class TaskStage { table, rows, finish };
const char *to_string(TaskStage s) noexcept;
// Throws core::Error (internal) for a name that is none of them.
TaskStage task_stage(const std::string &name);

// The chunks of a heap of table_bytes bytes in blocks of block_size bytes:
// empty when the table is not split (chunk_size 0, or a heap of at most
// chunk_size bytes); else ranges of chunk_size bytes (at least one page)
// from page 0, the last one open-ended, so that a row on a page the size
// estimate did not count is copied too.
std::vector<PageRange> chunk_ranges(std::uint64_t table_bytes, std::uint64_t block_size, std::uint64_t chunk_size);

// The rows of a range, as a condition on the source table's ctid (a tid
// range scan from PostgreSQL 14 on): "ctid >= '(a,0)'::pg_catalog.tid AND
// ctid < '(b,0)'::pg_catalog.tid". With a filter (a checked "where" or the
// rows a subset keeps), "AND ((filter\n))" after it: the filter was checked
// to parse as the where clause "(filter\n)" alone (core/row_filter.hpp),
// one expression, so in a group of its own it cannot reach out to undo the
// range ("true) OR (true" stays "((true) OR (true\n))").
std::string chunk_condition(const PageRange &range, const std::string *filter);

} // namespace pgclone::core
