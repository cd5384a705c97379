// `atomix-test check HISTORY --model list-append|rw-register`: the
// transactional checker's door in the check command.
#pragma once

#include "cli/commands.hpp"

namespace atomixtest::cli {

// Whether the words ask for a transactional model (--model list-append or
// rw-register): check_command hands them on.
bool names_txn_model(const Args& args);

// Exit 0 valid, 1 anomalies the consistency model forbids, 2 bad input,
// 3 undecided.
int txn_check_command(const Args& args);

}  // namespace atomixtest::cli
