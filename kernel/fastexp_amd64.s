//go:build amd64 && !purego

#include "textflag.h"

// Constants of expSliceGo, four copies each for full-width operands.
DATA expLow<>+0(SB)/8, $0xc086180000000000 // -707
DATA expLow<>+8(SB)/8, $0xc086180000000000
DATA expLow<>+16(SB)/8, $0xc086180000000000
DATA expLow<>+24(SB)/8, $0xc086180000000000
GLOBL expLow<>(SB), RODATA|NOPTR, $32

DATA expHigh<>+0(SB)/8, $0x4085a80000000000 // 693
DATA expHigh<>+8(SB)/8, $0x4085a80000000000
DATA expHigh<>+16(SB)/8, $0x4085a80000000000
DATA expHigh<>+24(SB)/8, $0x4085a80000000000
GLOBL expHigh<>(SB), RODATA|NOPTR, $32

DATA expShift<>+0(SB)/8, $0x4338000000000000 // 0x1.8p52
DATA expShift<>+8(SB)/8, $0x4338000000000000
DATA expShift<>+16(SB)/8, $0x4338000000000000
DATA expShift<>+24(SB)/8, $0x4338000000000000
GLOBL expShift<>(SB), RODATA|NOPTR, $32

DATA expC5<>+0(SB)/8, $0x3f81111111111111 // 1.0/120
DATA expC5<>+8(SB)/8, $0x3f81111111111111
DATA expC5<>+16(SB)/8, $0x3f81111111111111
DATA expC5<>+24(SB)/8, $0x3f81111111111111
GLOBL expC5<>(SB), RODATA|NOPTR, $32

DATA expC4<>+0(SB)/8, $0x3fa5555555555555 // 1.0/24
DATA expC4<>+8(SB)/8, $0x3fa5555555555555
DATA expC4<>+16(SB)/8, $0x3fa5555555555555
DATA expC4<>+24(SB)/8, $0x3fa5555555555555
GLOBL expC4<>(SB), RODATA|NOPTR, $32

DATA expC3<>+0(SB)/8, $0x3fc5555555555555 // 1.0/6
DATA expC3<>+8(SB)/8, $0x3fc5555555555555
DATA expC3<>+16(SB)/8, $0x3fc5555555555555
DATA expC3<>+24(SB)/8, $0x3fc5555555555555
GLOBL expC3<>(SB), RODATA|NOPTR, $32

DATA expC2<>+0(SB)/8, $0x3fe0000000000000 // 0.5
DATA expC2<>+8(SB)/8, $0x3fe0000000000000
DATA expC2<>+16(SB)/8, $0x3fe0000000000000
DATA expC2<>+24(SB)/8, $0x3fe0000000000000
GLOBL expC2<>(SB), RODATA|NOPTR, $32

// EXP4 sets X to exp of the four arguments in X, all in (-707, 693).
// It uses T1..T5, R9..R12 and 32 bytes at off(SP): the bits of
// x*expInvStep + shift go through memory to R9..R12 to make the offsets
// of the table entries, (k&63)*16, and the entries' hi and lo parts are
// loaded in pairs and separated with unpacks.
#define EXP4(X, T1, T2, T3, T4, T5, off) \
	VMULPD Y13, X, T1              \ // x*expInvStep
	VADDPD expShift<>(SB), T1, T1  \ // + shift: the bits of shift + k
	VSUBPD expShift<>(SB), T1, T2  \ // kf
	VMULPD Y14, T2, T3             \ // kf*expStepHi
	VSUBPD T3, X, T3               \ // x - kf*expStepHi
	VMULPD Y15, T2, T2             \ // kf*expStepLo
	VSUBPD T2, T3, T3              \ // r
	VMOVDQU T1, off(SP)            \
	VPSRLQ $6, T1, T1              \
	VPSLLQ $52, T1, T1             \ // uint64(e)<<52
	MOVQ off+0(SP), R9             \
	MOVQ off+8(SP), R10            \
	MOVQ off+16(SP), R11           \
	MOVQ off+24(SP), R12           \
	ANDQ $63, R9                   \
	ANDQ $63, R10                  \
	ANDQ $63, R11                  \
	ANDQ $63, R12                  \
	SHLQ $4, R9                    \
	SHLQ $4, R10                   \
	SHLQ $4, R11                   \
	SHLQ $4, R12                   \
	VMULPD expC5<>(SB), T3, T4     \ // r*(1.0/120)
	VADDPD expC4<>(SB), T4, T4     \ // 1.0/24 + ...
	VMULPD T4, T3, T4              \
	VADDPD expC3<>(SB), T4, T4     \ // 1.0/6 + ...
	VMULPD T4, T3, T4              \
	VADDPD expC2<>(SB), T4, T4     \ // 0.5 + ...
	VMULPD T3, T3, T5              \ // r*r
	VMULPD T4, T5, T4              \
	VADDPD T4, T3, T4              \ // p
	VMOVUPD (R8)(R9*1), X          \ // entries 0 and 2 ...
	VINSERTF128 $1, (R8)(R11*1), X, X \
	VMOVUPD (R8)(R10*1), T2        \ // ... and 1 and 3
	VINSERTF128 $1, (R8)(R12*1), T2, T2 \
	VUNPCKHPD T2, X, T3            \ // t.lo
	VUNPCKLPD T2, X, X             \ // t.hi
	VMULPD T4, X, T4               \ // t.hi*p
	VADDPD T3, T4, T4              \ // + t.lo
	VADDPD X, T4, T4               \ // t.hi + (t.hi*p + t.lo)
	VPADDQ T1, T4, X                 // scaled by 2^e

// INRANGE sets M to all ones in the lanes where -707 < X < 693, zero
// elsewhere and for NaN, using T.
#define INRANGE(X, M, T) \
	VCMPPD $0x1e, expLow<>(SB), X, M  \ // x > -707, ordered
	VCMPPD $0x11, expHigh<>(SB), X, T \ // x < 693, ordered
	VANDPD T, M, M

// func expAVX2(d, a []float64) int
//
// The operations are those of expSliceGo in the same order, each rounded
// as there (no fused multiply-add). k = round(x*64/ln2) is read from the
// bits of x*expInvStep + shift, which are those of shift plus k (shift is
// 0x1.8p52): their low six bits index expTable, and the bits from the
// seventh up, shifted to the exponent field, are uint64(k>>6)<<52 modulo
// 2^64. Arguments below 693 keep e = k>>6 below 1000, so the scaling by
// 2^e is always the integer addition. Eight elements at a time while all
// eight are in range, then four.
TEXT ·expAVX2(SB), NOSPLIT, $64-56
	MOVQ d_base+0(FP), DI
	MOVQ d_len+8(FP), BX
	MOVQ a_base+24(FP), SI
	LEAQ ·expTable(SB), R8
	VBROADCASTSD ·expInvStep(SB), Y13
	VBROADCASTSD ·expStepHi(SB), Y14
	VBROADCASTSD ·expStepLo(SB), Y15
	XORQ AX, AX
	LEAQ -8(BX), CX // the last start of a group of eight
	SUBQ $4, BX     // the last start of a group of four

loop8:
	CMPQ AX, CX
	JGT  loop4
	VMOVUPD (SI)(AX*8), Y0
	VMOVUPD 32(SI)(AX*8), Y6
	INRANGE(Y0, Y1, Y2)
	INRANGE(Y6, Y7, Y8)
	VANDPD    Y7, Y1, Y1
	VMOVMSKPD Y1, DX
	CMPQ      DX, $15
	JNE       loop4
	EXP4(Y0, Y1, Y2, Y3, Y4, Y5, 0)
	EXP4(Y6, Y7, Y8, Y9, Y10, Y11, 32)
	VMOVUPD Y0, (DI)(AX*8)
	VMOVUPD Y6, 32(DI)(AX*8)
	ADDQ    $8, AX
	JMP     loop8

loop4:
	CMPQ AX, BX
	JGT  done
	VMOVUPD   (SI)(AX*8), Y0
	INRANGE(Y0, Y1, Y2)
	VMOVMSKPD Y1, DX
	CMPQ      DX, $15
	JNE       done
	EXP4(Y0, Y1, Y2, Y3, Y4, Y5, 0)
	VMOVUPD Y0, (DI)(AX*8)
	ADDQ    $4, AX
	JMP     loop4

done:
	MOVQ AX, ret+48(FP)
	VZEROUPPER
	RET
