// pgclone.database() and pgclone.database_create(). C++ regime; server
// state is read only through pg::call.
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <libpq-fe.h>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/database_clone.hpp"
#include "pgclone/clone/schema_clone.hpp"
#include "pgclone/libpq/source_session.hpp"
#include "pgclone/core/ddl.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/core/rewrite.hpp"
#include "pgclone/core/schema_plan.hpp"
#include "pgclone/libpq/conninfo.hpp"
#include "pgclone/libpq/connection.hpp"
#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/spi.hpp"

namespace pgclone::clone {

char *local_conninfo_setting = nullptr;

std::string clone_database(const std::string &conninfo, bool include_data,
                           const core::CloneOptions &options) {
	MultiCloneRequest req;
	req.conninfo = conninfo;
	req.database = true;
	req.include_data = include_data;
	req.options = options;
	req.function_name = "pgclone.database";
	return clone_many(req);
}

namespace {

struct ServerFacts {
	std::string sockets, port, user, database;
};

ServerFacts server_facts() {
	ServerFacts f;
	const char *sockets = pg::call([] { return GetConfigOption("unix_socket_directories", true, false); });
	const char *port = pg::call([] { return GetConfigOption("port", false, false); });
	f.sockets = sockets ? sockets : "";
	f.port = port ? port : "5432";
	pg::Spi spi;
	auto rows =
	    spi.query("SELECT current_user::pg_catalog.text, pg_catalog.current_database()::pg_catalog.text");
	spi.finish();
	f.user = rows.at(0).at(0).value_or("");
	f.database = rows.at(0).at(1).value_or("");
	return f;
}

// The loopback conninfo for database `dbname`: pgclone.local_conninfo (any
// dbname in it replaced) or this server's own socket, port and user.
std::string local_conninfo_for(const ServerFacts &f, const std::string &dbname) {
	std::string base = local_conninfo_setting ? local_conninfo_setting : "";
	if (base.empty())
		return core::local_conninfo(f.sockets, std::atoi(f.port.c_str()), f.user, dbname);
	char *err = nullptr;
	libpq::ConninfoOptions opts(PQconninfoParse(base.c_str(), &err));
	if (err)
		PQfreemem(err);
	if (!opts)
		throw core::Error("invalid value for parameter \"pgclone.local_conninfo\"",
		                  core::sqlstate::invalid_parameter_value,
		                  "It could not be parsed as a connection string.",
		                  "Use the keyword form \"host=... port=... user=...\" or a postgresql:// URI.");
	std::string out;
	for (PQconninfoOption *o = opts.get(); o->keyword; ++o) {
		if (!o->val || std::string(o->keyword) == "dbname")
			continue;
		out += std::string(o->keyword) + "=" + core::conninfo_value(o->val) + " ";
	}
	return out + "dbname=" + core::conninfo_value(dbname);
}

// libpq::Connection speaks of "the source server"; on the loopback
// connection that server is this one.
core::Error as_local(const core::Error &e) {
	std::string msg = e.what();
	std::string detail = e.detail();
	const std::string src = "the source server", local = "the local server";
	if (std::string(e.sqlstate()).rfind("08", 0) == 0)
		if (auto p = msg.find(src); p != std::string::npos)
			msg.replace(p, src.size(), local);
	const std::string raised = "The error was raised by the source server (";
	if (auto p = detail.rfind(raised); p != std::string::npos) {
		// An error of the clone in the new database already names the server
		// that raised it (the source); the loopback's own sentence goes.
		if (p > 0 && detail.rfind("The error was raised by ", p - 1) != std::string::npos)
			detail.erase(detail[p - 1] == ' ' ? p - 1 : p);
		else
			detail.replace(p, raised.size(), "The error was raised by the local server (");
	}
	std::string hint = e.hint();
	if (hint.empty() && std::string(e.sqlstate()).rfind("08", 0) == 0)
		hint =
		    "pgclone.database_create() connects to this server through pgclone.local_conninfo (a superuser setting; empty means this server's unix socket, port and current user). Set it to a connection string that reaches this server as the current user.";
	return core::Error(msg, e.sqlstate(), detail, hint);
}

template <typename F>
auto locally(F &&f) -> decltype(f()) {
	try {
		return f();
	} catch (const core::Error &e) {
		throw as_local(e);
	}
}

// NOTICEs and WARNINGs of the clone running in the new database, kept to
// be raised here once it is done. A libpq callback: must not throw.
struct Relayed {
	bool warning;
	std::string message, detail, hint;
};

void keep_notice(void *arg, const PGresult *res) noexcept {
	try {
		auto *out = static_cast<std::vector<Relayed> *>(arg);
		auto field = [&](int code) {
			const char *v = PQresultErrorField(res, code);
			return std::string(v ? v : "");
		};
		out->push_back({field(PG_DIAG_SEVERITY_NONLOCALIZED) == "WARNING", field(PG_DIAG_MESSAGE_PRIMARY),
		                field(PG_DIAG_MESSAGE_DETAIL), field(PG_DIAG_MESSAGE_HINT)});
	} catch (...) {
		// Out of memory: the message is lost, the clone is not.
	}
}

void relay(std::vector<Relayed> &kept) {
	for (const auto &m : kept) {
		if (m.warning)
			pg::warning(m.message, m.detail, m.hint);
		else
			pg::notice(m.message, m.detail);
	}
	kept.clear();
}

// "OK: cloned database ..." -> "OK: created database x and cloned database ..."
std::string with_created(const std::string &inner, const std::string &dbname) {
	auto p = inner.find(": ");
	if (p == std::string::npos)
		return "created database " + dbname + ": " + inner;
	return inner.substr(0, p + 2) + "created database " + dbname + " and " + inner.substr(p + 2);
}

// "OK: cloned database (3 schemas ..." -> "OK: cloned database into existing database x (3 schemas ..."
std::string into_existing(const std::string &inner, const std::string &dbname) {
	const std::string what = "cloned database";
	auto p = inner.find(what);
	if (p == std::string::npos)
		return inner + " (into existing database " + dbname + ")";
	return inner.substr(0, p + what.size()) + " into existing database " + dbname + inner.substr(p + what.size());
}

bool blank(const std::optional<std::string> &text) {
	return !text || text->find_first_not_of(" \t\r\n") == std::string::npos;
}

bool options_name_conflict(const std::optional<std::string> &options_text) {
	if (blank(options_text))
		return false;
	auto j = nlohmann::json::parse(*options_text, nullptr, false);
	return j.is_object() && j.contains("conflict");
}

// The options forwarded into an existing database: "conflict" defaults to
// "skip" there (an explicit one is kept). The text was validated by
// core::parse_options already.
std::optional<std::string> with_default_conflict_skip(const std::optional<std::string> &options_text) {
	if (options_name_conflict(options_text))
		return options_text;
	nlohmann::json j = nlohmann::json::object();
	if (!blank(options_text)) {
		j = nlohmann::json::parse(*options_text, nullptr, false);
		if (j.is_null())
			j = nlohmann::json::object();
	}
	j["conflict"] = "skip";
	return j.dump();
}

} // namespace

std::string database_create(const std::string &conninfo, const std::string &target_dbname, bool include_data,
                            const std::optional<std::string> &options_text) {
	// Everything that can be checked is checked before the database exists.
	// CREATE EXTENSION pgclone in the new database needs a superuser.
	if (!pg::call([] { return superuser(); }))
		throw core::Error(
		    "permission denied to run pgclone.database_create()", core::sqlstate::insufficient_privilege,
		    "It creates the pgclone extension in the new database, which only a superuser may do.",
		    "Create the database and the extension as a superuser, then call pgclone.database() in it.");
	core::CloneOptions options = core::parse_options(options_text.value_or(""));
	core::check_multi_table_options(options, "pgclone.database_create");
	core::check_database_options(options, "pgclone.database_create");
	if (options.dry_run)
		throw core::Error("option \"dry_run\" is not supported by pgclone.database_create()",
		                  core::sqlstate::feature_not_supported,
		                  "It creates the database before it clones into it: that is a change.",
		                  "Run pgclone.database() with {\"dry_run\": true} in the target database, or in any empty database, to see the plan.");
	if (target_dbname.empty() || target_dbname.size() > core::max_identifier_bytes)
		throw core::Error("invalid database name \"" + target_dbname + "\"", core::sqlstate::invalid_name,
		                  "A database name has 1 to " + std::to_string(core::max_identifier_bytes) +
		                      " bytes.");
	{ libpq::Connection probe = libpq::Connection::open(conninfo, libpq::target_encoding()); }

	ServerFacts facts = server_facts();
	std::string encoding = libpq::target_encoding();
	libpq::Connection admin =
	    locally([&] { return libpq::Connection::open(local_conninfo_for(facts, facts.database), encoding); });
	std::string as_user = locally([&] { return admin.exec("SELECT current_user").get(0, 0); });
	if (as_user != facts.user)
		throw core::Error("pgclone.local_conninfo connects as role \"" + as_user +
		                      "\", not as the current user \"" + facts.user + "\"",
		                  core::sqlstate::insufficient_privilege,
		                  "pgclone.database_create() creates the database as the role that calls it.",
		                  "Remove user= from pgclone.local_conninfo.");
	std::string db_q = core::quote_ident(target_dbname);
	// As the original pgclone did, an existing database is cloned into
	// (a second run is idempotent: what exists is skipped unless "conflict"
	// says otherwise), and it is never dropped, whatever happens.
	const bool existed = locally([&] {
		return admin.exec_params("SELECT 1 FROM pg_catalog.pg_database WHERE datname = $1", {target_dbname})
		           .rows() > 0;
	});
	std::optional<std::string> forwarded = options_text;
	if (existed) {
		pg::notice("pgclone: database \"" + target_dbname + "\" already exists; cloning into it",
		           options_name_conflict(options_text)
		               ? ""
		               : "Objects that already exist there are skipped ({\"conflict\": \"skip\"}); pass another \"conflict\" to replace or rename them, or \"error\" to refuse.");
		forwarded = with_default_conflict_skip(options_text);
	} else {
		locally([&] { admin.exec("CREATE DATABASE " + db_q); });
	}

	std::string inner;
	std::vector<Relayed> kept;
	std::exception_ptr failure;
	try {
		libpq::Connection conn = locally(
		    [&] { return libpq::Connection::open(local_conninfo_for(facts, target_dbname), encoding); });
		PQsetNoticeReceiver(conn.raw(), keep_notice, &kept);
		// One transaction: in an existing database a failed clone leaves
		// nothing behind, not even the extension.
		locally([&] {
			conn.exec("BEGIN");
			conn.exec("CREATE EXTENSION IF NOT EXISTS pgclone");
			inner = conn.exec_params("SELECT pgclone.database($1, $2::pg_catalog.bool, $3)",
			                         {conninfo, std::string(include_data ? "true" : "false"), forwarded})
			            .get(0, 0);
			conn.exec("COMMIT");
		});
	} catch (...) {
		failure = std::current_exception();
	}
	// A deliberate exception to "no server call after a caught PgError"
	// (docs/BOUNDARY.md): the only PgErrors the block above can raise come from
	// the latch waits and interrupt checks of the loopback connections (a
	// cancel, a timeout); no server state was left half-changed by them, and
	// leaving the half-cloned database behind would be worse. Cleanup uses
	// the admin connection (libpq and latch waits) and NOTICE/WARNING only.
	relay(kept);
	if (failure && existed)
		std::rethrow_exception(failure); // its transaction was rolled back
	if (failure) {
		// Nothing of a failed clone remains: not even the database.
		bool dropped = true;
		try {
			admin.exec("DROP DATABASE IF EXISTS " + db_q + " WITH (FORCE)");
		} catch (...) {
			dropped = false;
		}
		if (!dropped)
			pg::warning("pgclone: could not drop database \"" + target_dbname + "\" after the failed clone",
			            "", "Drop it by hand: DROP DATABASE " + db_q + ";");
		std::rethrow_exception(failure);
	}
	return existed ? into_existing(inner, target_dbname) : with_created(inner, target_dbname);
}

} // namespace pgclone::clone
