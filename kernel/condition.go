package kernel

import "github.com/soma-sim/soma/expr"

// Condition is a compiled boolean expression: a threshold, an event or a
// refractoriness condition.
type Condition struct {
	k    *Kernel
	cell int32 // the value's cell when it is the same for all elements, else -1
}

// CompileCondition compiles a boolean expression such as v > Vt.
func CompileCondition(cond expr.Node, lay Layout) (*Condition, error) {
	b, err := newBuilder(lay)
	if err != nil {
		return nil, err
	}
	b.where = expr.String(cond)
	root, err := b.expr(cond)
	if err != nil {
		return nil, err
	}
	b.effects = append(b.effects, effect{kind: effCollect, val: root})
	k, c := link(b, false)
	cond2 := &Condition{k: k, cell: -1}
	if root.kind != vector {
		cond2.cell = c.of(root)
		k.cells = c.vals
	}
	return cond2, nil
}

// Collect appends to out the indices in lo..hi-1 where the condition
// holds, in increasing order.
func (c *Condition) Collect(lo, hi int, out []int32, rng RNG) []int32 {
	k := c.k
	f := k.frame(rng)
	f.runScalar(k.pro)
	if c.cell >= 0 {
		if f.scal[c.cell] != 0 {
			for i := lo; i < hi; i++ {
				out = append(out, int32(i))
			}
		}
	} else {
		f.coll = out
		k.runDense(f, lo, hi)
		out = f.coll
	}
	k.release(f)
	return out
}

// String prints the condition's tapes.
func (c *Condition) String() string { return c.k.String() }

// NumInstructions is the length of the condition's body tape.
func (c *Condition) NumInstructions() int { return c.k.NumInstructions() }

// CanFollow reports whether RunCollect may check c right after each chunk
// of k's elements: k's elements are independent and it writes no shared
// state, and c reads only its own element (no index arrays) and draws no
// random numbers, so checking chunk by chunk sees what checking after the
// whole run would see.
func (c *Condition) CanFollow(k *Kernel) bool {
	return c.cell < 0 && !k.seq && !k.writesPro && !c.k.usesRNG && !c.k.seq && len(c.k.dense.paths) <= 1
}

// RunCollect runs k for elements lo..hi-1, as Run does, and appends to out
// the elements where c holds afterwards, checking each chunk while it is
// still in the cache: a state update and its threshold in one sweep. c
// must be able to follow k (CanFollow).
func (k *Kernel) RunCollect(lo, hi int, rng RNG, c *Condition, out []int32) []int32 {
	fk, fc := k.frame(rng), c.k.frame(nil)
	fk.runScalar(k.pro)
	fc.runScalar(c.k.pro)
	fc.coll = out
	nk, nc := -1, -1
	for ch := lo; ch < hi; ch += chunk {
		m := min(chunk, hi-ch)
		fk.runDenseChunk(&k.dense, lo, ch, m, &nk)
		fc.runDenseChunk(&c.k.dense, lo, ch, m, &nc)
	}
	out = fc.coll
	k.release(fk)
	c.k.release(fc)
	return out
}
