package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runExport(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	root.SetArgs(append([]string{"export"}, args...))
	var stdout bytes.Buffer
	root.SetOut(&stdout)
	err := root.Execute()
	return stdout.String(), err
}

func TestExportCommand(t *testing.T) {
	cuba := filepath.Join("..", "..", "examples", "cuba", "cuba.yaml")
	out, err := runExport(t, "--brian2", cuba, "--set", "duration=0.2*second", "--set", "N=400")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Written by: soma export --brian2 " + cuba + " --set duration=0.2*second --set N=400",
		"from brian2 import *",
		"P = NeuronGroup(400,",
		"net.run(0.2*second",
		"save('spikes', {'t': values(spikes.t_)",
		"json.dump(summary, f, indent=2)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the script lacks %q", want)
		}
	}

	// -o writes the file, whole.
	file := filepath.Join(t.TempDir(), "cuba.py")
	if stdout, err := runExport(t, "--brian2", cuba, "-o", file); err != nil || stdout != "" {
		t.Fatalf("-o: %v, stdout %q", err, stdout)
	}
	if data, err := os.ReadFile(file); err != nil || !strings.Contains(string(data), "P = NeuronGroup(4000,") {
		t.Errorf("-o wrote %d bytes: %v", len(data), err)
	}

	// Errors exit with status 1.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{cuba}, "--brian2"},
		{[]string{"--brian2", cuba, "--set", "nosuch=1"}, "no constant 'nosuch'"},
		{[]string{"--brian2", "nosuch.yaml"}, "nosuch.yaml"},
	} {
		_, err := runExport(t, c.args...)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 1 || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: %v, want exit status 1 and %q", c.args, err, c.want)
		}
	}
}
