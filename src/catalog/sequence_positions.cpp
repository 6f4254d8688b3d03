// Sequence positions in bulk. A sequence's state lives in the sequence
// relation itself (no catalog holds it), so the query names each sequence;
// the names are quoted, and sequences go in chunks of a UNION ALL (one
// round trip per chunk, see below). Not through
// pg_sequence_last_value(), which is faster (one query, 2-4 ms for 500
// sequences) but takes RowExclusiveLock on each sequence:
// held by the clone's transaction to its end, that would make an ALTER
// SEQUENCE on the source wait for the whole clone, and every nextval() of
// that sequence wait behind it. A SELECT takes AccessShareLock.
#include <algorithm>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/sequence_positions.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"

namespace pgclone::catalog {

namespace {

// Sequences per query: one lock and one range table entry each. The
// source's planner spends time quadratic in the branches of a UNION ALL:
// 500 sequences took 60-96 ms in one query, and 22 ms in ten of 50 (a
// PostgreSQL 15 source, cold caches); 25 is no faster than 50.
constexpr std::size_t chunk = 50;

} // namespace

std::string checked_integer(const std::string &text) {
	std::size_t digits = !text.empty() && text[0] == '-' ? 1 : 0;
	bool ok = text.size() > digits && text.size() <= 20 &&
	          text.find_first_not_of("0123456789", digits) == std::string::npos;
	if (!ok)
		throw core::Error("the source server answered a sequence query with \"" + text.substr(0, 40) +
		                      "\" where an integer belongs",
		                  core::sqlstate::internal_error);
	return text;
}

void read_sequence_options(const libpq::Result &r, int row, int col, OwnedSequence &s) {
	s.type = r.get(row, col);
	s.start = checked_integer(r.get(row, col + 1));
	s.increment = checked_integer(r.get(row, col + 2));
	s.min = checked_integer(r.get(row, col + 3));
	s.max = checked_integer(r.get(row, col + 4));
	s.cache = checked_integer(r.get(row, col + 5));
	s.cycle = r.get_bool(row, col + 6);
}

std::vector<std::string> sequence_position_queries(const std::vector<OwnedSequence *> &sequences) {
	std::vector<std::string> out;
	for (std::size_t from = 0; from < sequences.size(); from += chunk) {
		std::size_t to = std::min(sequences.size(), from + chunk);
		std::string sql;
		for (std::size_t i = from; i < to; i++)
			sql += std::string(i == from ? "" : " UNION ALL ") + "SELECT " + std::to_string(i) +
			       ", last_value, is_called FROM " +
			       core::qualified_name(sequences[i]->schema, sequences[i]->name);
		out.push_back(std::move(sql));
	}
	return out;
}

void file_sequence_positions(const libpq::Result &r, const std::vector<OwnedSequence *> &sequences,
                             std::size_t query) {
	const std::size_t from = query * chunk;
	const std::size_t to = std::min(sequences.size(), from + chunk);
	if (from >= to || r.rows() != static_cast<int>(to - from) || r.cols() != 3)
		throw core::Error("the source server answered the sequence positions with " + std::to_string(r.rows()) +
		                      " rows instead of " + std::to_string(from < to ? to - from : 0),
		                  core::sqlstate::internal_error);
	for (int row = 0; row < r.rows(); row++) {
		long long i = r.get_int(row, 0);
		if (i < static_cast<long long>(from) || i >= static_cast<long long>(to))
			throw core::Error("the source server answered the sequence positions with an unknown row",
			                  core::sqlstate::internal_error);
		sequences[i]->last_value = checked_integer(r.get(row, 1));
		sequences[i]->is_called = r.get_bool(row, 2);
	}
}

void read_sequence_positions(libpq::Connection &src, const std::vector<OwnedSequence *> &sequences) {
	const std::vector<std::string> queries = sequence_position_queries(sequences);
	for (std::size_t q = 0; q < queries.size(); q++)
		file_sequence_positions(src.exec(queries[q]), sequences, q);
}

} // namespace pgclone::catalog
