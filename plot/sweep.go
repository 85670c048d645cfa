package plot

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Curve draws y against x with error bars of ±yerr (nil: none), for a
// metric against a swept parameter; labels name the axes with their units.
func Curve(path, title, xLabel, yLabel string, x, y, yerr []float64) error {
	if len(x) != len(y) || (yerr != nil && len(yerr) != len(y)) {
		return fmt.Errorf("plot.Curve: %d x, %d y and %d errors", len(x), len(y), len(yerr))
	}
	p := newPlot(title, xLabel, yLabel)
	pts := xys(x, y, 1, 1)
	if _, err := addLine(p, pts, dataColor, vg.Points(1.5)); err != nil {
		return err
	}
	dots, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	dots.Color = dataColor
	p.Add(dots)
	if yerr != nil {
		var errs plotter.YErrors
		var at plotter.XYs
		for k := range y {
			if finite(x[k]) && finite(y[k]) && finite(yerr[k]) {
				at = append(at, plotter.XY{X: x[k], Y: y[k]})
				errs = append(errs, struct{ Low, High float64 }{yerr[k], yerr[k]})
			}
		}
		if len(at) > 0 {
			bars, err := plotter.NewYErrorBars(struct {
				plotter.XYs
				plotter.YErrors
			}{at, errs})
			if err != nil {
				return err
			}
			bars.Color = dataColor
			p.Add(bars)
		}
	}
	return save(p, path, nil)
}

// grid is z on a rectangular grid for a heat map; z[row][col] belongs to
// (xs[col], ys[row]).
type grid struct {
	xs, ys []float64
	z      [][]float64
}

func (g grid) Dims() (c, r int)   { return len(g.xs), len(g.ys) }
func (g grid) Z(c, r int) float64 { return g.z[r][c] }
func (g grid) X(c int) float64    { return g.xs[c] }
func (g grid) Y(r int) float64    { return g.ys[r] }

// HeatMap draws z over two swept parameters; NaN cells are left empty.
func HeatMap(path, title, xLabel, yLabel, zLabel string, xs, ys []float64, z [][]float64) error {
	if len(z) != len(ys) {
		return fmt.Errorf("plot.HeatMap: %d rows for %d y values", len(z), len(ys))
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for r, row := range z {
		if len(row) != len(xs) {
			return fmt.Errorf("plot.HeatMap: row %d has %d values for %d x values", r, len(row), len(xs))
		}
		for _, v := range row {
			if finite(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	if lo == hi {
		hi = lo + 1
	}
	pal := moreland.SmoothBlueRed()
	pal.SetMin(lo)
	pal.SetMax(hi)
	p := newPlot(fmt.Sprintf("%s (%s from %.4g to %.4g)", title, zLabel, lo, hi), xLabel, yLabel)
	hm := plotter.NewHeatMap(grid{xs: xs, ys: ys, z: z}, pal.Palette(64))
	hm.NaN = color.Transparent
	hm.Min, hm.Max = lo, hi
	p.Add(hm)
	return save(p, path, nil)
}
