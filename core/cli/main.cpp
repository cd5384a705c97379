#include "cli/commands.hpp"

int main(int argc, char** argv) {
    return atomixtest::cli::run_cli(argc, argv);
}
