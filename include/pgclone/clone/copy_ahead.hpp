// The COPYs of the next small tables of a synchronous schema or database
// clone, sent to the source in one message (libpq::Connection::
// send_copy_batch) instead of one round trip per table: the source runs
// them one after the other under the clone's snapshot and the rows wait in
// the socket until each table's turn (TableRequest::queued_copy). Only
// copies that need no check on the source first go this way
// (copy_to_send_ahead: no mask, filter or column subset); core::
// copy_batch_length decides how many.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "pgclone/libpq/connection.hpp"

namespace pgclone::clone {

class CopyAhead {
public:
	explicit CopyAhead(libpq::Connection &src) : src_(src) {}

	// No COPY sent ahead is still to be read: a new batch may be sent, and
	// the connection may serve other queries.
	bool idle() const { return queue_.empty(); }
	// The COPY of table oid, when it was sent ahead and comes next.
	const std::string *next_for(const std::string &oid) const;
	// Sends the COPYs (table oid, statement), in the order their tables are
	// cloned. Only when idle.
	void send(std::vector<std::pair<std::string, std::string>> copies);
	// After the clone of table oid: its COPY, if the clone did not read it
	// (a table kept by the conflict strategy "skip"), is read and dropped.
	void after(const std::string &oid);

private:
	libpq::Connection &src_;
	std::deque<std::pair<std::string, std::string>> queue_;
};

} // namespace pgclone::clone
