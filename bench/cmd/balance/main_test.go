package main

import "testing"

// TestBlockOwner: blockOwner inverts the blocks n*r/R .. n*(r+1)/R-1.
func TestBlockOwner(t *testing.T) {
	for _, n := range []int{1, 7, 100, 1001, 12500} {
		for _, ranks := range []int{1, 2, 3, 8, 128} {
			for r := range ranks {
				for k := n * r / ranks; k < n*(r+1)/ranks; k++ {
					if got := blockOwner(k, n, ranks); got != r {
						t.Fatalf("n %d, %d ranks: neuron %d is rank %d's, blockOwner says %d", n, ranks, k, r, got)
					}
				}
			}
		}
	}
}
