// Preparing a user's conninfo for a source connection: parse it with
// PQconninfoParse (keyword or URI form), inject keepalives and
// application_name unless the user set them, and remember what is needed
// to name the server in messages without ever showing the password.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <libpq-fe.h>

namespace pgclone::libpq {

// Owner of a PQconninfoParse() result.
struct ConninfoOptionsDeleter {
	void operator()(PQconninfoOption *o) const noexcept { PQconninfoFree(o); }
};
using ConninfoOptions = std::unique_ptr<PQconninfoOption, ConninfoOptionsDeleter>;

struct ConnParams {
	std::vector<std::string> keywords;
	std::vector<std::string> values;
	std::string password;             // the password keyword's value
	std::vector<std::string> secrets; // every value libpq marks secret (password, sslpassword, ...)
	int connect_timeout = 0;          // seconds; 0 = none (cancel still works)
};

// Throws core::Error (SQLSTATE 08000-class / 22023) for an unparsable string;
// the message never includes the password.
ConnParams prepare_conninfo(const std::string &conninfo, const std::string &client_encoding);

// Replaces every occurrence of the password in s with "********".
std::string scrub_password(std::string s, const std::string &password);
// The same for each secret.
std::string scrub_secrets(std::string s, const std::vector<std::string> &secrets);

// Removes the password from a conninfo string, for storing/showing it.
std::string redact_conninfo(const std::string &conninfo);

} // namespace pgclone::libpq
