package ui

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"time"

	"github.com/soma-sim/soma"
)

// DefaultAddr is where Serve listens unless told otherwise.
const DefaultAddr = "127.0.0.1:8765"

// Serve shows a network in the browser until ctx is done: it starts the
// simulation goroutine (paused), listens on opts.Addr and prints the URL,
// as PymoNNto's Network_UI(net, ...).show(). On an address other than
// loopback the page needs an access token, printed with the URL.
func Serve(ctx context.Context, net *soma.Network, opts Options) error {
	if opts.Addr == "" {
		opts.Addr = DefaultAddr
	}
	logw := opts.Log
	if logw == nil {
		logw = os.Stderr
	}
	host, _, err := netSplit(opts.Addr)
	if err != nil {
		return err
	}
	if opts.Token == "" && !loopback(host) {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return err
		}
		opts.Token = hex.EncodeToString(b[:])
	}
	srv, err := New(net, opts)
	if err != nil {
		return err
	}
	defer srv.Close()
	ln, err := (&listenConfig).Listen(ctx, "tcp", opts.Addr)
	if err != nil {
		return fmt.Errorf("soma ui: %w", err)
	}
	url := "http://" + shownAddr(ln.Addr()) + "/"
	if opts.Token != "" {
		url += "?token=" + opts.Token
	}
	fmt.Fprintf(logw, "soma ui: %s (paused; Ctrl-C stops)\n", url)
	if opts.Open {
		openBrowser(url)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() { srv.Run(ctx); close(done) }()
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, c := context.WithTimeout(context.Background(), 2*time.Second)
		defer c()
		srv.Close()
		hs.Shutdown(shut)
	}()
	err = hs.Serve(ln)
	cancel()
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

var listenConfig net.ListenConfig

func netSplit(addr string) (string, string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", "", fmt.Errorf("soma ui: bad address %q: %w", addr, err)
	}
	return host, port, nil
}

// shownAddr is the address to print: the machine's name where the server
// listens on every interface.
func shownAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		if name, err := os.Hostname(); err == nil {
			host = name
		}
	}
	return net.JoinHostPort(host, port)
}

// loopback reports whether a host name or address is this machine only.
func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// openBrowser starts the system's browser; failing quietly is fine, the
// URL is printed.
func openBrowser(url string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	_ = cmd.Start()
}
