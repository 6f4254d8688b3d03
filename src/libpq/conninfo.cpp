// Conninfo parsing and keepalive / application_name injection.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
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
			    "The connection string could not be parsed (its text is not shown because it may contain a password).";
		throw core::Error("invalid connection string for the source server",
		                  core::sqlstate::connection_exception, detail,
		                  "Use the keyword form \"host=... dbname=... user=...\" or a postgresql:// URI.");
	}
	return opts;
}

// libpq's test for a dbname that is itself a connection string
// (recognized_connection_string in fe-connect.c): a URI prefix or an "=".
bool is_connection_string(const char *v) {
	return std::strncmp(v, "postgresql://", 13) == 0 || std::strncmp(v, "postgres://", 11) == 0 ||
	       std::strchr(v, '=') != nullptr;
}

bool has_value(const char *v) {
	return v && v[0] != '\0';
}

} // namespace

std::vector<ConninfoOption> expanded_conninfo(const std::string &conninfo) {
	if (conninfo.size() > max_conninfo_length)
		throw core::Error("the connection string for the source server is too long",
		                  core::sqlstate::invalid_parameter_value,
		                  "It has " + std::to_string(conninfo.size()) + " bytes; at most " +
		                      std::to_string(max_conninfo_length) + " are accepted.");
	OptionsPtr outer = parse(conninfo);
	// The expand_dbname rule of PQconnectdbParams: a dbname that is itself a
	// connection string is parsed, and its values replace those of the
	// options libpq lists before dbname; options listed after dbname keep the
	// caller's value when one was given. Only this one level is expanded.
	OptionsPtr inner;
	for (PQconninfoOption *o = outer.get(); o->keyword; ++o)
		if (std::strcmp(o->keyword, "dbname") == 0 && o->val && is_connection_string(o->val))
			inner = parse(o->val);
	std::vector<ConninfoOption> out;
	bool after_dbname = false;
	const PQconninfoOption *in = inner.get();
	for (const PQconninfoOption *o = outer.get(); o->keyword; ++o, in = in ? in + 1 : nullptr) {
		bool is_dbname = std::strcmp(o->keyword, "dbname") == 0;
		const char *v = has_value(o->val) ? o->val : nullptr;
		if (in) {
			// Both arrays list libpq's options in the same order.
			const char *expanded = in->val;
			if (is_dbname)
				v = expanded;
			else if (expanded && (!after_dbname || !v))
				v = expanded;
		}
		after_dbname |= is_dbname;
		if (!v)
			continue;
		out.push_back({o->keyword, v, o->dispchar && o->dispchar[0] == '*'});
	}
	return out;
}

ConnParams prepare_conninfo(const std::string &conninfo, const std::string &client_encoding) {
	ConnParams p;
	bool has_app = false, has_ka = false, has_ka_idle = false, has_ka_int = false, has_ka_cnt = false;
	for (const ConninfoOption &o : expanded_conninfo(conninfo)) {
		const std::string &k = o.keyword;
		if (k == "client_encoding")
			continue; // pinned below: text COPY must arrive in the target's encoding
		if (k == "password")
			p.password = o.value;
		if (k == "service")
			p.service = o.value;
		if (o.secret && !o.value.empty())
			p.secrets.push_back(o.value);
		if (k == "connect_timeout")
			p.connect_timeout = std::max(0, std::atoi(o.value.c_str()));
		has_app |= k == "application_name";
		has_ka |= k == "keepalives";
		has_ka_idle |= k == "keepalives_idle";
		has_ka_int |= k == "keepalives_interval";
		has_ka_cnt |= k == "keepalives_count";
		p.keywords.push_back(k);
		p.values.push_back(o.value);
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

std::string redacted_conninfo(const std::string &conninfo) {
	static const char *const kept[] = {"host", "hostaddr", "port", "dbname", "user"};
	std::string out;
	for (const auto &o : expanded_conninfo(conninfo)) {
		if (o.secret || o.value.empty() ||
		    std::none_of(std::begin(kept), std::end(kept), [&](const char *k) { return o.keyword == k; }))
			continue;
		// libpq's quoting of a keyword value: '...' with \ and \' escaped.
		std::string quoted = "'";
		for (char c : o.value) {
			if (c == '\\' || c == '\'')
				quoted += '\\';
			quoted += c;
		}
		quoted += '\'';
		out += (out.empty() ? "" : " ") + o.keyword + "=" + quoted;
	}
	return out;
}

} // namespace pgclone::libpq
