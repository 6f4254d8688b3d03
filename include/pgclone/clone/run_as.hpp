// Option run_as: the target work of a clone (DDL, rows, constraint
// validation, anything a cloned default or CHECK calls) runs as another
// role, like SET ROLE, but such that nothing inside can SET ROLE or RESET
// ROLE back (SECURITY_LOCAL_USERID_CHANGE, as a SECURITY DEFINER function
// runs), nor leave work behind that would run as the caller after the
// switch back (SECURITY_RESTRICTED_OPERATION: no deferred trigger, WITH HOLD
// cursor or temporary object; a GUC nest level: no setting such as
// search_path outlives the switch). See docs/SECURITY.md "Privileges".
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <optional>
#include <string>
#include <type_traits>

namespace pgclone::clone {

// The identity to go back to.
struct RoleSwitch {
	unsigned int saved_user = 0;
	int saved_context = 0;
	int guc_nest_level = 0; // the settings made as the role are undone when leaving it
	bool active = false;
};

// The OID of `role` if the current user may SET ROLE to it. Throws
// core::Error 42704 for an unknown role, 42501 when the current user may
// not become it.
unsigned int check_run_as(const std::string &role);

// Whether the current user may SET ROLE to role roleid (PostgreSQL 16+:
// a membership with the SET option; before: any membership). This is also
// what ALTER ... OWNER TO asks of a non-superuser.
bool can_set_role(unsigned int roleid);

// No role: nothing happens. Otherwise checks as check_run_as does and makes
// the role the current user until leave_role.
RoleSwitch enter_role(const std::optional<std::string> &role);
void leave_role(const RoleSwitch &s);

// fn() as `role` (none: as the caller); the caller's identity comes back on
// every way out. A PostgreSQL error that aborts the (sub)transaction also
// restores it (the server saved it when the transaction began).
template <typename F>
auto as_role(const std::optional<std::string> &role, F &&fn) -> decltype(fn()) {
	RoleSwitch s = enter_role(role);
	try {
		if constexpr (std::is_void_v<decltype(fn())>) {
			fn();
			leave_role(s);
		} else {
			auto result = fn();
			leave_role(s);
			return result;
		}
	} catch (...) {
		leave_role(s);
		throw;
	}
}

} // namespace pgclone::clone
