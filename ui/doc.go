// Package ui serves a live web page that watches and changes a running
// soma network: neuron grids, spike raster and population rate, traces,
// weights, histograms, editable parameters, behaviours on and off, run /
// pause / step / fast-forward, saved states and a scrub-back history.
// It is the counterpart of PymoNNto's Network_UI.
//
// The simulation runs in its own goroutine (Server.Run). Between chunks of
// steps it copies what the page needs into a bounded history; each browser
// tab has its own writer that sends what it has not seen yet whenever it is
// ready, so a slow tab gets fewer, larger frames and never makes a step
// wait. protocol.md in this folder documents the messages.
package ui
