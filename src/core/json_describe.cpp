// Naming JSON values in messages.
#include "pgclone/core/json_describe.hpp"
#include "pgclone/core/pure.hpp"

namespace pgclone::core {

std::string describe_json_value(const nlohmann::json &v) {
	using t = nlohmann::json::value_t;
	switch (v.type()) {
	case t::object:
		return "an object";
	case t::array:
		return "an array";
	case t::string:
		return "a string";
	case t::number_integer:
	case t::number_unsigned:
	case t::number_float:
	case t::boolean:
	case t::null:
		return v.dump();
	default:
		return v.type_name();
	}
}

} // namespace pgclone::core
