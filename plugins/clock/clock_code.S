/* The replacements for the vDSO's clock_gettime, gettimeofday and time that
 * the clock fault copies into a process (x86-64 only). Each asks the kernel
 * for the real time with the system call (the vDSO's own code is what they
 * replace), then adjusts the wall clocks:
 *
 *   adjusted = base + ((real - base) * rate >> 32) + offsets[selector]
 *
 * MONOTONIC, BOOTTIME and the CPU clocks are returned as the kernel gives
 * them: Go's and the JVM's timers run on MONOTONIC. The code uses no stack
 * and only the registers the C ABI lets a callee clobber, and it is never
 * executed here: it lives in .rodata and is copied, position-independent,
 * to the first of two pages whose second holds its data. */
#include "clock_layout.h"

        .intel_syntax noprefix
        .section .rodata
        .p2align 4
        .globl atomixtest_clock_code_start, atomixtest_clock_code_end
        .globl atomixtest_clock_gettime, atomixtest_clock_gettimeofday
        .globl atomixtest_clock_time, atomixtest_clock_trap
        .hidden atomixtest_clock_code_start, atomixtest_clock_code_end
        .hidden atomixtest_clock_gettime, atomixtest_clock_gettimeofday
        .hidden atomixtest_clock_time, atomixtest_clock_trap

#define DATA(field) [rip + .Lstart + CLOCK_PAGE_SIZE + field]

/* rax: the real time in ns -> the adjusted time (never below 0). Clobbers rcx, rdx. */
.macro ADJUST
        sub rax, qword ptr DATA(CLOCK_DATA_BASE)
        imul qword ptr DATA(CLOCK_DATA_RATE)
        shrd rax, rdx, 32
        add rax, qword ptr DATA(CLOCK_DATA_BASE)
        movzx ecx, byte ptr DATA(CLOCK_DATA_SELECTOR)
        and ecx, 1
        lea rdx, DATA(CLOCK_DATA_OFFSETS)
        add rax, qword ptr [rdx + rcx * 8]
        test rax, rax
        jns 1f
        xor eax, eax
1:
.endm

atomixtest_clock_code_start:
.Lstart:

/* int clock_gettime(clockid_t rdi, struct timespec* rsi) */
atomixtest_clock_gettime:
        mov eax, 228                    /* SYS_clock_gettime */
        syscall
        test rax, rax
        jnz 9f                          /* -errno, as the vDSO returns it */
        cmp edi, 31
        ja 9f                           /* CPU and dynamic clocks are negative */
        mov edx, CLOCK_ADJUSTED_MASK
        bt edx, edi
        jnc 9f
        mov r8, rsi
        mov rax, qword ptr [r8]
        imul rax, rax, 1000000000
        add rax, qword ptr [r8 + 8]
        ADJUST
        xor edx, edx
        mov ecx, 1000000000
        div rcx
        mov qword ptr [r8], rax
        mov qword ptr [r8 + 8], rdx
        xor eax, eax
9:      ret

/* int gettimeofday(struct timeval* rdi, struct timezone* rsi) */
        .p2align 4
atomixtest_clock_gettimeofday:
        mov eax, 96                     /* SYS_gettimeofday */
        syscall
        test rax, rax
        jnz 9f
        test rdi, rdi
        jz 9f
        mov r8, rdi
        mov rax, qword ptr [r8]
        imul rax, rax, 1000000000
        mov rcx, qword ptr [r8 + 8]
        imul rcx, rcx, 1000
        add rax, rcx
        ADJUST
        xor edx, edx
        mov ecx, 1000000000
        div rcx
        mov qword ptr [r8], rax
        mov rax, rdx
        xor edx, edx
        mov ecx, 1000
        div rcx
        mov qword ptr [r8 + 8], rax
        xor eax, eax
9:      ret

/* time_t time(time_t* rdi) */
        .p2align 4
atomixtest_clock_time:
        mov r8, rdi
        xor edi, edi
        mov eax, 201                    /* SYS_time */
        syscall
        imul rax, rax, 1000000000
        ADJUST
        xor edx, edx
        mov ecx, 1000000000
        div rcx
        test r8, r8
        jz 9f
        mov qword ptr [r8], rax
9:      ret

/* Where a call injected to check the clock returns: the tracer sees SIGTRAP. */
        .p2align 4
atomixtest_clock_trap:
        int3
        ud2

atomixtest_clock_code_end:
        .section .note.GNU-stack, "", @progbits
