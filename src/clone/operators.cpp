// Operators, operator families and classes, casts on the target
// (include/pgclone/clone/operators.hpp).
#include <optional>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/operators.hpp"
#include "pgclone/clone/target.hpp"
#include "pgclone/core/ddl.hpp"

namespace pgclone::clone {

namespace {

using Params = std::vector<std::optional<std::string>>;

bool operator_exists(pg::Spi &spi, const core::OperatorDef &o) {
	return spi
	    .query_value(
	        R"sql(SELECT 1 FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
WHERE n.nspname = $1 AND o.oprname = $2 AND o.oprcode OPERATOR(pg_catalog.<>) 0
  AND o.oprleft = coalesce(pg_catalog.to_regtype($3)::pg_catalog.oid, 0::pg_catalog.oid) AND o.oprright = coalesce(pg_catalog.to_regtype($4)::pg_catalog.oid, 0::pg_catalog.oid))sql",
	        Params{o.schema, o.name, o.left, o.right})
	    .has_value();
}

bool family_exists(pg::Spi &spi, const std::string &schema, const std::string &name,
                   const std::string &method) {
	return spi
	    .query_value(
	        R"sql(SELECT 1 FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_namespace n ON n.oid = f.opfnamespace
JOIN pg_catalog.pg_am am ON am.oid = f.opfmethod WHERE n.nspname = $1 AND f.opfname = $2 AND am.amname = $3)sql",
	        {schema, name, method})
	    .has_value();
}

bool class_exists(pg::Spi &spi, const core::OperatorClassDef &c) {
	return spi
	    .query_value(
	        R"sql(SELECT 1 FROM pg_catalog.pg_opclass c JOIN pg_catalog.pg_namespace n ON n.oid = c.opcnamespace
JOIN pg_catalog.pg_am am ON am.oid = c.opcmethod WHERE n.nspname = $1 AND c.opcname = $2 AND am.amname = $3)sql",
	        {c.schema, c.name, c.method})
	    .has_value();
}

bool cast_exists(pg::Spi &spi, const core::CastDef &c) {
	return spi
	    .query_value(R"sql(SELECT 1 FROM pg_catalog.pg_cast
WHERE castsource = pg_catalog.to_regtype($1)::pg_catalog.oid AND casttarget = pg_catalog.to_regtype($2)::pg_catalog.oid)sql",
	                 {c.source, c.target})
	    .has_value();
}

std::vector<std::string> comment(const std::optional<std::string> &sql) {
	return sql ? std::vector<std::string>{*sql} : std::vector<std::string>{};
}

void move_name(core::ObjectName &n, const SchemaMove &move) {
	n.schema = move.map(n.schema);
}

void move_name(std::optional<core::ObjectName> &n, const SchemaMove &move) {
	if (n)
		move_name(*n, move);
}

void move_members(std::vector<core::OperatorMember> &members, const SchemaMove &move) {
	for (auto &m : members)
		move_name(m.order_by, move);
}

} // namespace

void move_operator_objects(catalog::OperatorObjects &objects, const SchemaMove &move) {
	if (!move.active())
		return;
	for (auto &o : objects.operators) {
		o.schema = move.map(o.schema);
		move_name(o.function, move);
		move_name(o.commutator, move);
		move_name(o.negator, move);
		move_name(o.restrict_fn, move);
		move_name(o.join_fn, move);
	}
	for (auto &f : objects.families) {
		f.schema = move.map(f.schema);
		move_members(f.members, move);
	}
	for (auto &c : objects.classes) {
		c.schema = move.map(c.schema);
		move_name(c.family, move);
		move_members(c.members, move);
	}
}

std::vector<DdlItem> operator_ddl_items(pg::Spi &spi, const catalog::OperatorObjects &objects) {
	std::vector<DdlItem> items;
	for (const auto &o : objects.operators) {
		if (operator_exists(spi, o))
			continue;
		lock_target_name(o.schema, o.name);
		if (operator_exists(spi, o))
			continue;
		ensure_schema(spi, o.schema);
		// The signature names the operator for messages too (its name
		// is checked there).
		items.push_back({"operator " + core::operator_signature(o),
		                 core::create_operator_sql(o),
		                 comment(core::operator_comment_sql(o)),
		                 {}});
	}
	std::vector<DdlItem> family_members;
	for (const auto &f : objects.families) {
		if (family_exists(spi, f.schema, f.name, f.method))
			continue;
		lock_target_name(f.schema, f.name);
		if (family_exists(spi, f.schema, f.name, f.method))
			continue;
		ensure_schema(spi, f.schema);
		const std::string what = "operator family " + object_name(f.schema, f.name) + " using " + f.method;
		items.push_back(
		    {what, core::create_operator_family_sql(f), comment(core::operator_family_comment_sql(f)), {}});
		if (auto add = core::operator_family_members_sql(f))
			family_members.push_back({"the members of " + what, *add, {}, {}});
	}
	for (const auto &c : objects.classes) {
		if (class_exists(spi, c))
			continue;
		lock_target_name(c.schema, c.name);
		if (class_exists(spi, c))
			continue;
		ensure_schema(spi, c.schema);
		items.push_back({"operator class " + object_name(c.schema, c.name) + " using " + c.method,
		                 core::create_operator_class_sql(c),
		                 comment(core::operator_class_comment_sql(c)),
		                 {}});
	}
	for (auto &m : family_members)
		items.push_back(std::move(m));
	for (const auto &c : objects.casts) {
		if (cast_exists(spi, c))
			continue;
		items.push_back({"cast " + core::cast_signature(c),
		                 core::create_cast_sql(c),
		                 comment(core::cast_comment_sql(c)),
		                 {}});
	}
	return items;
}

void operator_dry_run_steps(pg::Spi &spi, const catalog::OperatorObjects &objects,
                            std::vector<core::PlanStep> &steps) {
	auto action = [](bool exists) { return exists ? "keep" : "create"; };
	for (const auto &o : objects.operators)
		steps.push_back({"operator", core::operator_signature(o), action(operator_exists(spi, o))});
	for (const auto &f : objects.families)
		steps.push_back({"operator family", core::display_name(f.schema, f.name) + " using " + f.method,
		                 action(family_exists(spi, f.schema, f.name, f.method))});
	for (const auto &c : objects.classes)
		steps.push_back({"operator class", core::display_name(c.schema, c.name) + " using " + c.method,
		                 action(class_exists(spi, c))});
	for (const auto &c : objects.casts)
		steps.push_back({"cast", core::cast_signature(c), action(cast_exists(spi, c))});
}

} // namespace pgclone::clone
