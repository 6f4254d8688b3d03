// DDL text of operators, operator families and classes, casts
// (include/pgclone/core/operators.hpp).
#include <optional>
#include <string>
#include <vector>

#include "pgclone/core/aggregates.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/operators.hpp"

#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

// `"s".op`: the schema quoted, the operator name checked (it cannot be quoted).
std::string operator_name(const std::string &schema, const std::string &name) {
	if (!is_operator_name(name))
		throw Error("operator name \"" + name + "\" of the source is not an operator name",
		            sqlstate::protocol_violation);
	return quote_ident(schema) + "." + name;
}

std::string operator_ref(const ObjectName &o) {
	return "OPERATOR(" + operator_name(o.schema, o.name) + ")";
}

// `OPERATOR 1 s.<(t,t) [FOR ORDER BY f]` / `FUNCTION 1 (t, t) s.f(t,t)`.
std::string member_sql(const OperatorMember &m) {
	if (m.is_function)
		return "FUNCTION " + std::to_string(m.number) + " (" + m.left + ", " + m.right + ") " + m.signature;
	std::string out = "OPERATOR " + std::to_string(m.number) + " " + m.signature;
	if (m.order_by)
		out += " FOR ORDER BY " + qualified_name(*m.order_by);
	return out;
}

std::string member_list(const std::vector<OperatorMember> &members) {
	std::string out;
	for (const auto &m : members)
		out += (out.empty() ? "" : ", ") + member_sql(m);
	return out;
}

std::string using_method(const std::string &method) {
	return " USING " + quote_ident(method);
}

std::optional<std::string> comment_sql(const std::string &what, const std::optional<std::string> &comment) {
	if (!comment)
		return std::nullopt;
	return "COMMENT ON " + what + " IS " + quote_literal(*comment);
}

} // namespace

std::string operator_signature(const OperatorDef &o) {
	return operator_name(o.schema, o.name) + " (" + o.left.value_or("NONE") + ", " +
	       o.right.value_or("NONE") + ")";
}

std::string create_operator_sql(const OperatorDef &o) {
	std::string opts = "FUNCTION = " + qualified_name(o.function);
	if (o.left)
		opts += ", LEFTARG = " + *o.left;
	if (o.right)
		opts += ", RIGHTARG = " + *o.right;
	if (o.commutator)
		opts += ", COMMUTATOR = " + operator_ref(*o.commutator);
	if (o.negator)
		opts += ", NEGATOR = " + operator_ref(*o.negator);
	if (o.restrict_fn)
		opts += ", RESTRICT = " + qualified_name(*o.restrict_fn);
	if (o.join_fn)
		opts += ", JOIN = " + qualified_name(*o.join_fn);
	if (o.hashes)
		opts += ", HASHES";
	if (o.merges)
		opts += ", MERGES";
	return "CREATE OPERATOR " + operator_name(o.schema, o.name) + " (" + opts + ")";
}

std::string create_operator_family_sql(const OperatorFamilyDef &f) {
	return "CREATE OPERATOR FAMILY " + qualified_name(f.schema, f.name) + using_method(f.method);
}

std::optional<std::string> operator_family_members_sql(const OperatorFamilyDef &f) {
	if (f.members.empty())
		return std::nullopt;
	return "ALTER OPERATOR FAMILY " + qualified_name(f.schema, f.name) + using_method(f.method) + " ADD " +
	       member_list(f.members);
}

std::string create_operator_class_sql(const OperatorClassDef &c) {
	std::string items = member_list(c.members);
	// A class needs one item at least; STORAGE of its own type changes nothing.
	if (c.storage || items.empty())
		items += (items.empty() ? "" : ", ") + std::string("STORAGE ") + c.storage.value_or(c.type);
	return "CREATE OPERATOR CLASS " + qualified_name(c.schema, c.name) + (c.is_default ? " DEFAULT" : "") +
	       " FOR TYPE " + c.type + using_method(c.method) + " FAMILY " + qualified_name(c.family) + " AS " +
	       items;
}

std::string cast_signature(const CastDef &c) {
	return "(" + c.source + " AS " + c.target + ")";
}

std::string create_cast_sql(const CastDef &c) {
	std::string how;
	if (c.method == 'i')
		how = "WITH INOUT";
	else if (c.method == 'b')
		how = "WITHOUT FUNCTION";
	else if (c.function)
		how = "WITH FUNCTION " + *c.function;
	else
		throw Error("cast " + cast_signature(c) + " of the source has no function",
		            sqlstate::protocol_violation);
	const char *context = c.context == 'a' ? " AS ASSIGNMENT" : c.context == 'i' ? " AS IMPLICIT" : "";
	return "CREATE CAST " + cast_signature(c) + " " + how + context;
}

std::optional<std::string> operator_comment_sql(const OperatorDef &o) {
	return comment_sql("OPERATOR " + operator_signature(o), o.comment);
}

std::optional<std::string> operator_family_comment_sql(const OperatorFamilyDef &f) {
	return comment_sql("OPERATOR FAMILY " + qualified_name(f.schema, f.name) + using_method(f.method),
	                   f.comment);
}

std::optional<std::string> operator_class_comment_sql(const OperatorClassDef &c) {
	return comment_sql("OPERATOR CLASS " + qualified_name(c.schema, c.name) + using_method(c.method),
	                   c.comment);
}

std::optional<std::string> cast_comment_sql(const CastDef &c) {
	return comment_sql("CAST " + cast_signature(c), c.comment);
}

} // namespace pgclone::core
