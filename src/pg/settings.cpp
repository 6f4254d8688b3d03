// Settings through the GUC API (settings.hpp).
#include <functional>
#include <string>

#include "pgclone/pg/postgres.hpp"

#include "pgclone/pg/guard.hpp"
#include "pgclone/pg/settings.hpp"

namespace pgclone::pg {

std::string setting(const std::string &name) {
	const char *value = call([&] { return GetConfigOptionByName(name.c_str(), NULL, false); });
	return value ? value : "";
}

void set_local(const std::string &name, const std::string &value) {
	// The context and source set_config() uses: a superuser may set SUSET
	// settings, anyone else USERSET ones; GUC_ACTION_LOCAL is its is_local.
	call([&] {
		(void)set_config_option(name.c_str(), value.c_str(), superuser() ? PGC_SUSET : PGC_USERSET, PGC_S_SESSION,
		                        GUC_ACTION_LOCAL, true, 0, false);
	});
}

void with_local(const std::string &name, const std::string &value, const std::function<void()> &f) {
	const std::string old = setting(name);
	set_local(name, value);
	f();
	set_local(name, old);
}

} // namespace pgclone::pg
