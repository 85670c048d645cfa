// Package store keeps a record of every run in an embedded SQLite database
// (pure Go, modernc.org/sqlite): the model, its constants, seed, versions,
// host, timing, status and per-group metrics. Records are queried with
// soma's expression language, units included ('we > 1*mV and rate_P <
// 20*Hz'). The schema is documented in docs/explore.md.
package store

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"
)

// Record is one run.
type Record struct {
	ID        int64
	Name      string
	ModelFile string
	ModelText string
	ModelHash string
	Constants []Constant
	Seed      uint64
	DT        float64 // seconds
	Duration  float64 // seconds
	Version   string
	Revision  string
	Host      string
	PID       int
	Threads   int
	Start     time.Time
	Wall      float64 // seconds
	Status    string  // running, ok, failed or interrupted
	Error     string
	Groups    []GroupMetrics
	OutDir    string
	SweepID   *int64
	Point     *int
}

// Constant is a model constant as the run used it: Value in SI units.
type Constant struct {
	Name  string
	Value float64
	Unit  string // the unit it is shown in, e.g. "mV"
	Dim   string // the SI unit of its dimension, e.g. "volt" ("1": dimensionless)
}

// GroupMetrics summarise one group's spikes.
type GroupMetrics struct {
	Group  string
	Spikes int64
	RateHz float64 // mean rate per neuron
	ISICV  float64 // mean coefficient of variation of the ISIs; NaN if unknown
}

// Statuses of a record.
const (
	Running     = "running"
	OK          = "ok"
	Failed      = "failed"
	Interrupted = "interrupted"
)

// File is the database's name inside the store's folder.
const File = "runs.db"

// DefaultDir is $SOMA_STORE, or soma-runs in the current folder.
func DefaultDir() string {
	if d := os.Getenv("SOMA_STORE"); d != "" {
		return d
	}
	return "soma-runs"
}

// Store is an open database of runs.
type Store struct {
	db  *sql.DB
	dir string
}

const schema = `
CREATE TABLE IF NOT EXISTS runs (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	name TEXT NOT NULL,
	model_file TEXT NOT NULL,
	model_text TEXT NOT NULL,
	model_hash TEXT NOT NULL,
	seed TEXT NOT NULL,
	dt REAL NOT NULL,
	duration REAL NOT NULL,
	version TEXT NOT NULL,
	revision TEXT NOT NULL,
	host TEXT NOT NULL,
	pid INTEGER NOT NULL,
	threads INTEGER NOT NULL,
	start TEXT NOT NULL,
	wall REAL NOT NULL,
	status TEXT NOT NULL,
	error TEXT NOT NULL,
	out_dir TEXT NOT NULL,
	sweep_id INTEGER,
	point INTEGER
);
CREATE INDEX IF NOT EXISTS runs_sweep ON runs(sweep_id, point);
CREATE TABLE IF NOT EXISTS constants (
	run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	value REAL NOT NULL,
	unit TEXT NOT NULL,
	dim TEXT NOT NULL,
	PRIMARY KEY (run_id, name)
);
CREATE TABLE IF NOT EXISTS metrics (
	run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
	grp TEXT NOT NULL,
	spikes INTEGER NOT NULL,
	rate_hz REAL NOT NULL,
	isi_cv REAL,
	PRIMARY KEY (run_id, grp)
);`

// Open opens (and creates) the store in a folder. WAL lets readers and one
// writer work at once; the busy timeout makes concurrent writers wait for
// each other instead of failing.
func Open(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("the run store: %w", err)
	}
	path := filepath.Join(dir, File)
	// Transactions take the write lock when they begin (_txlock): a
	// transaction that starts reading and then writes cannot wait for
	// another writer (SQLite answers busy at once), one that begins as a
	// writer waits for the busy timeout.
	dsn := "file:" + path + "?_pragma=busy_timeout(20000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("the run store %s: %w", path, err)
	}
	// Connections that open a new store at once race to switch it to WAL,
	// which SQLite answers with busy at once instead of waiting: try again.
	deadline := time.Now().Add(20 * time.Second)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err = createSchema(db)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			break
		}
		time.Sleep(wait)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("the run store %s: %w", path, err)
	}
	return &Store{db: db, dir: dir}, nil
}

// isBusy reports whether err is SQLite's "database is locked".
func isBusy(err error) bool {
	var e interface{ Code() int }
	return errors.As(err, &e) && e.Code()&0xff == 5 // SQLITE_BUSY
}

// createSchema creates the tables that do not exist yet, in one writing
// transaction, so that stores opened at once wait for each other.
func createSchema(db *sql.DB) error {
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(schema); err != nil {
		return err
	}
	return tx.Commit()
}

// Dir is the store's folder.
func (s *Store) Dir() string { return s.dir }

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Begin records a run that starts now, as running; Finish completes it.
// A run killed before Finish is found interrupted later.
func (s *Store) Begin(r *Record) (int64, error) {
	r.Status = Running
	return s.Add(r)
}

// Add writes a whole record in one transaction and returns its id.
func (s *Store) Add(r *Record) (int64, error) {
	tx, err := s.db.Begin()
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.Exec(`INSERT INTO runs (name, model_file, model_text, model_hash, seed, dt, duration, version, revision,
		host, pid, threads, start, wall, status, error, out_dir, sweep_id, point)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Name, r.ModelFile, r.ModelText, r.ModelHash, fmt.Sprint(r.Seed), r.DT, r.Duration, r.Version, r.Revision,
		r.Host, r.PID, r.Threads, r.Start.UTC().Format(time.RFC3339Nano), r.Wall, r.Status, r.Error, r.OutDir,
		r.SweepID, r.Point)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if err := writeDetails(tx, id, r); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	r.ID = id
	return id, nil
}

// Finish writes a run's end: status, error, wall time, constants, metrics.
func (s *Store) Finish(id int64, r *Record) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`UPDATE runs SET status = ?, error = ?, wall = ?, duration = ?, dt = ?, seed = ?, out_dir = ? WHERE id = ?`,
		r.Status, r.Error, r.Wall, r.Duration, r.DT, fmt.Sprint(r.Seed), r.OutDir, id); err != nil {
		return err
	}
	for _, table := range []string{"constants", "metrics"} {
		if _, err := tx.Exec("DELETE FROM "+table+" WHERE run_id = ?", id); err != nil {
			return err
		}
	}
	if err := writeDetails(tx, id, r); err != nil {
		return err
	}
	return tx.Commit()
}

func writeDetails(tx *sql.Tx, id int64, r *Record) error {
	for _, c := range r.Constants {
		if _, err := tx.Exec(`INSERT INTO constants (run_id, name, value, unit, dim) VALUES (?, ?, ?, ?, ?)`,
			id, c.Name, c.Value, c.Unit, c.Dim); err != nil {
			return err
		}
	}
	for _, g := range r.Groups {
		var cv any
		if !isNaN(g.ISICV) {
			cv = g.ISICV
		}
		if _, err := tx.Exec(`INSERT INTO metrics (run_id, grp, spikes, rate_hz, isi_cv) VALUES (?, ?, ?, ?, ?)`,
			id, g.Group, g.Spikes, g.RateHz, cv); err != nil {
			return err
		}
	}
	return nil
}

func isNaN(x float64) bool { return x != x }

// ErrNotFound is returned for an id that the store does not have.
var ErrNotFound = errors.New("no such run")

// Get reads one record.
func (s *Store) Get(id int64) (*Record, error) {
	s.markInterrupted()
	recs, err := s.query("WHERE id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("run %d: %w", id, ErrNotFound)
	}
	return recs[0], nil
}

// Remove deletes records.
func (s *Store) Remove(ids ...int64) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, id := range ids {
		res, err := tx.Exec("DELETE FROM runs WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("run %d: %w", id, ErrNotFound)
		}
	}
	return tx.Commit()
}

// query reads the records a condition selects, in id order.
func (s *Store) query(cond string, args ...any) ([]*Record, error) {
	rows, err := s.db.Query(`SELECT id, name, model_file, model_text, model_hash, seed, dt, duration, version, revision,
		host, pid, threads, start, wall, status, error, out_dir, sweep_id, point FROM runs `+cond+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Record
	byID := map[int64]*Record{}
	for rows.Next() {
		r := &Record{}
		var seed, start string
		var sweep sql.NullInt64
		var point sql.NullInt64
		if err := rows.Scan(&r.ID, &r.Name, &r.ModelFile, &r.ModelText, &r.ModelHash, &seed, &r.DT, &r.Duration, &r.Version,
			&r.Revision, &r.Host, &r.PID, &r.Threads, &start, &r.Wall, &r.Status, &r.Error, &r.OutDir, &sweep, &point); err != nil {
			return nil, err
		}
		fmt.Sscan(seed, &r.Seed)
		r.Start, _ = time.Parse(time.RFC3339Nano, start)
		if sweep.Valid {
			r.SweepID = &sweep.Int64
		}
		if point.Valid {
			p := int(point.Int64)
			r.Point = &p
		}
		out = append(out, r)
		byID[r.ID] = r
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := s.details(byID); err != nil {
		return nil, err
	}
	return out, nil
}

// details reads the constants and metrics of records.
func (s *Store) details(byID map[int64]*Record) error {
	if len(byID) == 0 {
		return nil
	}
	rows, err := s.db.Query(`SELECT run_id, name, value, unit, dim FROM constants ORDER BY run_id, rowid`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var c Constant
		if err := rows.Scan(&id, &c.Name, &c.Value, &c.Unit, &c.Dim); err != nil {
			rows.Close()
			return err
		}
		if r := byID[id]; r != nil {
			r.Constants = append(r.Constants, c)
		}
	}
	rows.Close()
	rows, err = s.db.Query(`SELECT run_id, grp, spikes, rate_hz, isi_cv FROM metrics ORDER BY run_id, rowid`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var g GroupMetrics
		var cv sql.NullFloat64
		if err := rows.Scan(&id, &g.Group, &g.Spikes, &g.RateHz, &cv); err != nil {
			return err
		}
		g.ISICV = nanOr(cv)
		if r := byID[id]; r != nil {
			r.Groups = append(r.Groups, g)
		}
	}
	return rows.Err()
}

func nanOr(x sql.NullFloat64) float64 {
	if x.Valid {
		return x.Float64
	}
	var zero float64
	return zero / zero
}

// markInterrupted marks as interrupted the running records of this host
// whose process is gone (killed, crashed, or the machine restarted).
func (s *Store) markInterrupted() {
	host, _ := os.Hostname()
	rows, err := s.db.Query(`SELECT id, pid, start FROM runs WHERE status = ? AND host = ?`, Running, host)
	if err != nil {
		return
	}
	var gone []int64
	for rows.Next() {
		var id int64
		var pid int
		var start string
		if rows.Scan(&id, &pid, &start) != nil {
			continue
		}
		began, err := time.Parse(time.RFC3339Nano, start)
		if err == nil && !alive(pid, began) {
			gone = append(gone, id)
		}
	}
	rows.Close()
	for _, id := range gone {
		s.db.Exec(`UPDATE runs SET status = ?, error = ? WHERE id = ? AND status = ?`, Interrupted,
			"the run's process ended before the run did", id, Running)
	}
}

// Check runs SQLite's integrity check on the database.
func (s *Store) Check() error {
	var res string
	if err := s.db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("the run store is damaged: %s", res)
	}
	return nil
}
