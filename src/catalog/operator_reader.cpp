// Source catalog reader for operators, operator families and classes, casts
// (include/pgclone/catalog/operator_reader.hpp).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/operator_reader.hpp"
#include "pgclone/core/aggregates.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/schema_plan.hpp"

namespace pgclone::catalog {

namespace {

using Params = std::vector<std::optional<std::string>>;

// $1 the plan's schemas, $2 whether casts are wanted. One row per object:
// kind (0 operator, 1 family, 2 class, 3 cast), oid, schema, name, comment
// and a JSON description. Functions, operators and families that an object
// refers to come as [schema, name] so that pgclone quotes them; members
// come with the source's regoperator / regprocedure text. A member belongs
// to its class when it depends on the class, else (a loose member, added
// with ALTER OPERATOR FAMILY) to its family, as pg_dump tells them apart.
// An object internal to another (the cast from a range type to its
// multirange) comes with its owner and is left out.
// The plan's schemas (nsp) are applied inside each kind, before any
// description is built: filtered only at the end, the query described every
// operator, family and class of pg_catalog too, each operator looking up its
// functions in fn row by row (0.36 s of every schema clone, whatever it held).
constexpr const char *operator_objects_sql = R"SQL(
WITH nsp(oid) AS (
  SELECT n.oid FROM pg_catalog.pg_namespace n
  WHERE n.nspname = ANY ($1::pg_catalog.text[]) AND n.nspname NOT IN ('pg_catalog', 'information_schema')
),
fn(oid, ref) AS (
  SELECT p.oid, pg_catalog.json_build_array(n.nspname, p.proname)
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
),
op(oid, ref) AS (
  SELECT o.oid, pg_catalog.json_build_array(n.nspname, o.oprname)
  FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
),
fam(oid, ref) AS (
  SELECT f.oid, pg_catalog.json_build_array(n.nspname, f.opfname)
  FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace
),
members(refclassid, refobjid, body) AS (
  SELECT d.refclassid, d.refobjid, pg_catalog.json_agg(m.body ORDER BY m.is_function, m.num, m.signature)
  FROM (
    SELECT 'pg_catalog.pg_amop'::pg_catalog.regclass::pg_catalog.oid AS classid, ao.oid, false AS is_function,
      ao.amopstrategy::pg_catalog.int4 AS num, ao.amopopr::pg_catalog.regoperator::pg_catalog.text AS signature,
      pg_catalog.json_build_object('function', false, 'number', ao.amopstrategy,
        'left', ao.amoplefttype::pg_catalog.regtype::pg_catalog.text,
        'right', ao.amoprighttype::pg_catalog.regtype::pg_catalog.text,
        'signature', ao.amopopr::pg_catalog.regoperator::pg_catalog.text,
        'order_by', CASE WHEN ao.amoppurpose = 'o' THEN (SELECT ref FROM fam WHERE fam.oid = ao.amopsortfamily) END) AS body
    FROM pg_catalog.pg_amop ao
    UNION ALL
    SELECT 'pg_catalog.pg_amproc'::pg_catalog.regclass::pg_catalog.oid, ap.oid, true, ap.amprocnum::pg_catalog.int4,
      ap.amproc::pg_catalog.regprocedure::pg_catalog.text,
      pg_catalog.json_build_object('function', true, 'number', ap.amprocnum,
        'left', ap.amproclefttype::pg_catalog.regtype::pg_catalog.text,
        'right', ap.amprocrighttype::pg_catalog.regtype::pg_catalog.text,
        'signature', ap.amproc::pg_catalog.regprocedure::pg_catalog.text, 'order_by', NULL)
    FROM pg_catalog.pg_amproc ap
  ) m JOIN pg_catalog.pg_depend d ON d.classid = m.classid AND d.objid = m.oid
    AND d.refclassid IN ('pg_catalog.pg_opclass'::pg_catalog.regclass::pg_catalog.oid, 'pg_catalog.pg_opfamily'::pg_catalog.regclass::pg_catalog.oid)
  WHERE d.refobjid IN (SELECT c.oid FROM pg_catalog.pg_opclass c WHERE c.opcnamespace IN (SELECT oid FROM nsp)
                       UNION ALL
                       SELECT f.oid FROM pg_catalog.pg_opfamily f WHERE f.opfnamespace IN (SELECT oid FROM nsp))
  GROUP BY d.refclassid, d.refobjid
),
objects(kind, oid, klass, nsp, name, body) AS (
  SELECT 0, o.oid, 'pg_catalog.pg_operator'::pg_catalog.regclass::pg_catalog.oid, o.oprnamespace, o.oprname::pg_catalog.text,
    pg_catalog.json_build_object(
      'left', CASE WHEN o.oprleft OPERATOR(pg_catalog.<>) 0 THEN pg_catalog.format_type(o.oprleft, NULL) END,
      'right', CASE WHEN o.oprright OPERATOR(pg_catalog.<>) 0 THEN pg_catalog.format_type(o.oprright, NULL) END,
      'function', (SELECT ref FROM fn WHERE fn.oid = o.oprcode::pg_catalog.oid),
      'commutator', (SELECT ref FROM op WHERE op.oid = o.oprcom),
      'negator', (SELECT ref FROM op WHERE op.oid = o.oprnegate),
      'restrict', (SELECT ref FROM fn WHERE fn.oid = o.oprrest::pg_catalog.oid),
      'join', (SELECT ref FROM fn WHERE fn.oid = o.oprjoin::pg_catalog.oid),
      'hashes', o.oprcanhash, 'merges', o.oprcanmerge)
  FROM pg_catalog.pg_operator o WHERE o.oprcode OPERATOR(pg_catalog.<>) 0 AND o.oprnamespace IN (SELECT oid FROM nsp)
  UNION ALL
  SELECT 1, f.oid, 'pg_catalog.pg_opfamily'::pg_catalog.regclass::pg_catalog.oid, f.opfnamespace, f.opfname::pg_catalog.text,
    pg_catalog.json_build_object('method', am.amname,
      'members', (SELECT body FROM members WHERE refclassid = 'pg_catalog.pg_opfamily'::pg_catalog.regclass::pg_catalog.oid AND refobjid = f.oid))
  FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod
  WHERE f.opfnamespace IN (SELECT oid FROM nsp)
  UNION ALL
  SELECT 2, c.oid, 'pg_catalog.pg_opclass'::pg_catalog.regclass::pg_catalog.oid, c.opcnamespace, c.opcname::pg_catalog.text,
    pg_catalog.json_build_object('method', am.amname, 'type', pg_catalog.format_type(c.opcintype, NULL),
      'default', c.opcdefault, 'family', (SELECT ref FROM fam WHERE fam.oid = c.opcfamily),
      'storage', CASE WHEN c.opckeytype OPERATOR(pg_catalog.<>) 0 THEN pg_catalog.format_type(c.opckeytype, NULL) END,
      'members', (SELECT body FROM members WHERE refclassid = 'pg_catalog.pg_opclass'::pg_catalog.regclass::pg_catalog.oid AND refobjid = c.oid))
  FROM pg_catalog.pg_opclass c JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod
  WHERE c.opcnamespace IN (SELECT oid FROM nsp)
  UNION ALL
  SELECT 3, ca.oid, 'pg_catalog.pg_cast'::pg_catalog.regclass::pg_catalog.oid, NULL, '',
    pg_catalog.json_build_object('source', pg_catalog.format_type(ca.castsource, NULL),
      'target', pg_catalog.format_type(ca.casttarget, NULL), 'method', ca.castmethod,
      'function', CASE WHEN ca.castfunc OPERATOR(pg_catalog.<>) 0 THEN ca.castfunc::pg_catalog.regprocedure::pg_catalog.text END,
      'context', ca.castcontext)
  FROM pg_catalog.pg_cast ca WHERE $2::pg_catalog.bool AND ca.oid OPERATOR(pg_catalog.>=) 16384
)
SELECT o.kind, o.oid, n.nspname, o.name, pg_catalog.obj_description(o.oid, o.klass::pg_catalog.regclass::pg_catalog.text),
  o.body::pg_catalog.text
FROM objects o LEFT JOIN pg_catalog.pg_namespace n ON n.oid = o.nsp
WHERE (o.kind = 3 OR (n.nspname = ANY ($1::pg_catalog.text[]) AND n.nspname NOT IN ('pg_catalog', 'information_schema')))
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend xd WHERE xd.classid = o.klass AND xd.objid = o.oid
                  AND (xd.deptype = 'i'
                       OR (xd.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass::pg_catalog.oid AND xd.deptype = 'e')))
ORDER BY o.kind, n.nspname, o.name, o.body::pg_catalog.text
)SQL";

[[noreturn]] void malformed(const std::string &what) {
	throw core::Error("the source server's description of " + what + " is malformed",
	                  core::sqlstate::protocol_violation);
}

const nlohmann::json &field(const nlohmann::json &j, const char *key, const std::string &what) {
	if (!j.is_object() || !j.contains(key))
		malformed(what);
	return j.at(key);
}

std::string text(const nlohmann::json &j, const char *key, const std::string &what) {
	const auto &v = field(j, key, what);
	if (!v.is_string())
		malformed(what);
	return v.get<std::string>();
}

std::optional<std::string> opt_text(const nlohmann::json &j, const char *key, const std::string &what) {
	const auto &v = field(j, key, what);
	if (v.is_null())
		return std::nullopt;
	if (!v.is_string())
		malformed(what);
	return v.get<std::string>();
}

bool flag(const nlohmann::json &j, const char *key, const std::string &what) {
	const auto &v = field(j, key, what);
	if (!v.is_boolean())
		malformed(what);
	return v.get<bool>();
}

std::optional<core::ObjectName> opt_name(const nlohmann::json &j, const char *key, const std::string &what,
                                         bool is_operator = false) {
	const auto &v = field(j, key, what);
	if (v.is_null())
		return std::nullopt;
	if (!v.is_array() || v.size() != 2 || !v[0].is_string() || !v[1].is_string())
		malformed(what);
	core::ObjectName n{v[0].get<std::string>(), v[1].get<std::string>()};
	if (is_operator && !core::is_operator_name(n.name))
		malformed(what);
	return n;
}

core::ObjectName name(const nlohmann::json &j, const char *key, const std::string &what) {
	auto n = opt_name(j, key, what);
	if (!n)
		malformed(what);
	return *n;
}

std::vector<core::OperatorMember> members(const nlohmann::json &j, const std::string &what) {
	std::vector<core::OperatorMember> out;
	const auto &list = field(j, "members", what);
	if (list.is_null())
		return out;
	if (!list.is_array())
		malformed(what);
	for (const auto &m : list) {
		core::OperatorMember member;
		member.is_function = flag(m, "function", what);
		const auto &number = field(m, "number", what);
		if (!number.is_number_integer())
			malformed(what);
		member.number = number.get<int>();
		member.left = text(m, "left", what);
		member.right = text(m, "right", what);
		member.signature = text(m, "signature", what);
		member.order_by = opt_name(m, "order_by", what);
		out.push_back(std::move(member));
	}
	return out;
}

char one_char(const std::string &s, const std::string &what) {
	if (s.size() != 1)
		malformed(what);
	return s[0];
}

} // namespace

OperatorObjects read_operator_objects(libpq::Connection &src, const std::vector<std::string> &schemas,
                                      bool with_casts) {
	auto r = src.exec_params(operator_objects_sql, Params{core::text_array_literal(schemas),
	                                                      std::string(with_casts ? "true" : "false")});
	OperatorObjects out;
	for (int i = 0; i < r.rows(); i++) {
		const long long kind = r.get_int(i, 0);
		const std::string oid = r.get(i, 1), schema = r.get(i, 2), obj = r.get(i, 3);
		const auto comment = r.get_opt(i, 4);
		const std::string what = "operator object \"" + schema + "\".\"" + obj + "\"";
		auto j = nlohmann::json::parse(r.get(i, 5), nullptr, false);
		if (j.is_discarded() || !j.is_object())
			malformed(what);
		if (kind == 0) {
			core::OperatorDef o;
			o.oid = oid;
			o.schema = schema;
			o.name = obj;
			if (!core::is_operator_name(o.name))
				malformed(what);
			o.left = opt_text(j, "left", what);
			o.right = opt_text(j, "right", what);
			o.function = name(j, "function", what);
			o.commutator = opt_name(j, "commutator", what, true);
			o.negator = opt_name(j, "negator", what, true);
			o.restrict_fn = opt_name(j, "restrict", what);
			o.join_fn = opt_name(j, "join", what);
			o.hashes = flag(j, "hashes", what);
			o.merges = flag(j, "merges", what);
			o.comment = comment;
			out.operators.push_back(std::move(o));
		} else if (kind == 1) {
			core::OperatorFamilyDef f;
			f.oid = oid;
			f.schema = schema;
			f.name = obj;
			f.method = text(j, "method", what);
			f.members = members(j, what);
			f.comment = comment;
			out.families.push_back(std::move(f));
		} else if (kind == 2) {
			core::OperatorClassDef c;
			c.oid = oid;
			c.schema = schema;
			c.name = obj;
			c.method = text(j, "method", what);
			c.type = text(j, "type", what);
			c.is_default = flag(j, "default", what);
			c.family = name(j, "family", what);
			c.storage = opt_text(j, "storage", what);
			c.members = members(j, what);
			c.comment = comment;
			out.classes.push_back(std::move(c));
		} else if (kind == 3) {
			core::CastDef c;
			c.oid = oid;
			c.source = text(j, "source", what);
			c.target = text(j, "target", what);
			c.method = one_char(text(j, "method", what), what);
			c.function = opt_text(j, "function", what);
			c.context = one_char(text(j, "context", what), what);
			c.comment = comment;
			out.casts.push_back(std::move(c));
		} else {
			malformed(what);
		}
	}
	return out;
}

} // namespace pgclone::catalog
