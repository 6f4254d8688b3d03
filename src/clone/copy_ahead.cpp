// COPYs of small tables sent ahead in one message (copy_ahead.hpp).
#include <string>
#include <utility>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/copy_ahead.hpp"
#include "pgclone/core/error.hpp"

namespace pgclone::clone {

const std::string *CopyAhead::next_for(const std::string &oid) const {
	if (queue_.empty() || queue_.front().first != oid)
		return nullptr;
	return &queue_.front().second;
}

void CopyAhead::send(std::vector<std::pair<std::string, std::string>> copies) {
	if (!idle())
		throw core::Error("COPY statements were sent ahead before the last batch was read",
		                  core::sqlstate::internal_error);
	std::vector<std::string> statements;
	for (const auto &c : copies)
		statements.push_back(c.second);
	src_.send_copy_batch(statements);
	queue_.assign(std::make_move_iterator(copies.begin()), std::make_move_iterator(copies.end()));
}

void CopyAhead::after(const std::string &oid) {
	if (queue_.empty() || queue_.front().first != oid)
		return;
	// The clone read its stream: the connection has one COPY fewer waiting.
	if (static_cast<std::size_t>(src_.copies_waiting()) == queue_.size())
		src_.discard_copy_out();
	queue_.pop_front();
}

} // namespace pgclone::clone
