// Source and target query adapters.
#include <cstdlib>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/query.hpp"

namespace pgclone::catalog {

QueryFn source_query(libpq::Connection &src) {
	return [&src](const std::string &sql, const Params &params) {
		libpq::Result r = params.empty() ? src.exec(sql) : src.exec_params(sql, params);
		Rows rows;
		rows.reserve(r.rows());
		for (int i = 0; i < r.rows(); i++) {
			pg::Row row;
			row.reserve(r.cols());
			for (int c = 0; c < r.cols(); c++)
				row.push_back(r.get_opt(i, c));
			rows.push_back(std::move(row));
		}
		return rows;
	};
}

QueryFn target_query(pg::Spi &spi) {
	return [&spi](const std::string &sql, const Params &params) { return spi.query(sql, params); };
}

long long cell_int(const pg::Row &row, size_t i) {
	return row[i] ? std::strtoll(row[i]->c_str(), nullptr, 10) : 0;
}

} // namespace pgclone::catalog
