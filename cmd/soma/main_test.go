package main

import (
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/sbinet/npyio/npz"

	"github.com/soma-sim/soma/store"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"soma": main})
}

// TestScripts runs the command-line scenarios in testdata/script: each is
// a sequence of soma invocations with their expected output and files.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"npz":        npzCmd,
			"png":        pngCmd,
			"status":     statusCmd,
			"dbcheck":    dbcheckCmd,
			"waitrecord": waitrecordCmd,
		},
		Setup: func(env *testscript.Env) error {
			// The examples are part of what the scripts run.
			wd, err := os.Getwd()
			if err != nil {
				return err
			}
			env.Setenv("EXAMPLES", wd+"/../../examples")
			return nil
		},
	})
}

// npzCmd checks an array of a .npz file:
//
//	npz FILE NAME DTYPE SHAPE [VALUES]
//
// SHAPE is like "3" or "2x1000"; VALUES, when given, is a comma-separated
// list compared with the array's values as printed by %v.
func npzCmd(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 4 {
		ts.Fatalf("usage: npz FILE NAME DTYPE SHAPE [VALUES]")
	}
	r, err := npz.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	defer r.Close()
	h := r.Header(args[1] + ".npy")
	if h == nil {
		if neg {
			return
		}
		ts.Fatalf("%s has no array %s (has %v)", args[0], args[1], r.Keys())
	}
	var shape []string
	for _, d := range h.Descr.Shape {
		shape = append(shape, fmt.Sprint(d))
	}
	got := fmt.Sprintf("%s %s", h.Descr.Type, strings.Join(shape, "x"))
	want := args[2] + " " + args[3]
	if len(args) > 4 {
		var vals string
		switch h.Descr.Type {
		case "<f8":
			var v []float64
			ts.Check(r.Read(args[1]+".npy", &v))
			vals = strings.Trim(strings.ReplaceAll(fmt.Sprint(v), " ", ","), "[]")
		case "<i8":
			var v []int64
			ts.Check(r.Read(args[1]+".npy", &v))
			vals = strings.Trim(strings.ReplaceAll(fmt.Sprint(v), " ", ","), "[]")
		}
		got += " " + vals
		want += " " + args[4]
	}
	if (got == want) == neg {
		ts.Fatalf("npz %s %s: got %q, want %q", args[0], args[1], got, want)
	}
}

// pngCmd checks that a figure is a PNG of a sensible size with something
// drawn on it:
//
//	png FILE...
func pngCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("png does not support !")
	}
	for _, name := range args {
		f, err := os.Open(ts.MkAbs(name))
		ts.Check(err)
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			ts.Fatalf("%s: %v", name, err)
		}
		b := img.Bounds()
		if b.Dx() < 400 || b.Dy() < 200 {
			ts.Fatalf("%s: the image is only %dx%d", name, b.Dx(), b.Dy())
		}
		colours := map[color.Color]bool{}
		for y := b.Min.Y; y < b.Max.Y; y += 3 {
			for x := b.Min.X; x < b.Max.X; x += 3 {
				colours[img.At(x, y)] = true
			}
		}
		if len(colours) < 3 {
			ts.Fatalf("%s: the image is blank (%d colours)", name, len(colours))
		}
	}
}

// statusCmd runs a program and checks its exit status, which exec alone
// cannot (! exec accepts any failure); stdout and stderr are kept for the
// stdout and stderr commands that follow:
//
//	status CODE PROGRAM [ARGS...]
func statusCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: status CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("%s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// dbcheckCmd checks that a run store's database is intact:
//
//	dbcheck DIR
func dbcheckCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: dbcheck DIR")
	}
	st, err := store.Open(ts.MkAbs(args[0]))
	ts.Check(err)
	defer st.Close()
	ts.Check(st.Check())
}

// waitrecordCmd waits (up to 30 s) until a store has a record:
//
//	waitrecord DIR
func waitrecordCmd(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitrecord DIR")
	}
	for range 300 {
		if st, err := store.Open(ts.MkAbs(args[0])); err == nil {
			recs, err := st.List("", "")
			st.Close()
			if err == nil && len(recs) > 0 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	ts.Fatalf("no record in %s after 30 s", args[0])
}
