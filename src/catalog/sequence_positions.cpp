// Sequence positions in bulk. A sequence's state lives in the sequence
// relation itself (no catalog holds it). pg_sequence_last_value() reads it
// for every sequence of the plan in one query; it answers NULL for a
// sequence not yet called (its last_value is then still needed) or, on some
// versions, one the role may not read. Only those are read by name, in
// chunks of a UNION ALL: parsing and planning a UNION of 500 branches took
// 65-118 ms where the one query takes 2-4 ms.
#include <algorithm>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/sequence_positions.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/schema_plan.hpp"

namespace pgclone::catalog {

namespace {

// Sequences per query: one lock and one range table entry each.
constexpr std::size_t chunk = 500;

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

namespace {

// The sequences pg_sequence_last_value() could not answer, by name.
void read_positions_by_name(libpq::Connection &src, const std::vector<OwnedSequence *> &sequences) {
	for (std::size_t from = 0; from < sequences.size(); from += chunk) {
		std::size_t to = std::min(sequences.size(), from + chunk);
		std::string sql;
		for (std::size_t i = from; i < to; i++)
			sql += std::string(i == from ? "" : " UNION ALL ") + "SELECT " + std::to_string(i) +
			       ", last_value, is_called FROM " +
			       core::qualified_name(sequences[i]->schema, sequences[i]->name);
		auto r = src.exec(sql);
		if (r.rows() != static_cast<int>(to - from) || r.cols() != 3)
			throw core::Error("the source server answered the sequence positions with " +
			                      std::to_string(r.rows()) + " rows instead of " + std::to_string(to - from),
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
}

} // namespace

void read_sequence_positions(libpq::Connection &src, const std::vector<OwnedSequence *> &sequences) {
	if (sequences.empty())
		return;
	std::vector<std::string> schemas, names;
	for (const OwnedSequence *s : sequences) {
		schemas.push_back(s->schema);
		names.push_back(s->name);
	}
	auto r = src.exec_params(R"sql(SELECT w.i, pg_catalog.pg_sequence_last_value(c.oid)
FROM ROWS FROM (pg_catalog.unnest($1::pg_catalog.text[]), pg_catalog.unnest($2::pg_catalog.text[]))
  WITH ORDINALITY AS w(nspname, relname, i)
LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = w.nspname
LEFT JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = w.relname AND c.relkind = 'S')sql",
	                         {core::text_array_literal(schemas), core::text_array_literal(names)});
	if (r.rows() != static_cast<int>(sequences.size()) || r.cols() != 2)
		throw core::Error("the source server answered the sequence positions with " + std::to_string(r.rows()) +
		                      " rows instead of " + std::to_string(sequences.size()),
		                  core::sqlstate::internal_error);
	std::vector<bool> answered(sequences.size(), false);
	std::vector<OwnedSequence *> rest;
	for (int row = 0; row < r.rows(); row++) {
		long long i = r.get_int(row, 0) - 1; // ORDINALITY counts from 1
		if (i < 0 || i >= static_cast<long long>(sequences.size()) || answered[i])
			throw core::Error("the source server answered the sequence positions with an unknown row",
			                  core::sqlstate::internal_error);
		answered[i] = true;
		if (r.is_null(row, 1)) {
			rest.push_back(sequences[i]);
			continue;
		}
		sequences[i]->last_value = checked_integer(r.get(row, 1));
		sequences[i]->is_called = true;
	}
	read_positions_by_name(src, rest);
}

} // namespace pgclone::catalog
