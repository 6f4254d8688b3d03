// Statements for a table's settings, row-level security and policies
// (include/pgclone/core/table_settings.hpp).
#include <functional>
#include <string>
#include <vector>

#include "pgclone/core/ddl.hpp"
#include "pgclone/core/table_settings.hpp"

#include "pgclone/core/pure.hpp"

namespace pgclone::core {

namespace {

// ("name" = 'value', ...) with an optional "toast." prefix on each name.
std::string option_list(const std::vector<Option> &opts, const std::string &prefix = {}) {
	std::string out;
	for (const auto &o : opts)
		out += (out.empty() ? "" : ", ") + prefix + quote_ident(o.name) + " = " + quote_literal(o.value);
	return "(" + out + ")";
}

const char *storage_word(char s) {
	switch (s) {
	case 'p':
		return "PLAIN";
	case 'e':
		return "EXTERNAL";
	case 'm':
		return "MAIN";
	default:
		return "EXTENDED";
	}
}

const char *command_word(char c) {
	switch (c) {
	case 'r':
		return "SELECT";
	case 'a':
		return "INSERT";
	case 'w':
		return "UPDATE";
	case 'd':
		return "DELETE";
	default:
		return "ALL";
	}
}

std::string role_list(const std::vector<std::string> &roles) {
	std::string out;
	for (const auto &r : roles)
		out += (out.empty() ? "" : ", ") + (r.empty() ? std::string("PUBLIC") : quote_ident(r));
	return out;
}

} // namespace

std::vector<std::string> table_settings_sql(const TableSettings &s, const std::string &target_schema,
                                            const std::string &target_q,
                                            const std::function<std::string(const std::string &)> &index_name,
                                            bool same_name) {
	std::vector<std::string> out;
	const std::string alter = "ALTER TABLE ONLY " + target_q;
	if (!s.reloptions.empty())
		out.push_back(alter + " SET " + option_list(s.reloptions));
	if (!s.toast_reloptions.empty())
		out.push_back(alter + " SET " + option_list(s.toast_reloptions, "toast."));
	for (const auto &c : s.columns) {
		const std::string col = alter + " ALTER COLUMN " + quote_ident(c.name);
		if (c.storage)
			out.push_back(col + " SET STORAGE " + storage_word(*c.storage));
		if (c.statistics)
			out.push_back(col + " SET STATISTICS " + std::to_string(*c.statistics));
		if (!c.options.empty())
			out.push_back(col + " SET " + option_list(c.options));
	}
	switch (s.replica_identity) {
	case 'n':
		out.push_back(alter + " REPLICA IDENTITY NOTHING");
		break;
	case 'f':
		out.push_back(alter + " REPLICA IDENTITY FULL");
		break;
	case 'i':
		if (!s.replica_index.empty())
			out.push_back(alter + " REPLICA IDENTITY USING INDEX " + quote_ident(index_name(s.replica_index)));
		break;
	default:
		break;
	}
	if (!s.cluster_index.empty())
		out.push_back(alter + " CLUSTER ON " + quote_ident(index_name(s.cluster_index)));
	for (const auto &[name, state] : s.trigger_states) {
		const char *how = state == 'D' ? " DISABLE TRIGGER " : state == 'R' ? " ENABLE REPLICA TRIGGER "
		                                                                    : " ENABLE ALWAYS TRIGGER ";
		out.push_back("ALTER TABLE " + target_q + how + quote_ident(name));
	}
	if (same_name) {
		for (const auto &r : s.rules)
			out.push_back(r);
		for (const auto &st : s.statistics) {
			out.push_back(st.create);
			if (st.comment)
				out.push_back("COMMENT ON STATISTICS " + qualified_name(st.schema, st.name) + " IS " +
				              quote_literal(*st.comment));
		}
	}
	for (const auto &c : s.comments) {
		if (c.kind == "RULE" && !same_name)
			continue;
		std::string on;
		if (c.kind == "INDEX")
			on = "INDEX " + qualified_name(target_schema, index_name(c.name));
		else
			on = c.kind + " " + quote_ident(c.name) + " ON " + target_q;
		out.push_back("COMMENT ON " + on + " IS " + quote_literal(c.text));
	}
	return out;
}

TableSettings settings_for(const TableSettings &s, const CreatedParts &created) {
	auto has = [](const std::optional<std::set<std::string>> &set, const std::string &n) {
		return !set || set->count(n) > 0;
	};
	auto index_kept = [&](const std::string &n) {
		return has(created.indexes, n) || (created.constraints && created.constraints->count(n));
	};
	TableSettings out = s;
	out.columns.clear();
	for (const auto &c : s.columns)
		if (has(created.columns, c.name))
			out.columns.push_back(c);
	if (!out.replica_index.empty() && !index_kept(out.replica_index)) {
		out.replica_identity = 'd';
		out.replica_index.clear();
	}
	if (!out.cluster_index.empty() && !index_kept(out.cluster_index))
		out.cluster_index.clear();
	out.trigger_states.clear();
	for (const auto &t : s.trigger_states)
		if (has(created.triggers, t.first))
			out.trigger_states.push_back(t);
	out.comments.clear();
	for (const auto &c : s.comments)
		if ((c.kind == "INDEX" && index_kept(c.name)) || (c.kind == "CONSTRAINT" && has(created.constraints, c.name)) ||
		    (c.kind == "TRIGGER" && has(created.triggers, c.name)) || c.kind == "POLICY" || c.kind == "RULE")
			out.comments.push_back(c);
	return out;
}

std::vector<std::string> row_security_sql(const TableSettings &s, const std::string &target_q) {
	std::vector<std::string> out;
	if (s.row_security)
		out.push_back("ALTER TABLE " + target_q + " ENABLE ROW LEVEL SECURITY");
	if (s.force_row_security)
		out.push_back("ALTER TABLE " + target_q + " FORCE ROW LEVEL SECURITY");
	return out;
}

PolicyStatement policy_sql(const PolicyDef &p, const std::string &target_q,
                           const std::function<bool(const std::string &)> &role_exists) {
	PolicyStatement out;
	std::vector<std::string> roles, missing;
	for (const auto &r : p.roles)
		(r.empty() || role_exists(r) ? roles : missing).push_back(r);
	if (!missing.empty()) {
		if (p.permissive) {
			out.note = "its roles missing on the target (" + role_list(missing) + ") were left out";
			if (roles.empty()) {
				out.note = "none of its roles exists on the target (" + role_list(missing) +
				           "); it would grant nothing, so it was not created";
				return out;
			}
		} else {
			// A restrictive policy limits the roles it names; applied to
			// everyone it limits at least them.
			roles = {""};
			out.note = "its roles missing on the target (" + role_list(missing) +
			           ") were replaced by PUBLIC: the restriction now applies to every role";
		}
	}
	if (roles.empty())
		roles = {""};
	std::string sql = "CREATE POLICY " + quote_ident(p.name) + " ON " + target_q + " AS " +
	                  (p.permissive ? "PERMISSIVE" : "RESTRICTIVE") + " FOR " + command_word(p.command) + " TO " +
	                  role_list(roles);
	if (p.using_expr)
		sql += " USING (" + *p.using_expr + ")";
	if (p.check_expr)
		sql += " WITH CHECK (" + *p.check_expr + ")";
	out.sql = sql;
	return out;
}

} // namespace pgclone::core
