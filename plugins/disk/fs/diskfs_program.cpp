#include "diskfs_serve.hpp"

int main(int argc, char** argv) {
    return atomixtest::disk::serve_lazy_disk(argc, argv);
}
