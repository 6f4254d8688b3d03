// How error messages name a JSON value the user gave: "an object", "an
// array", "a string", or the literal value itself (numbers, booleans, null).
// Strings are never quoted back: they may be secrets (a salt, a password).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace pgclone::core {

std::string describe_json_value(const nlohmann::json &v);

} // namespace pgclone::core
