// Conninfo parsing and keepalive / application_name injection.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <string>

#include <libpq-fe.h>

#include "pgclone/core/error.hpp"
#include "pgclone/libpq/conninfo.hpp"

namespace pgclone::libpq {

namespace {

using OptionsPtr = ConninfoOptions;

bool contains_ci(const std::string &hay, const char *needle) {
	std::string h = hay;
	std::transform(h.begin(), h.end(), h.begin(), [](unsigned char c) { return std::tolower(c); });
	return h.find(needle) != std::string::npos;
}

OptionsPtr parse(const std::string &conninfo) {
	char *err = nullptr;
	OptionsPtr opts(PQconninfoParse(conninfo.c_str(), &err));
	if (!opts) {
		std::string detail = err ? err : "out of memory";
		if (err)
			PQfreemem(err);
		while (!detail.empty() && (detail.back() == '\n' || detail.back() == ' '))
			detail.pop_back();
		// libpq quotes fragments of the input in its message (for a URI,
		// the user-info part or the whole string), and a fragment may be the
		// password: show libpq's text only when the string cannot carry one,
		// i.e. it has neither a password keyword nor a URI user-info ("@",
		// also inside a dbname that is itself a URI).
		if (contains_ci(conninfo, "password") || conninfo.find('@') != std::string::npos)
			detail =
			    "The connection string could not be parsed (its text is not shown because it may contain a "
			    "password).";
		throw core::Error("invalid connection string for the source server",
		                  core::sqlstate::connection_exception, detail,
		                  "Use the keyword form \"host=... dbname=... user=...\" or a postgresql:// URI.");
	}
	return opts;
}

} // namespace

ConnParams prepare_conninfo(const std::string &conninfo, const std::string &client_encoding) {
	OptionsPtr opts = parse(conninfo);
	ConnParams p;
	bool has_app = false, has_ka = false, has_ka_idle = false, has_ka_int = false, has_ka_cnt = false;
	for (PQconninfoOption *o = opts.get(); o->keyword; ++o) {
		if (!o->val)
			continue;
		std::string k = o->keyword;
		if (k == "client_encoding")
			continue; // pinned below: text COPY must arrive in the target's encoding
		if (k == "password")
			p.password = o->val;
		if (o->dispchar && o->dispchar[0] == '*' && o->val[0] != '\0')
			p.secrets.emplace_back(o->val);
		if (k == "connect_timeout")
			p.connect_timeout = std::max(0, std::atoi(o->val));
		has_app |= k == "application_name";
		has_ka |= k == "keepalives";
		has_ka_idle |= k == "keepalives_idle";
		has_ka_int |= k == "keepalives_interval";
		has_ka_cnt |= k == "keepalives_count";
		p.keywords.push_back(k);
		p.values.push_back(o->val);
	}
	auto add = [&](bool present, const char *k, const char *v) {
		if (!present) {
			p.keywords.emplace_back(k);
			p.values.emplace_back(v);
		}
	};
	add(has_app, "application_name", "pgclone");
	add(has_ka, "keepalives", "1");
	add(has_ka_idle, "keepalives_idle", "30");
	add(has_ka_int, "keepalives_interval", "10");
	add(has_ka_cnt, "keepalives_count", "6");
	if (!client_encoding.empty())
		add(false, "client_encoding", client_encoding.c_str());
	return p;
}

std::string scrub_password(std::string s, const std::string &password) {
	if (password.empty())
		return s;
	for (size_t pos = s.find(password); pos != std::string::npos; pos = s.find(password, pos + 8))
		s.replace(pos, password.size(), "********");
	return s;
}

std::string scrub_secrets(std::string s, const std::vector<std::string> &secrets) {
	for (const auto &secret : secrets)
		s = scrub_password(std::move(s), secret);
	return s;
}

std::string redact_conninfo(const std::string &conninfo) {
	char *err = nullptr;
	OptionsPtr opts(PQconninfoParse(conninfo.c_str(), &err));
	if (err)
		PQfreemem(err);
	if (!opts)
		return "(unparsable connection string)";
	std::string out;
	for (PQconninfoOption *o = opts.get(); o->keyword; ++o) {
		// Every option libpq itself would never display (password, sslpassword).
		if (!o->val || (o->dispchar && o->dispchar[0] == '*'))
			continue;
		if (!out.empty())
			out += ' ';
		out += o->keyword;
		out += '=';
		std::string v = o->val;
		bool quote = v.empty() || v.find_first_of(" '\\") != std::string::npos;
		if (quote) {
			std::string q = "'";
			for (char c : v) {
				if (c == '\'' || c == '\\')
					q += '\\';
				q += c;
			}
			v = q + "'";
		}
		out += v;
	}
	return out;
}

} // namespace pgclone::libpq
