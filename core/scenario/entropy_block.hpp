// A scenario's `entropy:` block: the same run as `atomix-test entropy`,
// written as data. Its functions are turned into the command line's words and
// parsed by the same parser, so both forms mean exactly the same:
//   - crash: {every: [15s, 30s], random: [30s, 1m]}   -> crash 15s 30s --random 30s 1m
//   - partition: {isolate: [30s, 1m], halves: true}   -> partition --isolate 30s 1m --halves
//   - stress: {target: all, network: 500ms, cpu: 2}   -> stress --all --network 500ms --cpu 2
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scenario/entropy_options.hpp"

namespace atomixtest {

// The command-line words of one function object (its schema already checked).
std::vector<std::string> entropy_function_words(const nlohmann::json& function);

// The run's options from the block; throws Error(BadInput) naming what is wrong
// (the caller adds the block's position).
EntropyOptions entropy_options_of(const nlohmann::json& block);

}  // namespace atomixtest
