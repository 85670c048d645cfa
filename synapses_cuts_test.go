package soma

import (
	"slices"
	"testing"
)

// TestRowCutsOnThreads: the sorted-rows check and the target cuts, built
// on several threads, agree with a plain scan of the rows, and one
// unsorted row among thousands is found. A second connect leaves the
// order to the scan.
func TestRowCutsOnThreads(t *testing.T) {
	for _, threads := range []int{1, 2, 3} {
		net := NewNetwork()
		net.Seed(5)
		net.SetThreads(threads)
		G, err := net.NeuronGroup(20000, "v : 1")
		if err != nil {
			t.Fatal(err)
		}
		S, err := net.Synapses(G, G, "", OnPre("v += 1"))
		if err != nil {
			t.Fatal(err)
		}
		if err := S.Connect(Connection{P: 0.002}); err != nil {
			t.Fatal(err)
		}
		if S.sortedRows != 1 {
			t.Fatalf("threads=%d: rows drawn by probability not marked sorted by the build", threads)
		}
		if want := threads; want > 1 && (S.cutParts != want || S.cuts == nil) {
			t.Fatalf("threads=%d: the build left cuts for %d parts", threads, S.cutParts)
		}
		S.sortedRows = 0 // and the scan agrees
		if !S.rowsSortedByTarget() {
			t.Fatalf("threads=%d: rows drawn by probability reported unsorted", threads)
		}
		const parts = 4
		cuts := S.targetCuts(parts)
		whole := G.Size()
		if len(cuts) != (len(S.ptr)-1)*parts+1 {
			t.Fatalf("threads=%d: %d cuts for %d rows of %d parts", threads, len(cuts), len(S.ptr)-1, parts)
		}
		for k := 0; k+1 < len(S.ptr); k++ {
			row := S.jAbs[S.ptr[k]:S.ptr[k+1]]
			for q := 0; q <= parts; q++ {
				want := len(row)
				if q < parts {
					lo, _ := targetPart(whole, q, parts)
					want, _ = slices.BinarySearch(row, int32(lo))
				}
				if got := cuts[k*parts+q] - S.ptr[k]; got != int64(want) {
					t.Fatalf("threads=%d: row %d, cut %d at %d, want %d", threads, k, q, got, want)
				}
			}
		}
		// Swap two targets in one row near the end and ask again.
		k := len(S.ptr) - 10
		for ; S.ptr[k+1]-S.ptr[k] < 2; k-- {
		}
		a := S.ptr[k]
		S.jAbs[a], S.jAbs[a+1] = S.jAbs[a+1], S.jAbs[a]
		S.sortedRows = 0
		if S.rowsSortedByTarget() {
			t.Errorf("threads=%d: an unsorted row %d was not found", threads, k)
		}
		// A second draw appends to the rows: whether they stay sorted is
		// for the scan to tell.
		if err := S.Connect(Connection{P: 0.002}); err != nil {
			t.Fatal(err)
		}
		if S.sortedRows != 0 {
			t.Fatalf("threads=%d: rows of two draws marked %d, want unknown", threads, S.sortedRows)
		}
		plain := true
		for k := 0; k+1 < len(S.ptr); k++ {
			plain = plain && slices.IsSorted(S.jAbs[S.ptr[k]:S.ptr[k+1]])
		}
		if S.rowsSortedByTarget() != plain {
			t.Errorf("threads=%d: rows of two draws reported sorted=%v, a plain scan says %v", threads, !plain, plain)
		}
	}
}
