package store

import (
	"encoding/json"
	"math"
)

// groupJSON is GroupMetrics in JSON, where NaN cannot be written: an
// unknown CV is null.
type groupJSON struct {
	Group  string   `json:"group"`
	Spikes int64    `json:"spikes"`
	RateHz float64  `json:"rate_hz"`
	ISICV  *float64 `json:"isi_cv"`
}

// MarshalJSON writes an unknown CV as null.
func (g GroupMetrics) MarshalJSON() ([]byte, error) {
	j := groupJSON{Group: g.Group, Spikes: g.Spikes, RateHz: g.RateHz}
	if !math.IsNaN(g.ISICV) {
		j.ISICV = &g.ISICV
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads null as an unknown CV.
func (g *GroupMetrics) UnmarshalJSON(b []byte) error {
	var j groupJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*g = GroupMetrics{Group: j.Group, Spikes: j.Spikes, RateHz: j.RateHz, ISICV: math.NaN()}
	if j.ISICV != nil {
		g.ISICV = *j.ISICV
	}
	return nil
}
