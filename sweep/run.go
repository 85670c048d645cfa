package sweep

import (
	"context"
	"sync"
	"time"

	"github.com/soma-sim/soma/model"
)

// Result is one point's run. Model is the model that ran it, valid only
// during the callback (the worker runs its next point on it).
type Result struct {
	Point  Point
	Model  *model.Model
	Wall   time.Duration // the run, without building
	Build  time.Duration // building, zero when the point reused a build
	Reused bool
	Err    error
	// Values are what a run of Run reports (its metrics, say), for the
	// callback to collect: the run functions work in parallel, the
	// callback one call at a time.
	Values map[string]float64
}

// RunModel runs the points of a model file on jobs workers. Each worker
// builds the model when it must and otherwise reuses its last build
// (model.Reuse): the state after building comes back and only the new
// constants change, with the same results as a fresh build. base are
// --set overrides for every point. each is called for every point, from
// the workers, one call at a time; an error from it stops the sweep.
func RunModel(ctx context.Context, spec *model.Spec, base []string, points []Point, jobs int, each func(Result) error) error {
	return pool(ctx, points, jobs, func() func(Point) Result {
		var m *model.Model
		return func(p Point) Result {
			r := RunPoint(m, spec, append(append([]string(nil), base...), p.Sets()...))
			r.Point, m = p, r.Model
			return r
		}
	}, each)
}

// RunPoint runs a model with --set overrides on m, a model built from the
// same spec, when m can be reused (model.Reuse), else on a new build; m
// may be nil. The result's Model is the model that ran (nil if building
// failed): pass it to the next call.
func RunPoint(m *model.Model, spec *model.Spec, sets []string) Result {
	r := Result{}
	if m != nil {
		ok, _, err := m.Reuse(sets)
		if err != nil {
			r.Err = err
			return r
		}
		r.Reused = ok
	}
	if !r.Reused {
		began := time.Now()
		built, err := model.Build(spec, sets)
		r.Build = time.Since(began)
		if err != nil {
			r.Err = err
			return r
		}
		m = built
		m.Keep()
	}
	r.Model = m
	r.Wall, r.Err = m.Run(model.RunOptions{})
	return r
}

// Run runs the points with a function of the caller's, on jobs workers,
// for networks written in Go: run builds (or reuses) a network for the
// point, runs it and reports through the Result it returns.
func Run(ctx context.Context, points []Point, jobs int, run func(Point) Result, each func(Result) error) error {
	return pool(ctx, points, jobs, func() func(Point) Result { return run }, each)
}

// pool hands the points to jobs workers in order; newWorker gives each
// worker its own state.
func pool(ctx context.Context, points []Point, jobs int, newWorker func() func(Point) Result, each func(Result) error) error {
	jobs = max(1, min(jobs, len(points)))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	todo := make(chan Point)
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work := newWorker()
			for p := range todo {
				r := work(p)
				mu.Lock()
				if firstErr == nil {
					if err := each(r); err != nil {
						firstErr = err
						cancel()
					}
				}
				mu.Unlock()
			}
		}()
	}
	for _, p := range points {
		select {
		case todo <- p:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(todo)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}
