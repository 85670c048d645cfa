//go:build amd64 && !purego

#include "textflag.h"

// AVX2 versions of the hottest float64 element loops of ops_gen.go. Each
// element is computed with the same operations in the same order as the Go
// loop (no FMA), so the results are the same bits; see simd_amd64.go.
//
// Register use: DI destination, SI, DX, R8, R9 vector operands, Y0..Y4
// scalar operands broadcast to all lanes (their low lanes X0..X4 serve the
// scalar tail), CX length, AX element index, BX loop bound.

// ELEMLOOP runs BODY(OP, off) over the elements AX..AX+3 at byte offset
// off, sixteen then four elements per pass, and SBODY(SOP) over single
// elements for the last n%4.
#define ELEMLOOP(BODY, SBODY, OP, SOP) \
	XORQ AX, AX; \
	MOVQ CX, BX; \
	ANDQ $-16, BX; \
	JZ   quad; \
loop16: \
	BODY(OP, 0); \
	BODY(OP, 32); \
	BODY(OP, 64); \
	BODY(OP, 96); \
	ADDQ $16, AX; \
	CMPQ AX, BX; \
	JLT  loop16; \
quad: \
	MOVQ CX, BX; \
	ANDQ $-4, BX; \
	CMPQ AX, BX; \
	JGE  single; \
loop4: \
	BODY(OP, 0); \
	ADDQ $4, AX; \
	CMPQ AX, BX; \
	JLT  loop4; \
single: \
	CMPQ AX, CX; \
	JGE  done; \
loop1: \
	SBODY(SOP); \
	INCQ AX; \
	CMPQ AX, CX; \
	JLT  loop1; \
done: \
	VZEROUPPER; \
	RET

// Binary operators: d = a OP b, d = a OP s, d = s OP b (s in Y0).
#define VV(OP, off) \
	VMOVUPD off(SI)(AX*8), Y5; \
	OP      off(DX)(AX*8), Y5, Y5; \
	VMOVUPD Y5, off(DI)(AX*8)

#define SVV(SOP) \
	VMOVSD (SI)(AX*8), X5; \
	SOP    (DX)(AX*8), X5, X5; \
	VMOVSD X5, (DI)(AX*8)

#define VS(OP, off) \
	VMOVUPD off(SI)(AX*8), Y5; \
	OP      Y0, Y5, Y5; \
	VMOVUPD Y5, off(DI)(AX*8)

#define SVS(SOP) \
	VMOVSD (SI)(AX*8), X5; \
	SOP    X0, X5, X5; \
	VMOVSD X5, (DI)(AX*8)

#define SV(OP, off) \
	OP      off(SI)(AX*8), Y0, Y5; \
	VMOVUPD Y5, off(DI)(AX*8)

#define SSV(SOP) \
	SOP    (SI)(AX*8), X0, X5; \
	VMOVSD X5, (DI)(AX*8)

// func addVVAVX2(d, a, b []float64)
TEXT ·addVVAVX2(SB), NOSPLIT, $0-72
	MOVQ d_base+0(FP), DI
	MOVQ d_len+8(FP), CX
	MOVQ a_base+24(FP), SI
	MOVQ b_base+48(FP), DX
	ELEMLOOP(VV, SVV, VADDPD, VADDSD)

// func subVVAVX2(d, a, b []float64)
TEXT ·subVVAVX2(SB), NOSPLIT, $0-72
	MOVQ d_base+0(FP), DI
	MOVQ d_len+8(FP), CX
	MOVQ a_base+24(FP), SI
	MOVQ b_base+48(FP), DX
	ELEMLOOP(VV, SVV, VSUBPD, VSUBSD)

// func mulVVAVX2(d, a, b []float64)
TEXT ·mulVVAVX2(SB), NOSPLIT, $0-72
	MOVQ d_base+0(FP), DI
	MOVQ d_len+8(FP), CX
	MOVQ a_base+24(FP), SI
	MOVQ b_base+48(FP), DX
	ELEMLOOP(VV, SVV, VMULPD, VMULSD)

// func divVVAVX2(d, a, b []float64)
TEXT ·divVVAVX2(SB), NOSPLIT, $0-72
	MOVQ d_base+0(FP), DI
	MOVQ d_len+8(FP), CX
	MOVQ a_base+24(FP), SI
	MOVQ b_base+48(FP), DX
	ELEMLOOP(VV, SVV, VDIVPD, VDIVSD)

// func addVSAVX2(d, a []float64, s float64)
TEXT ·addVSAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s+48(FP), Y0
	ELEMLOOP(VS, SVS, VADDPD, VADDSD)

// func subVSAVX2(d, a []float64, s float64)
TEXT ·subVSAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s+48(FP), Y0
	ELEMLOOP(VS, SVS, VSUBPD, VSUBSD)

// func mulVSAVX2(d, a []float64, s float64)
TEXT ·mulVSAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s+48(FP), Y0
	ELEMLOOP(VS, SVS, VMULPD, VMULSD)

// func divVSAVX2(d, a []float64, s float64)
TEXT ·divVSAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         a_base+24(FP), SI
	VBROADCASTSD s+48(FP), Y0
	ELEMLOOP(VS, SVS, VDIVPD, VDIVSD)

// func addSVAVX2(d []float64, s float64, b []float64)
TEXT ·addSVAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	VBROADCASTSD s+24(FP), Y0
	MOVQ         b_base+32(FP), SI
	ELEMLOOP(SV, SSV, VADDPD, VADDSD)

// func subSVAVX2(d []float64, s float64, b []float64)
TEXT ·subSVAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	VBROADCASTSD s+24(FP), Y0
	MOVQ         b_base+32(FP), SI
	ELEMLOOP(SV, SSV, VSUBPD, VSUBSD)

// func mulSVAVX2(d []float64, s float64, b []float64)
TEXT ·mulSVAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	VBROADCASTSD s+24(FP), Y0
	MOVQ         b_base+32(FP), SI
	ELEMLOOP(SV, SSV, VMULPD, VMULSD)

// func divSVAVX2(d []float64, s float64, b []float64)
TEXT ·divSVAVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	VBROADCASTSD s+24(FP), Y0
	MOVQ         b_base+32(FP), SI
	ELEMLOOP(SV, SSV, VDIVPD, VDIVSD)

// Linear combinations d = c0 + c1*x1 + ... + cn*xn, summed left to right
// as in the Go loops: ((c0 + c1*x1) + c2*x2) + ... The constants are in
// Y0 (c0) and Y1..Y4, the vectors x1..x4 in SI, DX, R8, R9. The OP
// arguments of the bodies are unused.

// FIRST computes T = c1*x1, TERM adds c*x of the vector at P to T.
#define FIRST(off, T) \
	VMULPD off(SI)(AX*8), Y1, T

#define CONST(T) \
	VADDPD T, Y0, T

#define TERM(off, P, C, T, U) \
	VMULPD off(P)(AX*8), C, U; \
	VADDPD U, T, T

#define SFIRST(T) \
	VMULSD (SI)(AX*8), X1, T

#define SCONST(T) \
	VADDSD T, X0, T

#define STERM(P, C, T, U) \
	VMULSD (P)(AX*8), C, U; \
	VADDSD U, T, T

#define LIN1(OP, off) \
	FIRST(off, Y5); \
	VMOVUPD Y5, off(DI)(AX*8)

#define SLIN1(SOP) \
	SFIRST(X5); \
	VMOVSD X5, (DI)(AX*8)

#define LIN1C(OP, off) \
	FIRST(off, Y5); \
	CONST(Y5); \
	VMOVUPD Y5, off(DI)(AX*8)

#define SLIN1C(SOP) \
	SFIRST(X5); \
	SCONST(X5); \
	VMOVSD X5, (DI)(AX*8)

#define LIN2(OP, off) \
	FIRST(off, Y5); \
	TERM(off, DX, Y2, Y5, Y6); \
	VMOVUPD Y5, off(DI)(AX*8)

#define SLIN2(SOP) \
	SFIRST(X5); \
	STERM(DX, X2, X5, X6); \
	VMOVSD X5, (DI)(AX*8)

#define LIN2C(OP, off) \
	FIRST(off, Y5); \
	CONST(Y5); \
	TERM(off, DX, Y2, Y5, Y6); \
	VMOVUPD Y5, off(DI)(AX*8)

#define SLIN2C(SOP) \
	SFIRST(X5); \
	SCONST(X5); \
	STERM(DX, X2, X5, X6); \
	VMOVSD X5, (DI)(AX*8)

#define LIN3(OP, off) \
	FIRST(off, Y5); \
	TERM(off, DX, Y2, Y5, Y6); \
	TERM(off, R8, Y3, Y5, Y6); \
	VMOVUPD Y5, off(DI)(AX*8)

#define SLIN3(SOP) \
	SFIRST(X5); \
	STERM(DX, X2, X5, X6); \
	STERM(R8, X3, X5, X6); \
	VMOVSD X5, (DI)(AX*8)

#define LIN3C(OP, off) \
	FIRST(off, Y5); \
	CONST(Y5); \
	TERM(off, DX, Y2, Y5, Y6); \
	TERM(off, R8, Y3, Y5, Y6); \
	VMOVUPD Y5, off(DI)(AX*8)

#define SLIN3C(SOP) \
	SFIRST(X5); \
	SCONST(X5); \
	STERM(DX, X2, X5, X6); \
	STERM(R8, X3, X5, X6); \
	VMOVSD X5, (DI)(AX*8)

#define LIN4(OP, off) \
	FIRST(off, Y5); \
	TERM(off, DX, Y2, Y5, Y6); \
	TERM(off, R8, Y3, Y5, Y6); \
	TERM(off, R9, Y4, Y5, Y6); \
	VMOVUPD Y5, off(DI)(AX*8)

#define SLIN4(SOP) \
	SFIRST(X5); \
	STERM(DX, X2, X5, X6); \
	STERM(R8, X3, X5, X6); \
	STERM(R9, X4, X5, X6); \
	VMOVSD X5, (DI)(AX*8)

#define LIN4C(OP, off) \
	FIRST(off, Y5); \
	CONST(Y5); \
	TERM(off, DX, Y2, Y5, Y6); \
	TERM(off, R8, Y3, Y5, Y6); \
	TERM(off, R9, Y4, Y5, Y6); \
	VMOVUPD Y5, off(DI)(AX*8)

#define SLIN4C(SOP) \
	SFIRST(X5); \
	SCONST(X5); \
	STERM(DX, X2, X5, X6); \
	STERM(R8, X3, X5, X6); \
	STERM(R9, X4, X5, X6); \
	VMOVSD X5, (DI)(AX*8)

// func linear1AVX2(d, x1 []float64, c1 float64)
TEXT ·linear1AVX2(SB), NOSPLIT, $0-56
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         x1_base+24(FP), SI
	VBROADCASTSD c1+48(FP), Y1
	ELEMLOOP(LIN1, SLIN1, _, _)

// func linear1cAVX2(d, x1 []float64, c0, c1 float64)
TEXT ·linear1cAVX2(SB), NOSPLIT, $0-64
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         x1_base+24(FP), SI
	VBROADCASTSD c0+48(FP), Y0
	VBROADCASTSD c1+56(FP), Y1
	ELEMLOOP(LIN1C, SLIN1C, _, _)

// func linear2AVX2(d, x1, x2 []float64, c1, c2 float64)
TEXT ·linear2AVX2(SB), NOSPLIT, $0-88
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         x1_base+24(FP), SI
	MOVQ         x2_base+48(FP), DX
	VBROADCASTSD c1+72(FP), Y1
	VBROADCASTSD c2+80(FP), Y2
	ELEMLOOP(LIN2, SLIN2, _, _)

// func linear2cAVX2(d, x1, x2 []float64, c0, c1, c2 float64)
TEXT ·linear2cAVX2(SB), NOSPLIT, $0-96
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         x1_base+24(FP), SI
	MOVQ         x2_base+48(FP), DX
	VBROADCASTSD c0+72(FP), Y0
	VBROADCASTSD c1+80(FP), Y1
	VBROADCASTSD c2+88(FP), Y2
	ELEMLOOP(LIN2C, SLIN2C, _, _)

// func linear3AVX2(d, x1, x2, x3 []float64, c1, c2, c3 float64)
TEXT ·linear3AVX2(SB), NOSPLIT, $0-120
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         x1_base+24(FP), SI
	MOVQ         x2_base+48(FP), DX
	MOVQ         x3_base+72(FP), R8
	VBROADCASTSD c1+96(FP), Y1
	VBROADCASTSD c2+104(FP), Y2
	VBROADCASTSD c3+112(FP), Y3
	ELEMLOOP(LIN3, SLIN3, _, _)

// func linear3cAVX2(d, x1, x2, x3 []float64, c0, c1, c2, c3 float64)
TEXT ·linear3cAVX2(SB), NOSPLIT, $0-128
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         x1_base+24(FP), SI
	MOVQ         x2_base+48(FP), DX
	MOVQ         x3_base+72(FP), R8
	VBROADCASTSD c0+96(FP), Y0
	VBROADCASTSD c1+104(FP), Y1
	VBROADCASTSD c2+112(FP), Y2
	VBROADCASTSD c3+120(FP), Y3
	ELEMLOOP(LIN3C, SLIN3C, _, _)

// func linear4AVX2(d, x1, x2, x3, x4 []float64, c1, c2, c3, c4 float64)
TEXT ·linear4AVX2(SB), NOSPLIT, $0-152
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         x1_base+24(FP), SI
	MOVQ         x2_base+48(FP), DX
	MOVQ         x3_base+72(FP), R8
	MOVQ         x4_base+96(FP), R9
	VBROADCASTSD c1+120(FP), Y1
	VBROADCASTSD c2+128(FP), Y2
	VBROADCASTSD c3+136(FP), Y3
	VBROADCASTSD c4+144(FP), Y4
	ELEMLOOP(LIN4, SLIN4, _, _)

// func linear4cAVX2(d, x1, x2, x3, x4 []float64, c0, c1, c2, c3, c4 float64)
TEXT ·linear4cAVX2(SB), NOSPLIT, $0-160
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         x1_base+24(FP), SI
	MOVQ         x2_base+48(FP), DX
	MOVQ         x3_base+72(FP), R8
	MOVQ         x4_base+96(FP), R9
	VBROADCASTSD c0+120(FP), Y0
	VBROADCASTSD c1+128(FP), Y1
	VBROADCASTSD c2+136(FP), Y2
	VBROADCASTSD c3+144(FP), Y3
	VBROADCASTSD c4+152(FP), Y4
	ELEMLOOP(LIN4C, SLIN4C, _, _)

// Comparison masks: bit k%64 of m[k/64] is set where a[k] CMP s. The
// comparison is made as s PRED a, PRED being CMP with its operands
// swapped, so that a can be a memory operand. len(m) must be at least
// (len(a)+63)/64; the bits past len(a) in the last word are zero.
//
// DX length, R9 the bits of the current word, CX shift count.
#define CMPMASK(PRED) \
	XORQ AX, AX; \
	XORQ R9, R9; \
	MOVQ DX, BX; \
	ANDQ $-16, BX; \
	JZ   quad; \
loop16: \
	VCMPPD    PRED, (SI)(AX*8), Y0, Y1; \
	VCMPPD    PRED, 32(SI)(AX*8), Y0, Y2; \
	VCMPPD    PRED, 64(SI)(AX*8), Y0, Y3; \
	VCMPPD    PRED, 96(SI)(AX*8), Y0, Y4; \
	VMOVMSKPD Y1, R8; \
	VMOVMSKPD Y2, R10; \
	VMOVMSKPD Y3, R11; \
	VMOVMSKPD Y4, R12; \
	SHLQ      $4, R10; \
	SHLQ      $8, R11; \
	SHLQ      $12, R12; \
	ORQ       R10, R8; \
	ORQ       R11, R8; \
	ORQ       R12, R8; \
	MOVQ      AX, CX; \
	SHLQ      CX, R8; \
	ORQ       R8, R9; \
	ADDQ      $16, AX; \
	TESTQ     $63, AX; \
	JNZ       next16; \
	MOVQ      AX, R10; \
	SHRQ      $3, R10; \
	MOVQ      R9, -8(DI)(R10*1); \
	XORQ      R9, R9; \
next16: \
	CMPQ AX, BX; \
	JLT  loop16; \
quad: \
	MOVQ DX, BX; \
	ANDQ $-4, BX; \
	CMPQ AX, BX; \
	JGE  single; \
loop4: \
	VCMPPD    PRED, (SI)(AX*8), Y0, Y1; \
	VMOVMSKPD Y1, R8; \
	MOVQ      AX, CX; \
	SHLQ      CX, R8; \
	ORQ       R8, R9; \
	ADDQ      $4, AX; \
	CMPQ      AX, BX; \
	JLT       loop4; \
single: \
	CMPQ AX, DX; \
	JGE  flush; \
loop1: \
	VCMPSD    PRED, (SI)(AX*8), X0, X1; \
	VMOVMSKPD X1, R8; \
	ANDQ      $1, R8; \
	MOVQ      AX, CX; \
	SHLQ      CX, R8; \
	ORQ       R8, R9; \
	INCQ      AX; \
	CMPQ      AX, DX; \
	JLT       loop1; \
flush: \
	TESTQ $63, AX; \
	JZ    done; \
	MOVQ  AX, R10; \
	SHRQ  $6, R10; \
	MOVQ  R9, (DI)(R10*8); \
done: \
	VZEROUPPER; \
	RET

// Predicates (ordered and quiet but for NEQ_UQ, which holds for NaN as
// Go's != does): EQ_OQ 0x00, NEQ_UQ 0x04, LT_OQ 0x11, LE_OQ 0x12,
// GE_OQ 0x1d, GT_OQ 0x1e.

// func cmpLtMaskAVX2(m []uint64, a []float64, s float64)
TEXT ·cmpLtMaskAVX2(SB), NOSPLIT, $0-56
	MOVQ         m_base+0(FP), DI
	MOVQ         a_base+24(FP), SI
	MOVQ         a_len+32(FP), DX
	VBROADCASTSD s+48(FP), Y0
	CMPMASK($0x1e) // s > a

// func cmpLeMaskAVX2(m []uint64, a []float64, s float64)
TEXT ·cmpLeMaskAVX2(SB), NOSPLIT, $0-56
	MOVQ         m_base+0(FP), DI
	MOVQ         a_base+24(FP), SI
	MOVQ         a_len+32(FP), DX
	VBROADCASTSD s+48(FP), Y0
	CMPMASK($0x1d) // s >= a

// func cmpGtMaskAVX2(m []uint64, a []float64, s float64)
TEXT ·cmpGtMaskAVX2(SB), NOSPLIT, $0-56
	MOVQ         m_base+0(FP), DI
	MOVQ         a_base+24(FP), SI
	MOVQ         a_len+32(FP), DX
	VBROADCASTSD s+48(FP), Y0
	CMPMASK($0x11) // s < a

// func cmpGeMaskAVX2(m []uint64, a []float64, s float64)
TEXT ·cmpGeMaskAVX2(SB), NOSPLIT, $0-56
	MOVQ         m_base+0(FP), DI
	MOVQ         a_base+24(FP), SI
	MOVQ         a_len+32(FP), DX
	VBROADCASTSD s+48(FP), Y0
	CMPMASK($0x12) // s <= a

// func cmpEqMaskAVX2(m []uint64, a []float64, s float64)
TEXT ·cmpEqMaskAVX2(SB), NOSPLIT, $0-56
	MOVQ         m_base+0(FP), DI
	MOVQ         a_base+24(FP), SI
	MOVQ         a_len+32(FP), DX
	VBROADCASTSD s+48(FP), Y0
	CMPMASK($0x00) // s == a

// func cmpNeMaskAVX2(m []uint64, a []float64, s float64)
TEXT ·cmpNeMaskAVX2(SB), NOSPLIT, $0-56
	MOVQ         m_base+0(FP), DI
	MOVQ         a_base+24(FP), SI
	MOVQ         a_len+32(FP), DX
	VBROADCASTSD s+48(FP), Y0
	CMPMASK($0x04) // s != a

// Linear combinations with a product as last term (fuse.go):
// d = c0 + c1*x1 (+ c2*x2) + cp*(p*q), p in R8, q in R9, cp in Y3.
#define PROD(off, T, U) \
	VMOVUPD off(R8)(AX*8), U; \
	VMULPD  off(R9)(AX*8), U, U; \
	VMULPD  U, Y3, U; \
	VADDPD  U, T, T

#define SPROD(T, U) \
	VMOVSD (R8)(AX*8), U; \
	VMULSD (R9)(AX*8), U, U; \
	VMULSD U, X3, U; \
	VADDSD U, T, T

#define LIN1CMUL(OP, off) \
	FIRST(off, Y5); \
	CONST(Y5); \
	PROD(off, Y5, Y6); \
	VMOVUPD Y5, off(DI)(AX*8)

#define SLIN1CMUL(SOP) \
	SFIRST(X5); \
	SCONST(X5); \
	SPROD(X5, X6); \
	VMOVSD X5, (DI)(AX*8)

#define LIN2CMUL(OP, off) \
	FIRST(off, Y5); \
	CONST(Y5); \
	TERM(off, DX, Y2, Y5, Y6); \
	PROD(off, Y5, Y6); \
	VMOVUPD Y5, off(DI)(AX*8)

#define SLIN2CMUL(SOP) \
	SFIRST(X5); \
	SCONST(X5); \
	STERM(DX, X2, X5, X6); \
	SPROD(X5, X6); \
	VMOVSD X5, (DI)(AX*8)

// func linear1cMulAVX2(d, x1, p, q []float64, c0, c1, cp float64)
TEXT ·linear1cMulAVX2(SB), NOSPLIT, $0-120
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         x1_base+24(FP), SI
	MOVQ         p_base+48(FP), R8
	MOVQ         q_base+72(FP), R9
	VBROADCASTSD c0+96(FP), Y0
	VBROADCASTSD c1+104(FP), Y1
	VBROADCASTSD cp+112(FP), Y3
	ELEMLOOP(LIN1CMUL, SLIN1CMUL, _, _)

// func linear2cMulAVX2(d, x1, x2, p, q []float64, c0, c1, c2, cp float64)
TEXT ·linear2cMulAVX2(SB), NOSPLIT, $0-152
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         x1_base+24(FP), SI
	MOVQ         x2_base+48(FP), DX
	MOVQ         p_base+72(FP), R8
	MOVQ         q_base+96(FP), R9
	VBROADCASTSD c0+120(FP), Y0
	VBROADCASTSD c1+128(FP), Y1
	VBROADCASTSD c2+136(FP), Y2
	VBROADCASTSD cp+144(FP), Y3
	ELEMLOOP(LIN2CMUL, SLIN2CMUL, _, _)

#define LIN3CMUL(OP, off) \
	FIRST(off, Y5); \
	CONST(Y5); \
	TERM(off, DX, Y2, Y5, Y6); \
	TERM(off, R10, Y4, Y5, Y6); \
	PROD(off, Y5, Y6); \
	VMOVUPD Y5, off(DI)(AX*8)

#define SLIN3CMUL(SOP) \
	SFIRST(X5); \
	SCONST(X5); \
	STERM(DX, X2, X5, X6); \
	STERM(R10, X4, X5, X6); \
	SPROD(X5, X6); \
	VMOVSD X5, (DI)(AX*8)

// func linear3cMulAVX2(d, x1, x2, x3, p, q []float64, c0, c1, c2, c3, cp float64)
TEXT ·linear3cMulAVX2(SB), NOSPLIT, $0-184
	MOVQ         d_base+0(FP), DI
	MOVQ         d_len+8(FP), CX
	MOVQ         x1_base+24(FP), SI
	MOVQ         x2_base+48(FP), DX
	MOVQ         x3_base+72(FP), R10
	MOVQ         p_base+96(FP), R8
	MOVQ         q_base+120(FP), R9
	VBROADCASTSD c0+144(FP), Y0
	VBROADCASTSD c1+152(FP), Y1
	VBROADCASTSD c2+160(FP), Y2
	VBROADCASTSD c3+168(FP), Y4
	VBROADCASTSD cp+176(FP), Y3
	ELEMLOOP(LIN3CMUL, SLIN3CMUL, _, _)
