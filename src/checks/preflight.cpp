// pgclone.preflight(). C++ regime; PostgreSQL through pg::Spi and libpq only.
// Source queries run inside the READ ONLY transaction of libpq::open_source;
// target queries are catalog SELECTs in the caller's transaction.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/checks/preflight.hpp"
#include "pgclone/catalog/query.hpp"
#include "pgclone/libpq/source_session.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/preflight_report.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::checks {

namespace {

using json = nlohmann::ordered_json;
using core::CheckStatus;

// Check names in the order the user documentation lists them (docs/CHECKS.md).
constexpr const char *check_names[] = {
    "source_connection",  "target_connection",    "source_version",       "target_version",
    "version_compat",     "schema_exists_source", "schema_exists_target", "source_permissions",
    "target_permissions", "estimated_size",       "target_database_size", "object_counts",
    "name_conflicts",     "missing_extensions",   "missing_roles",        "missing_tablespaces"};

constexpr const char *version_sql =
    "SELECT pg_catalog.current_setting('server_version'), pg_catalog.current_setting('server_version_num')";

constexpr const char *source_permissions_sql =
    R"sql(SELECT pg_catalog.has_schema_privilege(n.oid, 'USAGE'),
  (SELECT pg_catalog.array_to_json(COALESCE(pg_catalog.array_agg(c.relname::text ORDER BY c.relname),
     '{}'))::text FROM pg_catalog.pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p', 'S')
     AND NOT pg_catalog.has_table_privilege(c.oid, 'SELECT'))
FROM pg_catalog.pg_namespace n WHERE n.nspname = $1)sql";

constexpr const char *estimated_size_sql =
    R"sql(SELECT COALESCE(pg_catalog.sum(pg_catalog.pg_total_relation_size(c.oid)), 0)::bigint,
  pg_catalog.count(*) FILTER (WHERE c.relkind = 'r')
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'm', 'S'))sql";

constexpr const char *object_counts_sql =
    R"sql(SELECT pg_catalog.count(*) FILTER (WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition),
  pg_catalog.count(*) FILTER (WHERE c.relkind = 'r' AND c.relispartition),
  pg_catalog.count(*) FILTER (WHERE c.relkind = 'v'), pg_catalog.count(*) FILTER (WHERE c.relkind = 'm'),
  pg_catalog.count(*) FILTER (WHERE c.relkind = 'S'), pg_catalog.count(*) FILTER (WHERE c.relkind IN ('i', 'I')),
  (SELECT pg_catalog.count(*) FROM pg_catalog.pg_proc p WHERE p.pronamespace = n.oid),
  (SELECT pg_catalog.count(*) FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class tc ON tc.oid = t.tgrelid
   WHERE tc.relnamespace = n.oid AND NOT t.tgisinternal)
FROM pg_catalog.pg_namespace n LEFT JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid
WHERE n.nspname = $1 GROUP BY n.oid)sql";

// Every name that a clone of the schema would create, with its kind.
// Functions are named with their argument types (overloads are distinct).
constexpr const char *names_sql =
    R"sql(SELECT c.relname::text, CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
  WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence' WHEN 'f' THEN 'foreign table'
  WHEN 'c' THEN 'type' ELSE 'index' END
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c', 'i', 'I')
UNION ALL
SELECT p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
  CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1
UNION ALL
SELECT t.typname::text, 'type' FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typtype IN ('e', 'd', 'r', 'm')
ORDER BY 1)sql";

// Owners of the schema and its objects, and every role named in their ACLs.
constexpr const char *referenced_roles_sql =
    R"sql(WITH objs(owner, acl) AS (
  SELECT n.nspowner, n.nspacl FROM pg_catalog.pg_namespace n WHERE n.nspname = $1
  UNION ALL SELECT c.relowner, c.relacl FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1
  UNION ALL SELECT p.proowner, p.proacl FROM pg_catalog.pg_proc p
    JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1
  UNION ALL SELECT t.typowner, t.typacl FROM pg_catalog.pg_type t
    JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1), ids(id) AS (SELECT owner FROM objs
  UNION SELECT (pg_catalog.aclexplode(acl)).grantee FROM objs WHERE acl IS NOT NULL)
SELECT DISTINCT r.rolname::text FROM ids JOIN pg_catalog.pg_roles r ON r.oid = ids.id ORDER BY 1)sql";

constexpr const char *referenced_tablespaces_sql =
    R"sql(SELECT DISTINCT t.spcname::text FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_tablespace t ON t.oid = c.reltablespace
WHERE n.nspname = $1 AND c.reltablespace <> 0 ORDER BY 1)sql";

std::set<std::string> first_column(const catalog::Rows &rows) {
	std::set<std::string> out;
	for (const auto &r : rows)
		out.insert(catalog::cell(r, 0));
	return out;
}

std::string pretty_size(long long bytes) {
	const char *units[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
	double v = static_cast<double>(bytes);
	int u = 0;
	while (v >= 1024.0 * 10 && u < 5) {
		v /= 1024.0;
		u++;
	}
	return std::to_string(static_cast<long long>(v + 0.5)) + " " + units[u];
}

struct Side {
	std::string version;
	long long version_num = 0;
};

Side read_version(const catalog::QueryFn &q) {
	auto r = q(version_sql, {}).at(0);
	return {catalog::cell(r, 0), catalog::cell_int(r, 1)};
}

json version_details(const Side &s) {
	return json{{"version", s.version}, {"version_num", s.version_num}, {"major", s.version_num / 10000}};
}

// What the source tells us; filled while the source transaction is open.
struct SourceFacts {
	bool connected = false;
	std::string connection_error;
	std::string server; // host/port/database, never the password
	Side side;
	bool schema_exists = false;
	bool usage = false;
	json tables_without_select = json::array();
	long long size_bytes = 0, size_tables = 0;
	json counts;
	std::vector<std::pair<std::string, std::string>> names;      // name, kind
	std::vector<std::pair<std::string, std::string>> extensions; // name, version
	std::vector<std::string> roles;
	std::vector<std::string> tablespaces;
};

SourceFacts read_source(const std::string &conninfo, const std::string &schema) {
	SourceFacts f;
	std::optional<libpq::Connection> src;
	try {
		src.emplace(libpq::open_source(conninfo));
	} catch (const core::Error &e) {
		// Only connection and session-setup failures land here; a cancel is
		// a PgError and propagates.
		f.connection_error = e.what();
		if (!e.detail().empty())
			f.connection_error += ": " + e.detail();
		return f;
	}
	f.connected = true;
	f.server = src->describe();
	catalog::QueryFn q = catalog::source_query(*src);
	catalog::Params p{schema};
	f.side = read_version(q);
	for (const auto &r : q("SELECT extname::text, extversion FROM pg_catalog.pg_extension ORDER BY 1", {}))
		f.extensions.emplace_back(catalog::cell(r, 0), catalog::cell(r, 1));
	auto perm = q(source_permissions_sql, p);
	f.schema_exists = !perm.empty();
	if (f.schema_exists) {
		f.usage = catalog::cell_bool(perm[0], 0);
		f.tables_without_select = json::parse(catalog::cell(perm[0], 1));
		auto size = q(estimated_size_sql, p).at(0);
		f.size_bytes = catalog::cell_int(size, 0);
		f.size_tables = catalog::cell_int(size, 1);
		auto c = q(object_counts_sql, p).at(0);
		f.counts = json{{"tables", catalog::cell_int(c, 0)},    {"partitions", catalog::cell_int(c, 1)},
		                {"views", catalog::cell_int(c, 2)},     {"materialized_views", catalog::cell_int(c, 3)},
		                {"sequences", catalog::cell_int(c, 4)}, {"indexes", catalog::cell_int(c, 5)},
		                {"functions", catalog::cell_int(c, 6)}, {"triggers", catalog::cell_int(c, 7)}};
		for (const auto &r : q(names_sql, p))
			f.names.emplace_back(catalog::cell(r, 0), catalog::cell(r, 1));
		for (const auto &r : q(referenced_roles_sql, p))
			f.roles.push_back(catalog::cell(r, 0));
		for (const auto &r : q(referenced_tablespaces_sql, p))
			f.tablespaces.push_back(catalog::cell(r, 0));
	}
	libpq::close_source(*src);
	return f;
}

void skip(core::PreflightReport &r, const char *check, const char *reason) {
	r.add(check, CheckStatus::Skipped, json{{"reason", reason}});
}

void source_dependent_checks(core::PreflightReport &r, const SourceFacts &s, const std::string &schema,
                             const catalog::QueryFn &tq, bool target_schema_exists) {
	catalog::Params p{schema};
	// schema_exists_source
	if (s.schema_exists)
		r.add("schema_exists_source", CheckStatus::Pass, json{{"exists", true}});
	else
		r.add("schema_exists_source", CheckStatus::Fail, json{{"exists", false}},
		      "schema \"" + schema + "\" does not exist on the source server");

	if (!s.schema_exists) {
		const char *why = "the schema does not exist on the source server";
		for (const char *c : {"source_permissions", "estimated_size", "object_counts", "name_conflicts"})
			skip(r, c, why);
	} else {
		// source_permissions
		bool ok = s.usage && s.tables_without_select.empty();
		json d{{"schema_usage", s.usage}, {"tables_without_select", s.tables_without_select}};
		if (ok)
			r.add("source_permissions", CheckStatus::Pass, d);
		else if (!s.usage)
			r.add("source_permissions", CheckStatus::Fail, d,
			      "the source role lacks USAGE on schema \"" + schema + "\"");
		else
			r.add("source_permissions", CheckStatus::Fail, d,
			      "the source role lacks SELECT on " + std::to_string(s.tables_without_select.size()) +
			          " table(s) or sequence(s) of schema \"" + schema + "\"");
		// estimated_size
		r.add("estimated_size", CheckStatus::Info,
		      json{{"bytes", s.size_bytes}, {"pretty", pretty_size(s.size_bytes)}, {"tables", s.size_tables}},
		      "about " + pretty_size(s.size_bytes) + " to copy (tables, indexes and TOAST on the source)");
		// object_counts
		r.add("object_counts", CheckStatus::Info, s.counts,
		      std::to_string(s.counts["tables"].get<long long>()) + " tables, " +
		          std::to_string(s.counts["views"].get<long long>()) + " views, " +
		          std::to_string(s.counts["sequences"].get<long long>()) + " sequences, " +
		          std::to_string(s.counts["indexes"].get<long long>()) + " indexes");
		// name_conflicts
		std::map<std::string, std::string> existing;
		if (target_schema_exists)
			for (const auto &row : tq(names_sql, p))
				existing.emplace(catalog::cell(row, 0), catalog::cell(row, 1));
		json items = json::array();
		for (const auto &[name, kind] : s.names) {
			auto it = existing.find(name);
			if (it != existing.end())
				items.push_back(json{{"name", name}, {"kind", kind}, {"target_kind", it->second}});
		}
		if (items.empty())
			r.add("name_conflicts", CheckStatus::Pass, json{{"count", 0}, {"items", items}});
		else
			r.add("name_conflicts", CheckStatus::Warn, json{{"count", items.size()}, {"items", items}},
			      std::to_string(items.size()) + " object name(s) of schema \"" + schema +
			          "\" already exist on the target; choose a conflict strategy");
	}

	// missing_extensions
	std::set<std::string> installed =
	    first_column(tq("SELECT extname::text FROM pg_catalog.pg_extension", {}));
	std::set<std::string> available =
	    first_column(tq("SELECT name::text FROM pg_catalog.pg_available_extensions", {}));
	json ext = json::array();
	for (const auto &[name, version] : s.extensions)
		if (!installed.count(name))
			ext.push_back(json{{"name", name},
			                   {"source_version", version},
			                   {"available_on_target", available.count(name) > 0}});
	if (ext.empty())
		r.add("missing_extensions", CheckStatus::Pass, json{{"items", ext}});
	else
		r.add("missing_extensions", CheckStatus::Warn, json{{"items", ext}},
		      std::to_string(ext.size()) +
		          " extension(s) installed on the source are not installed on the target");

	if (!s.schema_exists) {
		skip(r, "missing_roles", "the schema does not exist on the source server");
		skip(r, "missing_tablespaces", "the schema does not exist on the source server");
		return;
	}
	// missing_roles
	std::set<std::string> roles = first_column(tq("SELECT rolname::text FROM pg_catalog.pg_roles", {}));
	json missing_roles = json::array();
	for (const auto &name : s.roles)
		if (!roles.count(name))
			missing_roles.push_back(name);
	if (missing_roles.empty())
		r.add("missing_roles", CheckStatus::Pass, json{{"referenced", s.roles}, {"items", missing_roles}});
	else
		r.add("missing_roles", CheckStatus::Warn, json{{"referenced", s.roles}, {"items", missing_roles}},
		      std::to_string(missing_roles.size()) +
		          " owner or grantee role(s) do not exist on the target; run pgclone.clone_roles() first");
	// missing_tablespaces
	std::set<std::string> spaces = first_column(tq("SELECT spcname::text FROM pg_catalog.pg_tablespace", {}));
	json missing_spaces = json::array();
	for (const auto &name : s.tablespaces)
		if (!spaces.count(name))
			missing_spaces.push_back(name);
	if (missing_spaces.empty())
		r.add("missing_tablespaces", CheckStatus::Pass,
		      json{{"referenced", s.tablespaces}, {"items", missing_spaces}});
	else
		r.add("missing_tablespaces", CheckStatus::Warn,
		      json{{"referenced", s.tablespaces}, {"items", missing_spaces}},
		      std::to_string(missing_spaces.size()) +
		          " tablespace(s) used on the source do not exist on the target");
}

} // namespace

std::string preflight(const std::string &conninfo, const std::string &schema) {
	SourceFacts s = read_source(conninfo, schema);
	core::PreflightReport r(schema);

	if (s.connected)
		r.add("source_connection", CheckStatus::Pass, json{{"server", s.server}});
	else
		r.add("source_connection", CheckStatus::Fail, json{{"error", s.connection_error}},
		      s.connection_error);

	pg::Spi spi;
	catalog::QueryFn tq = catalog::target_query(spi);
	auto who = tq("SELECT pg_catalog.current_database()::text, current_user::text", {}).at(0);
	r.add("target_connection", CheckStatus::Pass,
	      json{{"database", catalog::cell(who, 0)}, {"user", catalog::cell(who, 1)}, {"method", "in-process (SPI)"}});

	Side target = read_version(tq);
	if (s.connected)
		r.add("source_version", CheckStatus::Info, version_details(s.side), "PostgreSQL " + s.side.version);
	else
		skip(r, "source_version", "no source connection");
	r.add("target_version", CheckStatus::Info, version_details(target), "PostgreSQL " + target.version);
	if (!s.connected) {
		skip(r, "version_compat", "no source connection");
	} else {
		long long sm = s.side.version_num / 10000, tm = target.version_num / 10000;
		json d{{"source_major", sm}, {"target_major", tm}};
		if (sm > tm)
			r.add("version_compat", CheckStatus::Warn, d,
			      "the source (PostgreSQL " + std::to_string(sm) + ") is newer than the target (PostgreSQL " +
			          std::to_string(tm) + "); definitions using newer features may fail");
		else
			r.add("version_compat", CheckStatus::Pass, d);
	}

	bool target_exists = !tq("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {schema}).empty();

	if (!s.connected) {
		skip(r, "schema_exists_source", "no source connection");
	}
	if (target_exists)
		r.add("schema_exists_target", CheckStatus::Pass, json{{"exists", true}});
	else
		r.add("schema_exists_target", CheckStatus::Info, json{{"exists", false}},
		      "schema \"" + schema + "\" does not exist on the target and will be created");

	// target_permissions: CREATE on the schema, or on the database to create it.
	if (target_exists) {
		bool ok = catalog::cell_bool(tq("SELECT pg_catalog.has_schema_privilege($1, 'CREATE')", {schema}).at(0), 0);
		json d{{"privilege", "CREATE"}, {"on", "schema"}, {"granted", ok}};
		if (ok)
			r.add("target_permissions", CheckStatus::Pass, d);
		else
			r.add("target_permissions", CheckStatus::Fail, d,
			      "the current role lacks CREATE on schema \"" + schema + "\" of the target");
	} else {
		bool ok = catalog::cell_bool(
		    tq("SELECT pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE')", {}).at(0),
		    0);
		json d{{"privilege", "CREATE"}, {"on", "database"}, {"granted", ok}};
		if (ok)
			r.add("target_permissions", CheckStatus::Pass, d);
		else
			r.add("target_permissions", CheckStatus::Fail, d,
			      "the current role lacks CREATE on the target database, needed to create schema \"" +
			          schema + "\"");
	}

	auto dbsize = tq("SELECT pg_catalog.pg_database_size(pg_catalog.current_database())", {}).at(0);
	r.add("target_database_size", CheckStatus::Info,
	      json{{"bytes", catalog::cell_int(dbsize, 0)}, {"pretty", pretty_size(catalog::cell_int(dbsize, 0))}},
	      "the target database uses " + pretty_size(catalog::cell_int(dbsize, 0)));

	if (s.connected) {
		source_dependent_checks(r, s, schema, tq, target_exists);
	} else {
		for (const char *c : {"source_permissions", "estimated_size", "object_counts", "name_conflicts",
		                      "missing_extensions", "missing_roles", "missing_tablespaces"})
			skip(r, c, "no source connection");
	}
	spi.finish();

	// Every check appears, in the documented order.
	json doc = r.to_json();
	json ordered = json::object();
	for (const char *c : check_names)
		ordered[c] = doc["checks"].at(c);
	doc["checks"] = ordered;
	return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace pgclone::checks
