// Option run_as (include/pgclone/clone/run_as.hpp).
#include <optional>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/clone/run_as.hpp"
#include "pgclone/core/error.hpp"
#include "pgclone/pg/guard.hpp"

namespace pgclone::clone {

bool can_set_role(unsigned int roleid) {
	// The test SET ROLE makes (PostgreSQL 16 added the SET option of a
	// membership; before, any membership allowed it).
	return pg::call([=] {
#if PG_VERSION_NUM >= 160000
		return member_can_set_role(GetUserId(), roleid);
#else
		return is_member_of_role(GetUserId(), roleid);
#endif
	});
}

unsigned int check_run_as(const std::string &role) {
	const char *name = role.c_str();
	Oid roleid = pg::call([=] { return get_role_oid(name, true); });
	if (!OidIsValid(roleid))
		throw core::Error("role \"" + role + "\" named in option \"run_as\" does not exist",
		                  core::sqlstate::undefined_object);
	if (!can_set_role(roleid)) {
		std::string me = pg::call([] { return GetUserNameFromId(GetUserId(), false); });
		throw core::Error("permission denied to run the clone as role \"" + role + "\"",
		                  core::sqlstate::insufficient_privilege,
		                  "Option \"run_as\" needs the privileges of SET ROLE: role \"" + me +
		                      "\" cannot set role \"" + role + "\".",
		                  "GRANT \"" + role + "\" TO \"" + me + "\", or choose a role the caller is a member of.");
	}
	return roleid;
}

RoleSwitch enter_role(const std::optional<std::string> &role) {
	RoleSwitch s;
	if (!role)
		return s;
	Oid roleid = check_run_as(*role);
	pg::call([&] {
		Oid user;
		int context;
		GetUserIdAndSecContext(&user, &context);
		s.saved_user = user;
		s.saved_context = context;
		// Settings changed inside (set_config(..., false) by a cloned
		// function: a search_path that puts the role's schema before
		// pg_catalog) are undone at leave_role, as REFRESH MATERIALIZED VIEW
		// undoes those of the code it runs as the owner.
		s.guc_nest_level = NewGUCNestLevel();
		// A security-restricted operation, as PostgreSQL runs CREATE INDEX
		// or REFRESH MATERIALIZED VIEW as the table owner: code inside cannot
		// leave work behind that runs after the switch back, as the caller
		// (a deferred trigger fires at COMMIT, a WITH HOLD cursor's query at
		// COMMIT, a temporary object could shadow names on the caller's path).
		SetUserIdAndSecContext(roleid, context | SECURITY_LOCAL_USERID_CHANGE | SECURITY_RESTRICTED_OPERATION);
	});
	s.active = true;
	return s;
}

void leave_role(const RoleSwitch &s) {
	if (!s.active)
		return;
	Oid user = s.saved_user;
	int context = s.saved_context;
	int nest = s.guc_nest_level;
	pg::call([=] {
		AtEOXact_GUC(false, nest);
		SetUserIdAndSecContext(user, context);
	});
}

} // namespace pgclone::clone
