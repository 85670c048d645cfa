package ui

import (
	"context"
	"crypto/subtle"
	"embed"
	"encoding/json"
	"errors"
	"io/fs"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/soma-sim/soma"
)

//go:embed assets
var assets embed.FS

// Server is the web UI of one network. Create it with New, run the
// simulation with Run, and serve Handler over HTTP (Serve does both).
type Server struct {
	sess  *session
	token string

	mu      sync.Mutex
	clients map[*client]bool
	closed  bool
}

// New prepares the UI of a network: it adds the recorder behaviour that
// collects what the page shows. The network must not be run by anyone
// else while the server's Run is running.
func New(net *soma.Network, opts Options) (*Server, error) {
	sess, err := newSession(net, opts)
	if err != nil {
		return nil, err
	}
	srv := &Server{sess: sess, token: opts.Token, clients: map[*client]bool{}}
	sess.server = srv
	return srv, nil
}

// Run is the simulation goroutine: it carries out the tabs' commands and
// runs the network until ctx is done. The network starts paused.
func (srv *Server) Run(ctx context.Context) { srv.sess.run(ctx) }

// Close disconnects every tab.
func (srv *Server) Close() {
	srv.mu.Lock()
	srv.closed = true
	cs := srv.clients
	srv.clients = map[*client]bool{}
	srv.mu.Unlock()
	for c := range cs {
		c.close()
	}
}

// Do carries out a command as a tab would send it (for Go code and tests)
// and returns the answer's message. Run must be running.
func (srv *Server) Do(ctx context.Context, cmd map[string]any) (string, error) {
	b, err := json.Marshal(cmd)
	if err != nil {
		return "", err
	}
	c := &command{done: make(chan result, 1)}
	if err := json.Unmarshal(b, c); err != nil {
		return "", err
	}
	select {
	case srv.sess.cmds <- c:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	select {
	case r := <-c.done:
		if !r.OK {
			return "", errors.New(r.Error)
		}
		return r.Message, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Status returns the latest published status.
func (srv *Server) Status() Status {
	h := srv.sess.hist
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.status
}

func (srv *Server) clientSet() map[*client]bool {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	out := make(map[*client]bool, len(srv.clients))
	for c := range srv.clients {
		out[c] = true
	}
	return out
}

// Handler serves the page, its websocket and the exports. With a token,
// every request must carry it (?token= once, then a cookie), else 403.
func (srv *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(assets, "assets")
	files := http.FileServer(http.FS(static))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		b, err := fs.ReadFile(static, "index.html")
		if err != nil {
			http.Error(w, "the page is missing from this build", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(b)
	})
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", files))
	mux.HandleFunc("GET /ws", srv.serveWS)
	mux.HandleFunc("GET /export/data.npz", srv.exportData)
	mux.HandleFunc("GET /export/params.yaml", srv.exportParams)
	return srv.guard(securityHeaders(mux))
}

// securityHeaders keeps the page from loading anything from elsewhere.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		h.ServeHTTP(w, r)
	})
}

// tokenCookie carries the access token after the first request.
const tokenCookie = "soma_token"

// guard refuses requests without the access token, when there is one.
func (srv *Server) guard(h http.Handler) http.Handler {
	if srv.token == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if q := r.URL.Query().Get("token"); q != "" && srv.tokenOK(q) {
			http.SetCookie(w, &http.Cookie{Name: tokenCookie, Value: q, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
			h.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(tokenCookie); err == nil && srv.tokenOK(c.Value) {
			h.ServeHTTP(w, r)
			return
		}
		http.Error(w, "403 forbidden: this soma UI needs the access token printed with its URL", http.StatusForbidden)
	})
}

func (srv *Server) tokenOK(t string) bool {
	return subtle.ConstantTimeCompare([]byte(t), []byte(srv.token)) == 1
}

// serveWS connects a tab. The websocket library refuses (403) a request
// whose Origin is not this host.
func (srv *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	conn.SetReadLimit(1 << 20)
	c := newClient(srv, conn)
	srv.mu.Lock()
	if srv.closed {
		srv.mu.Unlock()
		conn.Close(websocket.StatusGoingAway, "the server is closing")
		return
	}
	srv.clients[c] = true
	srv.mu.Unlock()
	defer func() {
		srv.mu.Lock()
		delete(srv.clients, c)
		srv.mu.Unlock()
		srv.sess.cmds <- &command{Cmd: "bye", from: c}
		c.close()
	}()
	ctx := r.Context()
	srv.sess.cmds <- &command{Cmd: "hello", from: c}
	go c.write(ctx)
	c.read(ctx)
}

// client is one connected tab.
type client struct {
	srv  *Server
	conn *websocket.Conn
	text chan []byte
	quit chan struct{}
	once sync.Once

	cursor   int64 // data is sent for steps before cursor
	started  bool
	gridVer  int
	gridMu   sync.Mutex
	gridVars map[string]string // group -> the variable its grid shows; nil: each group's first
	weighVer int
	histVers map[string]int
}

func newClient(srv *Server, conn *websocket.Conn) *client {
	return &client{srv: srv, conn: conn, text: make(chan []byte, 1024), quit: make(chan struct{}), histVers: map[string]int{}}
}

func (c *client) close() {
	c.once.Do(func() {
		close(c.quit)
		c.conn.Close(websocket.StatusNormalClosure, "")
	})
}

// sendText queues a JSON message; a tab that lets 1024 of them pile up is
// disconnected rather than allowed to hold memory.
func (c *client) sendText(b []byte) {
	select {
	case c.text <- b:
	case <-c.quit:
	default:
		go c.close()
	}
}

func (c *client) sendJSON(v any) {
	if b, err := json.Marshal(v); err == nil {
		c.sendText(b)
	}
}

// read passes the tab's commands to the simulation.
func (c *client) read(ctx context.Context) {
	for {
		typ, b, err := c.conn.Read(ctx)
		if err != nil {
			return
		}
		if typ != websocket.MessageText {
			continue
		}
		cmd := &command{}
		if err := json.Unmarshal(b, cmd); err != nil {
			c.sendJSON(result{Type: "result", OK: false, Error: "not a command: " + err.Error()})
			continue
		}
		switch cmd.Cmd {
		case "hello", "bye":
			continue
		case "grid":
			// Which variable each grid shows concerns this tab's frames
			// only: no need to bother the simulation.
			c.showGrids(cmd.Grids)
			if cmd.ID != nil {
				c.sendJSON(result{Type: "result", ID: cmd.ID, OK: true})
			}
			continue
		}
		cmd.from = c
		select {
		case c.srv.sess.cmds <- cmd:
		case <-ctx.Done():
			return
		}
	}
}

// minFrameGap keeps a tab from being sent more than about 10 frames a
// second; what arrives meanwhile goes into the next frame. Receiving costs
// the browser a core's time that the simulation may need.
const minFrameGap = 100 * time.Millisecond

// showGrids records which variable each of the tab's grids shows; the
// next frame brings their snapshots.
func (c *client) showGrids(vars map[string]string) {
	c.gridMu.Lock()
	defer c.gridMu.Unlock()
	c.gridVars = vars
	c.gridVer = -1
}

// wantsGrid reports whether the tab's grid of a group shows a variable.
func (c *client) wantsGrid(group, variable string, first bool) bool {
	c.gridMu.Lock()
	defer c.gridMu.Unlock()
	if v, ok := c.gridVars[group]; ok {
		return v == variable
	}
	return first
}

// write sends the tab its messages: JSON ones as they come, data frames
// whenever new data exists and the last frame has gone out.
func (c *client) write(ctx context.Context) {
	h := c.srv.sess.hist
	h.mu.Lock()
	changed := h.changed
	h.mu.Unlock()
	var last time.Time
	ready := false // the hello went out: data may follow
	for {
		// JSON messages go first: a frame must not overtake the event or
		// status that came before its data.
		select {
		case b := <-c.text:
			if err := c.writeMsg(ctx, websocket.MessageText, b); err != nil {
				return
			}
			ready = true
			continue
		default:
		}
		select {
		case <-ctx.Done():
			return
		case <-c.quit:
			return
		case b := <-c.text:
			if err := c.writeMsg(ctx, websocket.MessageText, b); err != nil {
				return
			}
			ready = true
			continue
		case <-changed:
		}
		if !ready {
			// Wait for the hello before the first data frame.
			h.mu.Lock()
			changed = h.changed
			h.mu.Unlock()
			continue
		}
		if gap := time.Since(last); gap < minFrameGap {
			time.Sleep(minFrameGap - gap)
		}
		var frame []byte
		frame, changed = c.frame()
		last = time.Now()
		if frame == nil {
			continue
		}
		if err := c.writeMsg(ctx, websocket.MessageBinary, frame); err != nil {
			return
		}
	}
}

func (c *client) writeMsg(ctx context.Context, typ websocket.MessageType, b []byte) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return c.conn.Write(ctx, typ, b)
}
