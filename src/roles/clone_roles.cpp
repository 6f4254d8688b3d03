// pgclone.clone_roles(). C++ regime; the target through pg::Spi (in the
// caller's transaction: a failure leaves no role behind), the source through
// one READ ONLY libpq transaction.
//
// Roles never touched on the target: predefined roles (pg_*), the target's
// bootstrap superuser, and the roles this session runs as (current_user and
// session_user). Nothing is ever dropped or revoked.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/catalog/default_acl_reader.hpp"
#include "pgclone/clone/default_privileges.hpp"
#include "pgclone/libpq/source_session.hpp"
#include "pgclone/core/privileges.hpp"
#include "pgclone/core/role_settings.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/text.hpp"
#include "pgclone/core/role_list.hpp"
#include "pgclone/libpq/conninfo.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/spi.hpp"
#include "pgclone/roles/clone_roles.hpp"
#include "pgclone/roles/source_roles.hpp"

namespace pgclone::roles {

namespace {

using core::qualified_name;
using core::quote_ident;
using core::quote_literal;

struct Target {
	std::set<std::string> protected_roles;
	std::map<std::string, bool> roles;                               // name -> has VALID UNTIL
	std::map<std::pair<std::string, std::string>, bool> memberships; // (group, member) -> admin option
	std::set<std::string> schemas;
	std::map<std::pair<std::string, std::string>, char> relations; // (schema, name) -> relkind
	std::set<std::tuple<std::string, std::string, std::string, bool>>
	    routines; // schema, name, args, procedure
};

Target read_target(pg::Spi &spi) {
	Target t;
	auto who = spi.query(R"sql(SELECT current_user::text, session_user::text, (SELECT rolname::text FROM pg_catalog.pg_roles WHERE oid = 10))sql");
	for (const auto &v : who.at(0))
		if (v)
			t.protected_roles.insert(*v);
	for (const auto &r :
	     spi.query("SELECT rolname::text, rolvaliduntil IS NOT NULL FROM pg_catalog.pg_roles"))
		t.roles[*r[0]] = *r[1] == "t";
	for (const auto &r :
	     spi.query(R"sql(SELECT g.rolname::text, m.rolname::text, pg_catalog.bool_or(am.admin_option)
FROM pg_catalog.pg_auth_members am
JOIN pg_catalog.pg_roles g ON g.oid = am.roleid
JOIN pg_catalog.pg_roles m ON m.oid = am.member GROUP BY 1, 2)sql"))
		t.memberships[{*r[0], *r[1]}] = *r[2] == "t";
	for (const auto &r : spi.query("SELECT nspname::text FROM pg_catalog.pg_namespace"))
		t.schemas.insert(*r[0]);
	for (const auto &r :
	     spi.query(R"sql(SELECT n.nspname::text, c.relname::text, c.relkind::text
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S'))sql"))
		t.relations[{*r[0], *r[1]}] = (*r[2])[0];
	for (const auto &r :
	     spi.query(R"sql(SELECT n.nspname::text, p.proname::text, pg_catalog.pg_get_function_identity_arguments(p.oid), p.prokind = 'p'
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema')sql"))
		t.routines.insert({*r[0], *r[1], r[2].value_or(""), *r[3] == "t"});
	return t;
}

std::vector<const SourceRole *> select_roles(const SourceCluster &src,
                                             const std::optional<std::string> &names) {
	std::vector<const SourceRole *> out;
	if (!names) {
		for (const auto &r : src.roles)
			out.push_back(&r);
		return out;
	}
	for (const auto &name : core::parse_role_list(*names)) {
		const SourceRole *found = nullptr;
		for (const auto &r : src.roles)
			if (r.name == name)
				found = &r;
		if (found)
			out.push_back(found);
		else if (name.rfind("pg_", 0) == 0)
			pg::warning(
			    "pgclone: role \"" + name + "\" skipped",
			    "Roles whose names begin with \"pg_\" are predefined by PostgreSQL and are not cloned.");
		else if (name == src.bootstrap_superuser)
			pg::warning("pgclone: role \"" + name + "\" skipped",
			            "It is the bootstrap superuser of the source cluster, which is not cloned.");
		else
			pg::warning("pgclone: role \"" + name + "\" does not exist on the source server");
	}
	return out;
}

std::string attributes(const SourceRole &r, bool target_has_valid_until) {
	std::string s;
	s += r.superuser ? "SUPERUSER" : "NOSUPERUSER";
	s += r.inherit ? " INHERIT" : " NOINHERIT";
	s += r.createrole ? " CREATEROLE" : " NOCREATEROLE";
	s += r.createdb ? " CREATEDB" : " NOCREATEDB";
	s += r.login ? " LOGIN" : " NOLOGIN";
	s += r.replication ? " REPLICATION" : " NOREPLICATION";
	s += r.bypassrls ? " BYPASSRLS" : " NOBYPASSRLS";
	s += " CONNECTION LIMIT " + std::to_string(r.connection_limit);
	// VALID UNTIL cannot be reset to NULL; 'infinity' means the same.
	if (r.valid_until)
		s += " VALID UNTIL " + quote_literal(*r.valid_until);
	else if (target_has_valid_until)
		s += " VALID UNTIL 'infinity'";
	return s;
}

// The statement carries the password hash, so its failure is re-raised
// without the statement (SPI's error context would quote it) and with the
// hash scrubbed from the message.
void set_password(pg::Spi &spi, const std::string &role, const std::optional<std::string> &hash) {
	std::string sql =
	    "ALTER ROLE " + quote_ident(role) + " PASSWORD " + (hash ? quote_literal(*hash) : "NULL");
	try {
		spi.exec(sql);
	} catch (const pg::PgError &e) {
		ErrorData *ed = e.data();
		int code = ed ? ed->sqlerrcode : ERRCODE_INTERNAL_ERROR;
		std::string msg = ed && ed->message ? ed->message : "unknown error";
		if (hash)
			msg = libpq::scrub_password(msg, *hash);
		// The SQLSTATE text, unpacked here: no server call after a caught error.
		char state[6];
		for (int i = 0; i < 5; i++, code >>= 6)
			state[i] = PGUNSIXBIT(code);
		state[5] = '\0';
		throw core::Error("could not set the password of role \"" + role + "\" on the target: " + msg, state);
	}
}

int apply_memberships(pg::Spi &spi, const SourceCluster &src, const std::set<std::string> &cloned,
                      Target &t) {
	int applied = 0;
	for (const auto &m : src.memberships) {
		if (!cloned.count(m.member) && !cloned.count(m.group))
			continue;
		std::string what = "membership of role \"" + m.member + "\" in role \"" + m.group + "\"";
		if (t.protected_roles.count(m.member) || t.protected_roles.count(m.group)) {
			pg::warning(
			    "pgclone: " + what + " not cloned",
			    "It involves a role this session runs as or the bootstrap superuser, which pgclone never changes.");
			continue;
		}
		const std::string &missing = !t.roles.count(m.group) ? m.group : m.member;
		if (!t.roles.count(m.group) || !t.roles.count(m.member)) {
			pg::warning("pgclone: " + what + " not cloned",
			            "Role \"" + missing + "\" does not exist on the target.",
			            "Clone that role too, or create it first.");
			continue;
		}
		auto have = t.memberships.find({m.group, m.member});
		if (have != t.memberships.end() && (have->second || !m.admin_option))
			continue;
		std::string sql = "GRANT " + quote_ident(m.group) + " TO " + quote_ident(m.member) +
		                  (m.admin_option ? " WITH ADMIN OPTION" : "");
		if (auto err = spi.exec_in_subtransaction(sql)) {
			pg::warning("pgclone: could not clone " + what, *err);
			continue;
		}
		t.memberships[{m.group, m.member}] = m.admin_option;
		applied++;
	}
	return applied;
}

// The object clause of a GRANT, or nullopt when the object does not exist on
// the target (with the matching kind).
std::optional<std::string> grant_object(const Grant &g, const Target &t) {
	if (g.kind == "schema")
		return t.schemas.count(g.schema) ? std::optional<std::string>("SCHEMA " + quote_ident(g.schema))
		                                 : std::nullopt;
	if (g.kind == "column") {
		auto it = t.relations.find({g.schema, g.name});
		if (it == t.relations.end() || it->second == 'S')
			return std::nullopt;
		return "TABLE " + qualified_name(g.schema, g.name);
	}
	if (g.kind == "table" || g.kind == "sequence") {
		auto it = t.relations.find({g.schema, g.name});
		if (it == t.relations.end() || (it->second == 'S') != (g.kind == "sequence"))
			return std::nullopt;
		return (g.kind == "sequence" ? "SEQUENCE " : "TABLE ") + qualified_name(g.schema, g.name);
	}
	bool procedure = g.kind == "procedure";
	if (!t.routines.count({g.schema, g.name, g.args, procedure}))
		return std::nullopt;
	return (procedure ? "PROCEDURE " : "FUNCTION ") + qualified_name(g.schema, g.name) + "(" + g.args + ")";
}

int apply_grants(pg::Spi &spi, const SourceCluster &src, const std::set<std::string> &cloned,
                 const Target &t) {
	// One GRANT per object, grantee and grant option, listing its privileges.
	using Key = std::tuple<std::string, std::string, bool>; // object clause, grantee, grantable
	std::map<Key, std::vector<std::string>> statements;
	std::vector<Key> order;
	int not_on_target = 0;
	for (const auto &g : src.grants) {
		if (!cloned.count(g.grantee))
			continue;
		// The privilege name is pasted into SQL: accept only the keywords
		// aclexplode() produces, whatever the source server sends.
		if (!core::is_known_privilege(g.privilege)) {
			pg::warning("pgclone: unknown privilege \"" + g.privilege + "\" on the source not cloned",
			            "Role \"" + g.grantee + "\" holds it on " + g.kind + " \"" + g.schema +
			                (g.name.empty() ? "" : "\".\"" + g.name) + "\".");
			continue;
		}
		auto object = grant_object(g, t);
		if (!object)
			continue;
		if (g.kind == "column" &&
		    !spi.query_value(R"sql(SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relname = $2 AND a.attname = $3 AND a.attnum > 0 AND NOT a.attisdropped)sql",
		                     {g.schema, g.name, g.args}))
			continue;
		if (!core::server_has_privilege(g.privilege, PG_VERSION_NUM)) {
			not_on_target++;
			continue;
		}
		Key k{*object, g.grantee, g.grantable};
		auto &privs = statements[k];
		if (privs.empty())
			order.push_back(k);
		// A column's privilege names it: GRANT SELECT ("c") ON TABLE ...
		privs.push_back(g.kind == "column" ? g.privilege + " (" + quote_ident(g.args) + ")" : g.privilege);
	}
	if (not_on_target > 0)
		pg::notice("pgclone: " + std::to_string(not_on_target) + " MAINTAIN privilege" +
		               (not_on_target == 1 ? "" : "s") + " of the source not cloned",
		           "The source is PostgreSQL 17 or later; this server is PostgreSQL " +
		               std::to_string(PG_VERSION_NUM / 10000) + ", which has no MAINTAIN privilege.");
	int applied = 0;
	for (const auto &k : order) {
		const auto &[object, grantee, grantable] = k;
		std::string privs;
		for (const auto &p : statements[k])
			privs += (privs.empty() ? "" : ", ") + p;
		std::string sql = "GRANT " + privs + " ON " + object + " TO " + quote_ident(grantee) +
		                  (grantable ? " WITH GRANT OPTION" : "");
		if (auto err = spi.exec_in_subtransaction(sql)) {
			pg::warning(
			    "pgclone: could not grant " + privs + " on " + object + " to role \"" + grantee + "\"", *err);
			continue;
		}
		applied++;
	}
	return applied;
}

// The elements of a list setting (search_path, ...) as the target server
// splits them (its own flags say which settings are lists, and its own
// SplitGUCList reads the quoting); any other value is one element. A
// setting the target does not know (a custom one) is one element, as
// pg_dump writes it.
std::vector<std::string> setting_values(const std::string &name, const std::string &value) {
	bool is_list = false, split = false;
	List *items = NIL;
	pg::call([&] {
		if (GetConfigOptionFlags(name.c_str(), true) & GUC_LIST_QUOTE) {
			is_list = true;
			split = SplitGUCList(pstrdup(value.c_str()), ',', &items);
		}
	});
	if (!is_list || !split)
		return {value};
	std::vector<std::string> out;
	ListCell *lc;
	foreach (lc, items)
		out.emplace_back(static_cast<const char *>(lfirst(lc)));
	return out;
}

// ALTER ROLE ... [IN DATABASE ...] SET for the cloned roles' settings. A
// setting for a database the target lacks is left out (one NOTICE names
// the databases); a setting the target refuses is a WARNING.
int apply_settings(pg::Spi &spi, const SourceCluster &src, const std::set<std::string> &cloned) {
	int applied = 0;
	std::set<std::string> missing_databases;
	for (const auto &st : src.settings) {
		if (!cloned.count(st.role))
			continue;
		if (st.database &&
		    !spi.query_value("SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1", {*st.database})) {
			missing_databases.insert(*st.database);
			continue;
		}
		std::string sql =
		    core::alter_role_set_sql(st.role, st.database, st.name, setting_values(st.name, st.value));
		if (auto err = spi.exec_in_subtransaction(sql)) {
			pg::warning("pgclone: could not clone setting \"" + st.name + "\" of role \"" + st.role + "\"" +
			                (st.database ? " in database \"" + *st.database + "\"" : ""),
			            *err);
			continue;
		}
		applied++;
	}
	if (!missing_databases.empty()) {
		std::string names;
		for (const auto &d : missing_databases)
			names += (names.empty() ? "\"" : ", \"") + d + "\"";
		pg::notice("pgclone: role settings for databases the target lacks not cloned",
		           "Databases: " + names + ".");
	}
	return applied;
}

} // namespace

std::string clone_roles(const std::string &conninfo, const std::optional<std::string> &role_names) {
	if (role_names)
		core::parse_role_list(*role_names); // bad input fails before anything happens

	libpq::Connection src = libpq::open_source(conninfo);
	SourceCluster cluster = read_source_cluster(src);
	std::vector<const SourceRole *> selected = select_roles(cluster, role_names);
	std::vector<std::string> selected_names;
	for (const SourceRole *r : selected)
		selected_names.push_back(r->name);
	// ALTER DEFAULT PRIVILEGES FOR ROLE of the selected roles, in the
	// source's database (default privileges belong to a database).
	std::vector<catalog::DefaultPrivilege> defaults = catalog::read_role_default_privileges(src, selected_names);
	libpq::close_source(src);

	pg::Spi spi;
	Target target = read_target(spi);
	if (!cluster.passwords_readable && !selected.empty())
		pg::warning(
		    "pgclone: role passwords are not cloned",
		    "The source connection cannot read pg_catalog.pg_authid, which requires a superuser. Roles are created or updated without touching their passwords.");

	int created = 0, updated = 0;
	std::set<std::string> cloned;
	for (const SourceRole *r : selected) {
		if (target.protected_roles.count(r->name)) {
			pg::warning("pgclone: role \"" + r->name + "\" not cloned",
			            "It is the role this session runs as, or the bootstrap superuser of the target; pgclone never changes it.");
			continue;
		}
		auto existing = target.roles.find(r->name);
		bool exists = existing != target.roles.end();
		spi.exec(std::string(exists ? "ALTER ROLE " : "CREATE ROLE ") + quote_ident(r->name) + " WITH " +
		         attributes(*r, exists && existing->second));
		if (cluster.passwords_readable && (r->password || exists))
			set_password(spi, r->name, r->password);
		if (r->comment)
			spi.exec("COMMENT ON ROLE " + quote_ident(r->name) + " IS " + quote_literal(*r->comment));
		(exists ? updated : created)++;
		target.roles[r->name] = r->valid_until.has_value();
		cloned.insert(r->name);
	}
	int grants = apply_memberships(spi, cluster, cloned, target);
	grants += apply_grants(spi, cluster, cloned, target);
	std::vector<catalog::DefaultPrivilege> cloned_defaults;
	for (auto &d : defaults)
		if (cloned.count(d.role))
			cloned_defaults.push_back(std::move(d));
	clone::apply_default_privileges(spi, cloned_defaults, &grants);
	if (int settings = apply_settings(spi, cluster, cloned))
		pg::notice("pgclone: " + core::plural(settings, "role setting", "role settings") + " applied");
	spi.finish();
	return "OK: " + core::plural(created, "role", "roles") + " created, " + core::plural(updated, "role", "roles") +
	       " updated, " + core::plural(grants, "grant", "grants") + " applied";
}

} // namespace pgclone::roles
