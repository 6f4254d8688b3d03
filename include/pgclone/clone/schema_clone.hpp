// Cloning whole schemas (and, through clone_many, whole databases) in
// dependency order:
//   schemas -> [extensions] -> types -> sequences -> functions the tables
//   need -> tables with data -> partitions attached -> foreign keys ->
//   views and materialized views -> functions -> triggers.
// Everything runs in the caller's transaction (target DDL through SPI, rows
// through the COPY streamer), and every source read in one snapshot held by
// the snapshot keeper: the clone is atomic and consistent.
//
// Include pgclone/pg/postgres.hpp before this header.
#pragma once

#include <string>
#include <vector>

#include "pgclone/core/options.hpp"

namespace pgclone::clone {

struct MultiCloneRequest {
	std::string conninfo;
	// Schemas to clone; with `database`, every user schema of the source.
	std::vector<std::string> schemas;
	bool database = false;
	bool include_data = true;
	// pgclone.functions(): only functions and procedures.
	bool functions_only = false;
	core::CloneOptions options;
	std::string function_name; // in messages: "pgclone.schema"
};

// Runs the clone and returns its result text (core::summary_text).
std::string clone_many(const MultiCloneRequest &req);

} // namespace pgclone::clone
