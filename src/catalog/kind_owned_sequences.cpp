// Object kind "owned sequence": the serial (deptype 'a') and identity
// (deptype 'i') sequences of each table of a plan (their positions are read
// after them: sequence_positions.hpp).
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/sequence_positions.hpp"
#include "pgclone/catalog/table_kinds.hpp"

namespace pgclone::catalog::kinds {

std::string owned_sequences_sql(int) {
	return R"sql(SELECT dep.refobjid, a.attname, sn.nspname, s.relname, dep.deptype = 'i',
  pg_catalog.format_type(seq.seqtypid, NULL), seq.seqstart, seq.seqincrement, seq.seqmin,
  seq.seqmax, seq.seqcache, seq.seqcycle, de.description
FROM pg_catalog.pg_depend dep
JOIN pg_catalog.pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
JOIN pg_catalog.pg_sequence seq ON seq.seqrelid = s.oid
LEFT JOIN pg_catalog.pg_description de ON de.objoid = s.oid
  AND de.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid AND de.objsubid = 0
JOIN pg_catalog.pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
  AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
  AND dep.refobjid = ANY ($1::pg_catalog.oid[]) AND dep.deptype IN ('a', 'i')
ORDER BY dep.refobjid, a.attnum)sql";
}

void file_owned_sequences(const libpq::Result &r, TablePlan &plan) {
	for (int i = 0; i < r.rows(); i++) {
		OwnedSequence s;
		s.column = r.get(i, 1);
		s.schema = r.get(i, 2);
		s.name = r.get(i, 3);
		s.identity = r.get_bool(i, 4);
		read_sequence_options(r, i, 5, s);
		s.comment = r.get_opt(i, 12);
		plan.row_table(r.get(i, 0)).sequences.push_back(std::move(s));
	}
}

} // namespace pgclone::catalog::kinds
