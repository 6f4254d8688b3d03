// Owners and ACLs of cloned objects (include/pgclone/clone/privileges.hpp).
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/privilege_reader.hpp"
#include "pgclone/clone/privileges.hpp"
#include "pgclone/clone/target_schema.hpp"
#include "pgclone/clone/run_as.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/privileges.hpp"
#include "pgclone/core/schema_plan.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

namespace {

using catalog::ObjectPrivileges;
using core::qualified_name;
using core::quote_ident;

// What the target says about one object: its owner now, whether an
// extension owns it. nullopt: not on the target.
struct TargetObject {
	std::string owner;
	bool extension_member = false;
};

// Kinds looked up in pg_class (a column: its relation).
bool is_relation_kind(const ObjectPrivileges &o) {
	return o.kind != "schema" && o.kind != "type" && o.kind != "domain" && o.kind != "function" &&
	       o.kind != "procedure";
}

using RelationKey = std::pair<std::string, std::string>; // schema, name

// Every relation of these schemas on the target, in one query: a clone of
// 5,000 tables would otherwise ask for 10,000 objects (its tables and their
// sequences) one by one.
std::map<RelationKey, TargetObject> read_relations(pg::Spi &spi, const std::set<std::string> &schemas) {
	std::map<RelationKey, TargetObject> out;
	if (schemas.empty())
		return out;
	std::vector<std::string> names(schemas.begin(), schemas.end());
	for (const auto &r : spi.query(R"sql(SELECT n.nspname::pg_catalog.text, c.relname::pg_catalog.text,
  pg_catalog.pg_get_userbyid(c.relowner)::pg_catalog.text, EXISTS (
  SELECT 1 FROM pg_catalog.pg_depend d
  WHERE d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid
    AND d.objid OPERATOR(pg_catalog.=) c.oid AND d.deptype OPERATOR(pg_catalog.=) 'e')
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
WHERE n.nspname::pg_catalog.text OPERATOR(pg_catalog.=) ANY ($1::pg_catalog.text[]))sql",
	                               {core::text_array_literal(names)}))
		out[RelationKey(r[0].value_or(""), r[1].value_or(""))] = TargetObject{r[2].value_or(""), r[3].value_or("") == "t"};
	return out;
}

// An object of another kind than a relation (those: read_relations).
std::optional<TargetObject> target_object(pg::Spi &spi, const ObjectPrivileges &o) {
	std::optional<pg::Row> row; // kept plans: asked for every object of a clone
	if (o.kind == "schema")
		row = spi.lookup_row(R"sql(SELECT pg_catalog.pg_get_userbyid(n.nspowner)::pg_catalog.text, EXISTS (
  SELECT 1 FROM pg_catalog.pg_depend d
  WHERE d.classid = 'pg_catalog.pg_namespace'::pg_catalog.regclass::pg_catalog.oid
    AND d.objid = n.oid AND d.deptype = 'e')
FROM pg_catalog.pg_namespace n WHERE n.nspname = $1)sql",
		                 {o.schema});
	else if (o.kind == "type" || o.kind == "domain")
		row = spi.lookup_row(R"sql(SELECT pg_catalog.pg_get_userbyid(t.typowner)::pg_catalog.text, EXISTS (
  SELECT 1 FROM pg_catalog.pg_depend d
  WHERE d.classid = 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid
    AND d.objid = t.oid AND d.deptype = 'e')
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = $1 AND t.typname = $2)sql",
		                 {o.schema, o.name});
	else
		row = spi.lookup_row(R"sql(SELECT pg_catalog.pg_get_userbyid(p.proowner)::pg_catalog.text, EXISTS (
  SELECT 1 FROM pg_catalog.pg_depend d
  WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid
    AND d.objid = p.oid AND d.deptype = 'e')
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = $1 AND p.proname = $2
  AND pg_catalog.pg_get_function_identity_arguments(p.oid) = $3)sql",
		                 {o.schema, o.name, o.args});
	if (!row)
		return std::nullopt;
	return TargetObject{(*row)[0].value_or(""), (*row)[1].value_or("") == "t"};
}

// The object as ALTER ... OWNER TO names it, and as GRANT ... ON names it.
std::string alter_clause(const ObjectPrivileges &o) {
	if (o.kind == "schema")
		return "SCHEMA " + quote_ident(o.schema);
	std::string q = qualified_name(o.schema, o.name);
	if (o.kind == "function" || o.kind == "procedure")
		return (o.kind == "function" ? "FUNCTION " : "PROCEDURE ") + q + "(" + o.args + ")";
	if (o.kind == "view")
		return "VIEW " + q;
	if (o.kind == "materialized view")
		return "MATERIALIZED VIEW " + q;
	if (o.kind == "sequence")
		return "SEQUENCE " + q;
	if (o.kind == "type")
		return "TYPE " + q;
	if (o.kind == "domain")
		return "DOMAIN " + q;
	return "TABLE " + q;
}

std::string grant_clause(const ObjectPrivileges &o) {
	if (o.kind == "view" || o.kind == "materialized view")
		return "TABLE " + qualified_name(o.schema, o.name);
	return alter_clause(o);
}

// For messages: function "s"."f"(integer), table "s"."t", schema "s".
std::string display(const ObjectPrivileges &o) {
	if (o.kind == "schema")
		return "schema \"" + o.schema + "\"";
	std::string s = o.kind + " \"" + o.schema + "\".\"" + o.name + "\"";
	if (o.kind == "function" || o.kind == "procedure")
		s += "(" + o.args + ")";
	else if (o.kind == "column")
		s += ".\"" + o.args + "\"";
	return s;
}

// "a", "b", "c" and 2 more
std::string some_names(const std::set<std::string> &names) {
	constexpr std::size_t shown = 5;
	std::string s;
	std::size_t i = 0;
	for (const auto &n : names) {
		if (i == shown)
			break;
		s += (i++ ? ", \"" : "\"") + n + "\"";
	}
	if (names.size() > shown)
		s += " and " + std::to_string(names.size() - shown) + " more";
	return s;
}

class Applier {
public:
	// Reads the relations of the objects' schemas at once (read_relations).
	Applier(pg::Spi &spi, const core::CloneOptions &options, const std::vector<ObjectPrivileges> &objects)
	    : spi_(spi), options_(options) {
		std::set<std::string> schemas;
		for (const auto &o : objects)
			if (is_relation_kind(o))
				schemas.insert(o.schema);
		relations_ = read_relations(spi_, schemas);
	}

	void apply(const ObjectPrivileges &o) {
		auto target = find(o);
		if (!target || target->extension_member)
			return;
		bool owner_cloned = target->owner == o.owner;
		if (!owner_cloned && options_.owners && !o.owned_by_table) {
			if (!may_give_to(o.owner)) {
				missing_owners_.insert(o.owner);
				objects_without_owner_++;
			} else {
				owner_cloned =
				    run(display(o) + ": could not give it to its source owner \"" + o.owner + "\"",
				        "ALTER " + alter_clause(o) + " OWNER TO " + quote_ident(o.owner));
				// The relation's owner as the constructor read it is its
				// owner no more. (ALTER TABLE also gives the table's indexes
				// and owned sequences to the role; their own objects are
				// owned_by_table, whose owner this class never changes.)
				if (owner_cloned && is_relation_kind(o))
					if (auto it = relations_.find({o.schema, o.name}); it != relations_.end())
						it->second.owner = o.owner;
			}
		}
		if (o.security_definer && !owner_cloned) {
			protect_security_definer(o, target->owner);
			return;
		}
		if (options_.privileges && o.has_acl)
			apply_acl(o);
		// Without the source's ACL, the default one would let PUBLIC run a
		// SECURITY DEFINER routine that the source had restricted.
		else if (o.security_definer && o.has_acl)
			run(display(o) + ": could not revoke EXECUTE from PUBLIC",
			    "REVOKE ALL ON " + alter_clause(o) + " FROM PUBLIC");
	}

	// The two summaries are WARNINGs that the result text does not count:
	// the objects were cloned, only the roles are not there (or not the
	// caller's to give objects to); the result texts of a clone into a
	// target without the source's roles stay as docs/USAGE.md shows them.
	int finish() {
		if (objects_without_owner_ > 0) {
			const bool one = objects_without_owner_ == 1;
			pg::warning("pgclone: " + std::to_string(objects_without_owner_) +
			                (one ? " object keeps the caller as owner: its source owner does"
			                     : " objects keep the caller as owner: their source owners do") +
			                " not exist on the target or cannot be given objects by the caller",
			            "Roles: " + some_names(missing_owners_) + ".",
			            "Create the roles first (pgclone.clone_roles()), and clone as a superuser or a member of the owning roles, to clone the owners.");
		}
		if (skipped_grants_ > 0) {
			pg::warning("pgclone: " + std::to_string(skipped_grants_) + " privilege" +
			                (skipped_grants_ == 1 ? "" : "s") +
			                " of the source not cloned: their grantees do not exist on the target",
			            "Missing roles: " + some_names(missing_grantees_) + ".",
			            "Create the roles first (pgclone.clone_roles()) to clone their privileges.");
		}
		return warnings_;
	}

private:
	std::optional<TargetObject> find(const ObjectPrivileges &o) {
		if (!is_relation_kind(o))
			return target_object(spi_, o);
		auto it = relations_.find({o.schema, o.name});
		if (it == relations_.end())
			return std::nullopt;
		return it->second;
	}

	// The role's OID on the target, 0 when it does not exist.
	unsigned int role_oid(const std::string &role) {
		auto it = roles_.find(role);
		if (it != roles_.end())
			return it->second;
		const char *name = role.c_str();
		unsigned int oid = pg::call([=] { return get_role_oid(name, true); });
		roles_[role] = oid;
		return oid;
	}

	bool role_exists(const std::string &role) { return role_oid(role) != 0; }

	// ALTER ... OWNER TO role: the role exists and the caller may become it.
	bool may_give_to(const std::string &role) {
		unsigned int oid = role_oid(role);
		return oid != 0 && can_set_role(oid);
	}

	bool run(const std::string &what, const std::string &sql) {
		if (auto err = spi_.exec_in_subtransaction(sql, true)) {
			warnings_++;
			pg::warning("pgclone: " + what, *err);
			return false;
		}
		return true;
	}

	// Owned by someone else than on the source, it would run as that role
	// for everyone its grants reach: nobody but its owner may call it.
	void protect_security_definer(const ObjectPrivileges &o, const std::string &owner_now) {
		warnings_++;
		if (!run(display(o) + ": could not revoke EXECUTE from PUBLIC",
		         "REVOKE ALL ON " + alter_clause(o) + " FROM PUBLIC"))
			return;
		pg::warning("pgclone: SECURITY DEFINER " + display(o) + " is owned by \"" + owner_now +
		                "\" on the target; EXECUTE revoked from PUBLIC and none of its grants cloned",
		            "Its source owner \"" + o.owner +
		                (options_.owners ? "\" does not exist on the target or could not be given the function"
		                                 : "\" was not cloned (option \"owners\" is false)") +
		                ": as it was granted on the source, it would run as \"" + owner_now + "\" for everyone.",
		            "ALTER " + alter_clause(o) + " OWNER TO the right role, then GRANT EXECUTE as needed.");
	}

	void apply_acl(const ObjectPrivileges &o) {
		// The source's ACL replaces the default one: PUBLIC first loses
		// what the default gave it (EXECUTE on a function, USAGE on a type).
		// A column's privileges name it: GRANT SELECT ("c") ON TABLE ...
		const std::string column = o.kind == "column" ? " (" + quote_ident(o.args) + ")" : "";
		if (!run(display(o) + ": could not revoke the default privileges of PUBLIC",
		         "REVOKE ALL" + column + " ON " + grant_clause(o) + " FROM PUBLIC"))
			return;
		// One GRANT per grantee and grant option, listing its privileges.
		using Key = std::pair<std::optional<std::string>, bool>;
		std::map<Key, std::string> grants;
		for (const auto &e : o.acl) {
			// The owner's own privileges come with ownership.
			if (e.grantee && *e.grantee == o.owner)
				continue;
			// Pasted into SQL as a keyword: only the keywords aclexplode() produces.
			if (!core::is_known_privilege(e.privilege)) {
				warnings_++;
				pg::warning("pgclone: unknown privilege \"" + e.privilege + "\" on the source not cloned",
				            "It is granted on " + display(o) + ".");
				continue;
			}
			if (!core::server_has_privilege(e.privilege, PG_VERSION_NUM))
				continue;
			if (e.grantee && !role_exists(*e.grantee)) {
				missing_grantees_.insert(*e.grantee);
				skipped_grants_++;
				continue;
			}
			std::string &privs = grants[{e.grantee, e.grantable}];
			privs += (privs.empty() ? "" : ", ") + e.privilege + column;
		}
		for (const auto &[k, privs] : grants) {
			const std::string to = k.first ? quote_ident(*k.first) : "PUBLIC";
			run(display(o) + ": could not grant " + privs + " to " + (k.first ? "\"" + *k.first + "\"" : "PUBLIC"),
			    "GRANT " + privs + " ON " + grant_clause(o) + " TO " + to + (k.second ? " WITH GRANT OPTION" : ""));
		}
	}

	pg::Spi &spi_;
	const core::CloneOptions &options_;
	std::map<RelationKey, TargetObject> relations_;
	std::map<std::string, unsigned int> roles_;
	std::set<std::string> missing_owners_, missing_grantees_;
	int objects_without_owner_ = 0;
	int skipped_grants_ = 0;
	int warnings_ = 0;
};

} // namespace

int apply_privileges(pg::Spi &spi, const std::vector<ObjectPrivileges> &objects,
                     const core::CloneOptions &options) {
	Applier a(spi, options, objects);
	// A table's columns after it: its REVOKE ALL ... FROM PUBLIC (apply_acl)
	// revokes the columns' privileges of PUBLIC too, and the source's ACLs
	// come sorted by kind, "column" before "table".
	for (const auto &o : objects)
		if (o.kind != "column")
			a.apply(o);
	for (const auto &o : objects)
		if (o.kind == "column")
			a.apply(o);
	return a.finish();
}

int clone_table_privileges(libpq::Connection &src, const std::string &schema, const std::string &table,
                           const std::string &target_table, const core::CloneOptions &options) {
	std::vector<ObjectPrivileges> objects;
	const SchemaMove move = schema_move(schema, options);
	for (auto &o : catalog::read_privileges(src, {schema}, table)) {
		o.schema = move.map(o.schema);
		if ((o.kind == "table" || o.kind == "column") && !target_table.empty())
			o.name = target_table;
		// Under another table name its sequences have names of their own
		// (orders_copy_id_seq): they keep the defaults.
		else if (o.kind == "sequence" && !target_table.empty() && target_table != table)
			continue;
		objects.push_back(std::move(o));
	}
	pg::Spi spi;
	int warnings = apply_privileges(spi, objects, options);
	spi.finish();
	return warnings;
}

} // namespace pgclone::clone
