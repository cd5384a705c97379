#include "vdso.hpp"

#include <elf.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "atomixtest/error.hpp"
#include "stopped_process.hpp"

namespace atomixtest::clock {

namespace {

const Elf64_Ehdr& elf_header(const std::vector<uint8_t>& image) {
    const auto* header = reinterpret_cast<const Elf64_Ehdr*>(image.data());
    if (image.size() < sizeof(Elf64_Ehdr) || std::memcmp(header->e_ident, ELFMAG, SELFMAG) != 0 ||
        header->e_ident[EI_CLASS] != ELFCLASS64 || header->e_machine != EM_X86_64) {
        throw environment_error("the clock faults need an x86-64 vDSO");
    }
    return *header;
}

// A dynamic symbol's offset from the image's first loaded address (older
// kernels link the vDSO at 0xffffffffff700000, newer ones at 0).
uint64_t symbol_offset(const std::vector<uint8_t>& image, const char* wanted) {
    const auto& header = elf_header(image);
    const uint8_t* base = image.data();
    uint64_t load_address = 0;
    const auto* programs = reinterpret_cast<const Elf64_Phdr*>(base + header.e_phoff);
    for (int i = 0; i < header.e_phnum; ++i) {
        if (programs[i].p_type == PT_LOAD) {
            load_address = programs[i].p_vaddr;
            break;
        }
    }
    const auto* sections = reinterpret_cast<const Elf64_Shdr*>(base + header.e_shoff);
    for (int i = 0; i < header.e_shnum; ++i) {
        if (sections[i].sh_type != SHT_DYNSYM) continue;
        const auto* symbols = reinterpret_cast<const Elf64_Sym*>(base + sections[i].sh_offset);
        const auto* names =
            reinterpret_cast<const char*>(base + sections[sections[i].sh_link].sh_offset);
        for (size_t s = 0; s < sections[i].sh_size / sizeof(Elf64_Sym); ++s) {
            if (symbols[s].st_value == 0 || std::strcmp(names + symbols[s].st_name, wanted) != 0) {
                continue;
            }
            // The jump that replaces its first bytes must not run into the next function.
            if (symbols[s].st_size < kJumpSize) {
                throw environment_error(std::string("this kernel's ") + wanted +
                                        " is too short to be patched");
            }
            return symbols[s].st_value - load_address;
        }
    }
    throw environment_error(std::string("this kernel's vDSO has no ") + wanted);
}

VdsoImage read_local_vdso() {
    auto range = vdso_of(static_cast<int>(getpid()));
    if (range.start == 0) throw environment_error("this process has no vDSO");
    VdsoImage vdso;
    // Read as any other process's is: an address is not a pointer here.
    vdso.bytes = ProcessMemory(getpid()).read(range.start, range.end - range.start);
    const char* names[kPatchedFunctions] = {"__vdso_clock_gettime", "__vdso_gettimeofday",
                                            "__vdso_time"};
    for (int i = 0; i < kPatchedFunctions; ++i)
        vdso.functions[i] = symbol_offset(vdso.bytes, names[i]);
    // Any `0f 05` will do: an injected system call starts decoding there.
    vdso.syscall_instruction = 0;
    for (size_t i = 0; i + 1 < vdso.bytes.size(); ++i) {
        if (vdso.bytes[i] == 0x0f && vdso.bytes[i + 1] == 0x05) {
            vdso.syscall_instruction = i;
            break;
        }
    }
    if (vdso.syscall_instruction == 0) {
        throw environment_error("this kernel's vDSO has no syscall instruction to inject through");
    }
    return vdso;
}

}  // namespace

const VdsoImage& local_vdso() {
    static const VdsoImage vdso = read_local_vdso();
    return vdso;
}

std::vector<Mapping> mappings_of(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/maps");
    std::vector<Mapping> maps;
    for (std::string line; std::getline(in, line);) {
        Mapping mapping;
        char dash = 0;
        std::string offset, device;
        std::istringstream fields(line);
        fields >> std::hex >> mapping.range.start >> dash >> mapping.range.end >>
            mapping.permissions >> offset >> device >> std::dec >> mapping.inode;
        std::getline(fields >> std::ws, mapping.name);
        maps.push_back(mapping);
    }
    return maps;
}

Range vdso_of(int pid) {
    for (const auto& mapping : mappings_of(pid)) {
        if (mapping.name == "[vdso]") return mapping.range;
    }
    return {};
}

}  // namespace atomixtest::clock
