// Preparing a user's conninfo for a source connection: parse it with
// PQconninfoParse (keyword or URI form), inject keepalives and
// application_name unless the user set them, and remember what is needed
// to name the server in messages without ever showing the password.
#pragma once

#include <cstddef>
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

// The longest connection string accepted (bytes). A real one is well under
// a kilobyte; the limit keeps a runaway argument (a whole file pasted in)
// from reaching libpq, the job table or the server log.
inline constexpr std::size_t max_conninfo_length = 64 * 1024;

// One option of a connection string, as libpq will connect with it.
struct ConninfoOption {
	std::string keyword, value;
	bool secret = false; // libpq's dispchar "*": password, sslpassword, ...
};

// The options of a connection string (keyword form or URI), with a dbname
// that is itself a URI or keyword string expanded in place the way
// PQconnectdbParams(..., expand_dbname = 1) does, in libpq's option order.
// Throws core::Error for a string that is too long or does not parse (the
// message never quotes it).
std::vector<ConninfoOption> expanded_conninfo(const std::string &conninfo);

struct ConnParams {
	std::vector<std::string> keywords;
	std::vector<std::string> values;
	std::string password;             // the password keyword's value
	std::string service;              // the service keyword's value
	std::vector<std::string> secrets; // every value libpq marks secret (password, sslpassword, ...)
	int connect_timeout = 0;          // seconds; 0 = none (cancel still works)
};

// expanded_conninfo() plus the injected defaults. Throws core::Error
// (08000 / 22023) for an unparsable or too long string; the message never
// includes the password.
ConnParams prepare_conninfo(const std::string &conninfo, const std::string &client_encoding);

// The connection string as a job's durable record names its source:
// host, hostaddr, port, dbname and user only, in keyword form with quoted
// values ("host='db1' port='5432' dbname='app' user='cloner'"). No secret
// and no other option (a service file, a client certificate's path) is kept.
std::string redacted_conninfo(const std::string &conninfo);

// Replaces every occurrence of the password in s with "********".
std::string scrub_password(std::string s, const std::string &password);
// The same for each secret.
std::string scrub_secrets(std::string s, const std::vector<std::string> &secrets);

} // namespace pgclone::libpq
