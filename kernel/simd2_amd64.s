//go:build amd64 && !purego

#include "textflag.h"

// More AVX2 loops of ops_gen.go and ops_misc.go, with the same rules as
// simd_amd64.s: every element goes through the same IEEE operations in
// the same order as in the Go loop (no FMA), so the results are the same
// bits; see simd2_amd64.go.
//
// Register use: DI destination, SI, DX, R8, R9, R10 vector operands, CX
// length, AX element index, BX loop bound; scalar operands are broadcast
// to all lanes, and the low lanes serve the single elements of the tail.

DATA simd2One<>+0(SB)/8, $0x3ff0000000000000 // 1
GLOBL simd2One<>(SB), RODATA|NOPTR, $8

DATA simd2Half<>+0(SB)/8, $0x3fe0000000000000 // 0.5
GLOBL simd2Half<>(SB), RODATA|NOPTR, $8

DATA simd2MinusHalf<>+0(SB)/8, $0xbfe0000000000000 // -0.5
GLOBL simd2MinusHalf<>(SB), RODATA|NOPTR, $8

// ELEMS runs BODY(A, B, C, off) over the elements AX..AX+3 at byte
// offset off, sixteen then four elements per pass, and SBODY(SA, SB, SC)
// over single elements for the last n%4. LOOP is ELEMS and the return.
#define ELEMS(BODY, SBODY, A, B, C, SA, SB, SC) \
	XORQ AX, AX; \
	MOVQ CX, BX; \
	ANDQ $-16, BX; \
	JZ   quad; \
loop16: \
	BODY(A, B, C, 0); \
	BODY(A, B, C, 32); \
	BODY(A, B, C, 64); \
	BODY(A, B, C, 96); \
	ADDQ $16, AX; \
	CMPQ AX, BX; \
	JLT  loop16; \
quad: \
	MOVQ CX, BX; \
	ANDQ $-4, BX; \
	CMPQ AX, BX; \
	JGE  single; \
loop4: \
	BODY(A, B, C, 0); \
	ADDQ $4, AX; \
	CMPQ AX, BX; \
	JLT  loop4; \
single: \
	CMPQ AX, CX; \
	JGE  done; \
loop1: \
	SBODY(SA, SB, SC); \
	INCQ AX; \
	CMPQ AX, CX; \
	JLT  loop1; \
done:

#define LOOP(BODY, SBODY, A, B, C, SA, SB, SC) \
	ELEMS(BODY, SBODY, A, B, C, SA, SB, SC); \
	VZEROUPPER; \
	RET

// Linear combinations with masked coefficients, as execLinSel1..4:
// d = ((c0 + c1*x1) + c2*x2) + ..., each coefficient ci picked per
// element from fi and ti by bit 52 of the mask m (the lowest exponent bit,
// set in 1 and clear in 0). Shifting the mask left by 11 moves that bit
// to the sign, which VBLENDVPD reads. fi and ti are in Y0..Y9 in pairs
// (f0 Y0, t0 Y1, f1 Y2, t1 Y3, ...), the mask in SI, x1..x4 in DX, R8, R9,
// R10; Y10 holds the shifted mask, Y11 the sum, Y12 a coefficient and Y13
// a product. The arguments A, B, C are unused.

#define SELFIRST(off) \
	VMOVUPD   off(SI)(AX*8), Y10; \
	VPSLLQ    $11, Y10, Y10; \
	VBLENDVPD Y10, Y3, Y2, Y12; \
	VMULPD    off(DX)(AX*8), Y12, Y11; \
	VBLENDVPD Y10, Y1, Y0, Y12; \
	VADDPD    Y11, Y12, Y11

#define SELTERM(off, P, F, T) \
	VBLENDVPD Y10, T, F, Y12; \
	VMULPD    off(P)(AX*8), Y12, Y13; \
	VADDPD    Y13, Y11, Y11

#define SSELFIRST \
	VMOVSD    (SI)(AX*8), X10; \
	VPSLLQ    $11, X10, X10; \
	VBLENDVPD X10, X3, X2, X12; \
	VMULSD    (DX)(AX*8), X12, X11; \
	VBLENDVPD X10, X1, X0, X12; \
	VADDSD    X11, X12, X11

#define SSELTERM(P, F, T) \
	VBLENDVPD X10, T, F, X12; \
	VMULSD    (P)(AX*8), X12, X13; \
	VADDSD    X13, X11, X11

#define LINSEL1(A, B, C, off) \
	SELFIRST(off); \
	VMOVUPD Y11, off(DI)(AX*8)

#define SLINSEL1(A, B, C) \
	SSELFIRST; \
	VMOVSD X11, (DI)(AX*8)

#define LINSEL2(A, B, C, off) \
	SELFIRST(off); \
	SELTERM(off, R8, Y4, Y5); \
	VMOVUPD Y11, off(DI)(AX*8)

#define SLINSEL2(A, B, C) \
	SSELFIRST; \
	SSELTERM(R8, X4, X5); \
	VMOVSD X11, (DI)(AX*8)

#define LINSEL3(A, B, C, off) \
	SELFIRST(off); \
	SELTERM(off, R8, Y4, Y5); \
	SELTERM(off, R9, Y6, Y7); \
	VMOVUPD Y11, off(DI)(AX*8)

#define SLINSEL3(A, B, C) \
	SSELFIRST; \
	SSELTERM(R8, X4, X5); \
	SSELTERM(R9, X6, X7); \
	VMOVSD X11, (DI)(AX*8)

#define LINSEL4(A, B, C, off) \
	SELFIRST(off); \
	SELTERM(off, R8, Y4, Y5); \
	SELTERM(off, R9, Y6, Y7); \
	SELTERM(off, R10, Y8, Y9); \
	VMOVUPD Y11, off(DI)(AX*8)

#define SLINSEL4(A, B, C) \
	SSELFIRST; \
	SSELTERM(R8, X4, X5); \
	SSELTERM(R9, X6, X7); \
	SSELTERM(R10, X8, X9); \
	VMOVSD X11, (DI)(AX*8)

// func linSel1AVX2(d, m, x1 []float64, f0, t0, f1, t1 float64)
TEXT ·linSel1AVX2(SB), NOSPLIT, $0-104
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         m_base+24(FP), SI
	MOVQ         x1_base+48(FP), DX
	VBROADCASTSD f0+72(FP), Y0
	VBROADCASTSD t0+80(FP), Y1
	VBROADCASTSD f1+88(FP), Y2
	VBROADCASTSD t1+96(FP), Y3
	LOOP(LINSEL1, SLINSEL1, _, _, _, _, _, _)

// func linSel2AVX2(d, m, x1, x2 []float64, f0, t0, f1, t1, f2, t2 float64)
TEXT ·linSel2AVX2(SB), NOSPLIT, $0-144
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         m_base+24(FP), SI
	MOVQ         x1_base+48(FP), DX
	MOVQ         x2_base+72(FP), R8
	VBROADCASTSD f0+96(FP), Y0
	VBROADCASTSD t0+104(FP), Y1
	VBROADCASTSD f1+112(FP), Y2
	VBROADCASTSD t1+120(FP), Y3
	VBROADCASTSD f2+128(FP), Y4
	VBROADCASTSD t2+136(FP), Y5
	LOOP(LINSEL2, SLINSEL2, _, _, _, _, _, _)

// func linSel3AVX2(d, m, x1, x2, x3 []float64, f0, t0, f1, t1, f2, t2, f3, t3 float64)
TEXT ·linSel3AVX2(SB), NOSPLIT, $0-184
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         m_base+24(FP), SI
	MOVQ         x1_base+48(FP), DX
	MOVQ         x2_base+72(FP), R8
	MOVQ         x3_base+96(FP), R9
	VBROADCASTSD f0+120(FP), Y0
	VBROADCASTSD t0+128(FP), Y1
	VBROADCASTSD f1+136(FP), Y2
	VBROADCASTSD t1+144(FP), Y3
	VBROADCASTSD f2+152(FP), Y4
	VBROADCASTSD t2+160(FP), Y5
	VBROADCASTSD f3+168(FP), Y6
	VBROADCASTSD t3+176(FP), Y7
	LOOP(LINSEL3, SLINSEL3, _, _, _, _, _, _)

// func linSel4AVX2(d, m, x1, x2, x3, x4 []float64, f0, t0, f1, t1, f2, t2, f3, t3, f4, t4 float64)
TEXT ·linSel4AVX2(SB), NOSPLIT, $0-224
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         m_base+24(FP), SI
	MOVQ         x1_base+48(FP), DX
	MOVQ         x2_base+72(FP), R8
	MOVQ         x3_base+96(FP), R9
	MOVQ         x4_base+120(FP), R10
	VBROADCASTSD f0+144(FP), Y0
	VBROADCASTSD t0+152(FP), Y1
	VBROADCASTSD f1+160(FP), Y2
	VBROADCASTSD t1+168(FP), Y3
	VBROADCASTSD f2+176(FP), Y4
	VBROADCASTSD t2+184(FP), Y5
	VBROADCASTSD f3+192(FP), Y6
	VBROADCASTSD t3+200(FP), Y7
	VBROADCASTSD f4+208(FP), Y8
	VBROADCASTSD t4+216(FP), Y9
	LOOP(LINSEL4, SLINSEL4, _, _, _, _, _, _)

// Selects. SELVSS is execSelectVSS, d = t where bit 52 of c is set (c
// is 1) and e where it is clear (c is 0), bits copied: t in Y1, e in Y2,
// c in SI. SELVV, SELVS and SELSV are execSelect, d = t where c != 0 (NaN
// included) and e elsewhere, with t and e vectors (DX, R8) or scalars (Y1,
// Y2); Y7 is zero.

#define SELVSS(A, B, C, off) \
	VMOVUPD   off(SI)(AX*8), Y5; \
	VPSLLQ    $11, Y5, Y5; \
	VBLENDVPD Y5, Y1, Y2, Y6; \
	VMOVUPD   Y6, off(DI)(AX*8)

#define SSELVSS(A, B, C) \
	VMOVSD    (SI)(AX*8), X5; \
	VPSLLQ    $11, X5, X5; \
	VBLENDVPD X5, X1, X2, X6; \
	VMOVSD    X6, (DI)(AX*8)

#define SELVV(A, B, C, off) \
	VCMPPD    $0x04, off(SI)(AX*8), Y7, Y5; \
	VMOVUPD   off(R8)(AX*8), Y6; \
	VBLENDVPD Y5, off(DX)(AX*8), Y6, Y6; \
	VMOVUPD   Y6, off(DI)(AX*8)

#define SSELVV(A, B, C) \
	VCMPSD    $0x04, (SI)(AX*8), X7, X5; \
	VMOVSD    (R8)(AX*8), X6; \
	VMOVSD    (DX)(AX*8), X8; \
	VBLENDVPD X5, X8, X6, X6; \
	VMOVSD    X6, (DI)(AX*8)

#define SELVS(A, B, C, off) \
	VCMPPD    $0x04, off(SI)(AX*8), Y7, Y5; \
	VBLENDVPD Y5, off(DX)(AX*8), Y2, Y6; \
	VMOVUPD   Y6, off(DI)(AX*8)

#define SSELVS(A, B, C) \
	VCMPSD    $0x04, (SI)(AX*8), X7, X5; \
	VMOVSD    (DX)(AX*8), X8; \
	VBLENDVPD X5, X8, X2, X6; \
	VMOVSD    X6, (DI)(AX*8)

#define SELSV(A, B, C, off) \
	VCMPPD    $0x04, off(SI)(AX*8), Y7, Y5; \
	VMOVUPD   off(R8)(AX*8), Y6; \
	VBLENDVPD Y5, Y1, Y6, Y6; \
	VMOVUPD   Y6, off(DI)(AX*8)

#define SSELSV(A, B, C) \
	VCMPSD    $0x04, (SI)(AX*8), X7, X5; \
	VMOVSD    (R8)(AX*8), X6; \
	VBLENDVPD X5, X1, X6, X6; \
	VMOVSD    X6, (DI)(AX*8)

// func selectVSSAVX2(d, c []float64, t, e float64)
TEXT ·selectVSSAVX2(SB), NOSPLIT, $0-64
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         c_base+24(FP), SI
	VBROADCASTSD t+48(FP), Y1
	VBROADCASTSD e+56(FP), Y2
	LOOP(SELVSS, SSELVSS, _, _, _, _, _, _)

// func selectVVAVX2(d, c, t, e []float64)
TEXT ·selectVVAVX2(SB), NOSPLIT, $0-96
	MOVQ   d_base+0(FP), DI
	MOVQ   d_len+8(FP), CX
	MOVQ   c_base+24(FP), SI
	MOVQ   t_base+48(FP), DX
	MOVQ   e_base+72(FP), R8
	VXORPD Y7, Y7, Y7
	LOOP(SELVV, SSELVV, _, _, _, _, _, _)

// func selectVSAVX2(d, c, t []float64, e float64)
TEXT ·selectVSAVX2(SB), NOSPLIT, $0-80
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         c_base+24(FP), SI
	MOVQ         t_base+48(FP), DX
	VBROADCASTSD e+72(FP), Y2
	VXORPD       Y7, Y7, Y7
	LOOP(SELVS, SSELVS, _, _, _, _, _, _)

// func selectSVAVX2(d, c []float64, t float64, e []float64)
TEXT ·selectSVAVX2(SB), NOSPLIT, $0-80
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         c_base+24(FP), SI
	VBROADCASTSD t+48(FP), Y1
	MOVQ         e_base+56(FP), R8
	VXORPD       Y7, Y7, Y7
	LOOP(SELSV, SSELSV, _, _, _, _, _, _)

// Chains of scalar steps, as the execChain loops: d = ((a A s0) B s1) C s2
// with s0, s1, s2 in Y0, Y1, Y2 and a in SI; the chains of two steps leave
// out C.

#define CHAIN2(A, B, C, off) \
	VMOVUPD off(SI)(AX*8), Y5; \
	A       Y0, Y5, Y5; \
	B       Y1, Y5, Y5; \
	VMOVUPD Y5, off(DI)(AX*8)

#define SCHAIN2(A, B, C) \
	VMOVSD (SI)(AX*8), X5; \
	A      X0, X5, X5; \
	B      X1, X5, X5; \
	VMOVSD X5, (DI)(AX*8)

#define CHAIN3(A, B, C, off) \
	VMOVUPD off(SI)(AX*8), Y5; \
	A       Y0, Y5, Y5; \
	B       Y1, Y5, Y5; \
	C       Y2, Y5, Y5; \
	VMOVUPD Y5, off(DI)(AX*8)

#define SCHAIN3(A, B, C) \
	VMOVSD (SI)(AX*8), X5; \
	A      X0, X5, X5; \
	B      X1, X5, X5; \
	C      X2, X5, X5; \
	VMOVSD X5, (DI)(AX*8)

// func chainAddAddAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainAddAddAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	LOOP(CHAIN2, SCHAIN2, VADDPD, VADDPD, _, VADDSD, VADDSD, _)

// func chainAddMulAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainAddMulAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	LOOP(CHAIN2, SCHAIN2, VADDPD, VMULPD, _, VADDSD, VMULSD, _)

// func chainAddDivAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainAddDivAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	LOOP(CHAIN2, SCHAIN2, VADDPD, VDIVPD, _, VADDSD, VDIVSD, _)

// func chainMulAddAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainMulAddAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	LOOP(CHAIN2, SCHAIN2, VMULPD, VADDPD, _, VMULSD, VADDSD, _)

// func chainMulMulAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainMulMulAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	LOOP(CHAIN2, SCHAIN2, VMULPD, VMULPD, _, VMULSD, VMULSD, _)

// func chainMulDivAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainMulDivAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	LOOP(CHAIN2, SCHAIN2, VMULPD, VDIVPD, _, VMULSD, VDIVSD, _)

// func chainDivAddAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainDivAddAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	LOOP(CHAIN2, SCHAIN2, VDIVPD, VADDPD, _, VDIVSD, VADDSD, _)

// func chainDivMulAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainDivMulAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	LOOP(CHAIN2, SCHAIN2, VDIVPD, VMULPD, _, VDIVSD, VMULSD, _)

// func chainDivDivAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainDivDivAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	LOOP(CHAIN2, SCHAIN2, VDIVPD, VDIVPD, _, VDIVSD, VDIVSD, _)

// func chainAddAddAddAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainAddAddAddAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VADDPD, VADDPD, VADDPD, VADDSD, VADDSD, VADDSD)

// func chainAddAddMulAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainAddAddMulAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VADDPD, VADDPD, VMULPD, VADDSD, VADDSD, VMULSD)

// func chainAddAddDivAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainAddAddDivAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VADDPD, VADDPD, VDIVPD, VADDSD, VADDSD, VDIVSD)

// func chainAddMulAddAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainAddMulAddAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VADDPD, VMULPD, VADDPD, VADDSD, VMULSD, VADDSD)

// func chainAddMulMulAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainAddMulMulAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VADDPD, VMULPD, VMULPD, VADDSD, VMULSD, VMULSD)

// func chainAddMulDivAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainAddMulDivAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VADDPD, VMULPD, VDIVPD, VADDSD, VMULSD, VDIVSD)

// func chainAddDivAddAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainAddDivAddAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VADDPD, VDIVPD, VADDPD, VADDSD, VDIVSD, VADDSD)

// func chainAddDivMulAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainAddDivMulAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VADDPD, VDIVPD, VMULPD, VADDSD, VDIVSD, VMULSD)

// func chainAddDivDivAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainAddDivDivAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VADDPD, VDIVPD, VDIVPD, VADDSD, VDIVSD, VDIVSD)

// func chainMulAddAddAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainMulAddAddAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VMULPD, VADDPD, VADDPD, VMULSD, VADDSD, VADDSD)

// func chainMulAddMulAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainMulAddMulAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VMULPD, VADDPD, VMULPD, VMULSD, VADDSD, VMULSD)

// func chainMulAddDivAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainMulAddDivAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VMULPD, VADDPD, VDIVPD, VMULSD, VADDSD, VDIVSD)

// func chainMulMulAddAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainMulMulAddAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VMULPD, VMULPD, VADDPD, VMULSD, VMULSD, VADDSD)

// func chainMulMulMulAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainMulMulMulAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VMULPD, VMULPD, VMULPD, VMULSD, VMULSD, VMULSD)

// func chainMulMulDivAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainMulMulDivAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VMULPD, VMULPD, VDIVPD, VMULSD, VMULSD, VDIVSD)

// func chainMulDivAddAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainMulDivAddAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VMULPD, VDIVPD, VADDPD, VMULSD, VDIVSD, VADDSD)

// func chainMulDivMulAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainMulDivMulAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VMULPD, VDIVPD, VMULPD, VMULSD, VDIVSD, VMULSD)

// func chainMulDivDivAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainMulDivDivAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VMULPD, VDIVPD, VDIVPD, VMULSD, VDIVSD, VDIVSD)

// func chainDivAddAddAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainDivAddAddAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VDIVPD, VADDPD, VADDPD, VDIVSD, VADDSD, VADDSD)

// func chainDivAddMulAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainDivAddMulAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VDIVPD, VADDPD, VMULPD, VDIVSD, VADDSD, VMULSD)

// func chainDivAddDivAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainDivAddDivAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VDIVPD, VADDPD, VDIVPD, VDIVSD, VADDSD, VDIVSD)

// func chainDivMulAddAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainDivMulAddAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VDIVPD, VMULPD, VADDPD, VDIVSD, VMULSD, VADDSD)

// func chainDivMulMulAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainDivMulMulAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VDIVPD, VMULPD, VMULPD, VDIVSD, VMULSD, VMULSD)

// func chainDivMulDivAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainDivMulDivAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VDIVPD, VMULPD, VDIVPD, VDIVSD, VMULSD, VDIVSD)

// func chainDivDivAddAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainDivDivAddAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VDIVPD, VDIVPD, VADDPD, VDIVSD, VDIVSD, VADDSD)

// func chainDivDivMulAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainDivDivMulAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VDIVPD, VDIVPD, VMULPD, VDIVSD, VDIVSD, VMULSD)

// func chainDivDivDivAVX2(d, a []float64, s0, s1, s2 float64)
TEXT ·chainDivDivDivAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s0+48(FP), Y0
	VBROADCASTSD s1+56(FP), Y1
	VBROADCASTSD s2+64(FP), Y2
	LOOP(CHAIN3, SCHAIN3, VDIVPD, VDIVPD, VDIVPD, VDIVSD, VDIVSD, VDIVSD)

// Comparisons giving 1 where they hold and 0 elsewhere: the all-ones
// lanes of VCMPPD anded with 1 (in Y1). A is the predicate of a CMP b for
// the shapes VV and SV, and of b CMP a for VS, where the vector is the
// memory operand: EQ_OQ 0x00, NEQ_UQ 0x04 (true for NaN, as Go's !=),
// LT_OQ 0x11, LE_OQ 0x12, GE_OQ 0x1d, GT_OQ 0x1e. a in SI, b in DX, the
// scalar in Y0.

#define CMPVV(A, B, C, off) \
	VMOVUPD off(SI)(AX*8), Y5; \
	VCMPPD  A, off(DX)(AX*8), Y5, Y5; \
	VANDPD  Y1, Y5, Y5; \
	VMOVUPD Y5, off(DI)(AX*8)

#define SCMPVV(A, B, C) \
	VMOVSD (SI)(AX*8), X5; \
	VCMPSD A, (DX)(AX*8), X5, X5; \
	VANDPD X1, X5, X5; \
	VMOVSD X5, (DI)(AX*8)

#define CMPS(A, B, C, off) \
	VCMPPD  A, off(SI)(AX*8), Y0, Y5; \
	VANDPD  Y1, Y5, Y5; \
	VMOVUPD Y5, off(DI)(AX*8)

#define SCMPS(A, B, C) \
	VCMPSD A, (SI)(AX*8), X0, X5; \
	VANDPD X1, X5, X5; \
	VMOVSD X5, (DI)(AX*8)

// func ltVVAVX2(d, a, b []float64)
TEXT ·ltVVAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	MOVQ         b_base+48(FP), DX
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPVV, SCMPVV, $0x11, _, _, $0x11, _, _) // a < b

// func ltVSAVX2(d, a []float64, s float64)
TEXT ·ltVSAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s+48(FP), Y0
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPS, SCMPS, $0x1e, _, _, $0x1e, _, _) // s > a

// func ltSVAVX2(d []float64, s float64, b []float64)
TEXT ·ltSVAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	VBROADCASTSD s+24(FP), Y0
	MOVQ         b_base+32(FP), SI
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPS, SCMPS, $0x11, _, _, $0x11, _, _) // s < b

// func leVVAVX2(d, a, b []float64)
TEXT ·leVVAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	MOVQ         b_base+48(FP), DX
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPVV, SCMPVV, $0x12, _, _, $0x12, _, _) // a <= b

// func leVSAVX2(d, a []float64, s float64)
TEXT ·leVSAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s+48(FP), Y0
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPS, SCMPS, $0x1d, _, _, $0x1d, _, _) // s >= a

// func leSVAVX2(d []float64, s float64, b []float64)
TEXT ·leSVAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	VBROADCASTSD s+24(FP), Y0
	MOVQ         b_base+32(FP), SI
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPS, SCMPS, $0x12, _, _, $0x12, _, _) // s <= b

// func gtVVAVX2(d, a, b []float64)
TEXT ·gtVVAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	MOVQ         b_base+48(FP), DX
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPVV, SCMPVV, $0x1e, _, _, $0x1e, _, _) // a > b

// func gtVSAVX2(d, a []float64, s float64)
TEXT ·gtVSAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s+48(FP), Y0
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPS, SCMPS, $0x11, _, _, $0x11, _, _) // s < a

// func gtSVAVX2(d []float64, s float64, b []float64)
TEXT ·gtSVAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	VBROADCASTSD s+24(FP), Y0
	MOVQ         b_base+32(FP), SI
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPS, SCMPS, $0x1e, _, _, $0x1e, _, _) // s > b

// func geVVAVX2(d, a, b []float64)
TEXT ·geVVAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	MOVQ         b_base+48(FP), DX
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPVV, SCMPVV, $0x1d, _, _, $0x1d, _, _) // a >= b

// func geVSAVX2(d, a []float64, s float64)
TEXT ·geVSAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s+48(FP), Y0
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPS, SCMPS, $0x12, _, _, $0x12, _, _) // s <= a

// func geSVAVX2(d []float64, s float64, b []float64)
TEXT ·geSVAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	VBROADCASTSD s+24(FP), Y0
	MOVQ         b_base+32(FP), SI
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPS, SCMPS, $0x1d, _, _, $0x1d, _, _) // s >= b

// func eqVVAVX2(d, a, b []float64)
TEXT ·eqVVAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	MOVQ         b_base+48(FP), DX
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPVV, SCMPVV, $0x00, _, _, $0x00, _, _) // a == b

// func eqVSAVX2(d, a []float64, s float64)
TEXT ·eqVSAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s+48(FP), Y0
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPS, SCMPS, $0x00, _, _, $0x00, _, _) // s == a

// func eqSVAVX2(d []float64, s float64, b []float64)
TEXT ·eqSVAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	VBROADCASTSD s+24(FP), Y0
	MOVQ         b_base+32(FP), SI
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPS, SCMPS, $0x00, _, _, $0x00, _, _) // s == b

// func neVVAVX2(d, a, b []float64)
TEXT ·neVVAVX2(SB), NOSPLIT, $0-72
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	MOVQ         b_base+48(FP), DX
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPVV, SCMPVV, $0x04, _, _, $0x04, _, _) // a != b

// func neVSAVX2(d, a []float64, s float64)
TEXT ·neVSAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s+48(FP), Y0
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPS, SCMPS, $0x04, _, _, $0x04, _, _) // s != a

// func neSVAVX2(d []float64, s float64, b []float64)
TEXT ·neSVAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	VBROADCASTSD s+24(FP), Y0
	MOVQ         b_base+32(FP), SI
	VBROADCASTSD simd2One<>(SB), Y1
	LOOP(CMPS, SCMPS, $0x04, _, _, $0x04, _, _) // s != b

// The division of execFastExprel: d = (d - 1)/a where a is not in
// (-0.5, 0.5), d left as it is elsewhere. Y1 holds 1, Y2 0.5, Y3 -0.5;
// R12 gathers the lanes inside (-0.5, 0.5), to report whether there were
// any (in the tail the scalar compares copy the upper lane of X5, which
// the load cleared, so only the low lane can be set). d in DI, a in SI.

#define EXPRELDIV(A, B, C, off) \
	VMOVUPD   off(SI)(AX*8), Y5; \
	VMOVUPD   off(DI)(AX*8), Y6; \
	VSUBPD    Y1, Y6, Y7; \
	VDIVPD    Y5, Y7, Y7; \
	VCMPPD    $0x1e, Y3, Y5, Y8; \
	VCMPPD    $0x11, Y2, Y5, Y9; \
	VANDPD    Y9, Y8, Y8; \
	VBLENDVPD Y8, Y6, Y7, Y7; \
	VMOVUPD   Y7, off(DI)(AX*8); \
	VMOVMSKPD Y8, R11; \
	ORQ       R11, R12

#define SEXPRELDIV(A, B, C) \
	VMOVSD    (SI)(AX*8), X5; \
	VMOVSD    (DI)(AX*8), X6; \
	VSUBSD    X1, X6, X7; \
	VDIVSD    X5, X7, X7; \
	VCMPSD    $0x1e, X3, X5, X8; \
	VCMPSD    $0x11, X2, X5, X9; \
	VANDPD    X9, X8, X8; \
	VBLENDVPD X8, X6, X7, X7; \
	VMOVSD    X7, (DI)(AX*8); \
	VMOVMSKPD X8, R11; \
	ORQ       R11, R12

// func exprelDivAVX2(d, a []float64) bool
TEXT ·exprelDivAVX2(SB), NOSPLIT, $0-49
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD simd2One<>(SB), Y1
	VBROADCASTSD simd2Half<>(SB), Y2
	VBROADCASTSD simd2MinusHalf<>(SB), Y3
	XORQ         R12, R12
	ELEMS(EXPRELDIV, SEXPRELDIV, _, _, _, _, _, _)
	VZEROUPPER
	TESTQ        R12, R12
	SETNE        ret+48(FP)
	RET

