// Chunks of a big table (include/pgclone/core/chunks.hpp).
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "pgclone/core/chunks.hpp"
#include "pgclone/core/error.hpp"

#include "pgclone/core/pure.hpp"

namespace pgclone::core {

const char *to_string(TaskStage s) noexcept {
	switch (s) {
	case TaskStage::table:
		return "table";
	case TaskStage::rows:
		return "rows";
	case TaskStage::finish:
		return "finish";
	}
	return "table";
}

TaskStage task_stage(const std::string &name) {
	for (TaskStage s : {TaskStage::table, TaskStage::rows, TaskStage::finish})
		if (name == to_string(s))
			return s;
	throw Error("unknown task stage \"" + name + "\"", sqlstate::internal_error);
}

std::vector<PageRange> chunk_ranges(std::uint64_t table_bytes, std::uint64_t block_size, std::uint64_t chunk_size) {
	std::vector<PageRange> out;
	if (chunk_size == 0 || block_size == 0 || table_bytes <= chunk_size)
		return out;
	const std::uint64_t pages = (table_bytes + block_size - 1) / block_size;
	const std::uint64_t per_chunk = std::max<std::uint64_t>(1, chunk_size / block_size);
	for (std::uint64_t first = 0; first < pages; first += per_chunk)
		out.push_back({first, first + per_chunk});
	if (out.size() < 2)
		return {}; // one page-sized chunk would be the whole table
	out.back().end.reset();
	return out;
}

std::string chunk_condition(const PageRange &range, const std::string *filter) {
	std::string c = "ctid >= '(" + std::to_string(range.first) + ",0)'::pg_catalog.tid";
	if (range.end)
		c += " AND ctid < '(" + std::to_string(*range.end) + ",0)'::pg_catalog.tid";
	// The filter passed as the whole where clause "(filter\n)": one
	// expression, which a group of its own keeps whole.
	if (filter)
		c += " AND ((" + *filter + "\n))";
	return c;
}

} // namespace pgclone::core
