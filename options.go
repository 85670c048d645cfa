package soma

import (
	"fmt"
	"math"
	"slices"
)

func kindName(kind string) string {
	if n, ok := kindNames[kind]; ok {
		return n
	}
	return kind
}

// kindNames are the kinds as users know them, for messages.
var kindNames = map[string]string{
	kindNeurons: "NeuronGroup", "Synapses": "Synapses", "PoissonGroup": "PoissonGroup",
	"SpikeGeneratorGroup": "SpikeGeneratorGroup", kindOnEvent: "RunOnEvent",
	"spikemonitor": "SpikeMonitor", "eventmonitor": "EventMonitor",
	"statemonitor": "StateMonitor", "ratemonitor": "PopulationRateMonitor",
	kindBehaviour: "behaviour", kindIterations: "SimulateIterations",
}

// Option configures a group, synapses or monitor when it is created.
// Options that do not apply to the object being created are an error.
type Option interface {
	apply(c *config) error
	optionName() string
}

type config struct {
	kind       string // what is being configured, for error messages
	name       string
	threshold  *string
	reset      *string
	refractory any
	method     *string
	events     []namedCode
	namespace  Namespace
	dt         float64
	dtSet      bool
	when       *string
	order      *float64
	record     *recordSpec
	variables  []string
	seen       map[string]bool
	pathways   []pathwayConfig // Synapses
	delays     map[string]any  // Synapses: pathway name ("" = pre) -> delay
	tags       []string        // groups, synapses, behaviours
	params     Params          // behaviours
	iter       iterConfig      // SimulateIterations
	float32    bool            // NeuronGroup, Synapses: float variables in single precision
	streamDir  string          // monitors: stream the recording to this folder
	chunk      int             // monitors: records per streamed chunk
	maxSamples int             // StateMonitor: keep only the last maxSamples samples
}

type namedCode struct{ name, code string }

type recordSpec struct {
	all     bool
	indices []int
	off     bool
}

type option struct {
	name    string
	applies []string // kinds this option applies to
	set     func(c *config)
}

func (o option) optionName() string { return o.name }

func (o option) apply(c *config) error {
	for _, k := range o.applies {
		if k == c.kind || (k == "monitor" && slices.Contains(monitorKinds, c.kind)) {
			o.set(c)
			return nil
		}
	}
	return fmt.Errorf("option %s does not apply to a %s", o.name, kindName(c.kind))
}

func newConfig(kind string, opts []Option) (*config, error) {
	c := &config{kind: kind, seen: map[string]bool{}}
	for _, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("a nil Option was given to a %s", kind)
		}
		if err := o.apply(c); err != nil {
			return nil, err
		}
	}
	if c.dtSet && (!(c.dt > 0) || math.IsInf(c.dt, 0)) {
		return nil, fmt.Errorf("option DT: the time step must be a positive time in seconds, got %g", c.dt)
	}
	return c, nil
}

// The kinds of object that options apply to.
const (
	kindNeurons = "NeuronGroup"
	kindOnEvent = "RunOnEvent"
)

// Monitor kinds; "monitor" in an option's list stands for all of them.
var monitorKinds = []string{"spikemonitor", "eventmonitor", "statemonitor", "ratemonitor"}

// Name sets the object's name (default: an automatic one such as
// "neurongroup_1").
func Name(name string) Option {
	return option{"Name", []string{kindNeurons, "Synapses", "monitor", "PoissonGroup", "SpikeGeneratorGroup", "PoissonInput", kindBehaviour}, func(c *config) { c.name = name }}
}

// Threshold sets the spike condition, e.g. "v > Vt".
func Threshold(cond string) Option {
	return option{"Threshold", []string{kindNeurons}, func(c *config) { c.threshold = &cond }}
}

// Reset sets the statements run for each neuron that spiked, e.g. "v = Vr".
func Reset(code string) Option {
	return option{"Reset", []string{kindNeurons}, func(c *config) { c.reset = &code }}
}

// Refractory sets the refractory period: a duration in seconds (float64),
// a units.Quantity, a time expression ("5*ms", "ref") or a boolean
// condition ("v > -40*mV") that keeps the neuron refractory while it holds.
func Refractory(r any) Option {
	return option{"Refractory", []string{kindNeurons}, func(c *config) { c.refractory = r }}
}

// Method sets the integration method: exact, linear, exponential_euler,
// euler, rk2, rk4, heun or milstein. Without it the first of exact, euler
// and heun that can integrate the equations is chosen, as in Brian2.
func Method(m string) Option {
	return option{"Method", []string{kindNeurons, "Synapses"}, func(c *config) { c.method = &m }}
}

// Event adds a custom event with a condition, e.g. Event("burst", "v > 2*Vt").
func Event(name, cond string) Option {
	return option{"Event", []string{kindNeurons}, func(c *config) { c.events = append(c.events, namedCode{name, cond}) }}
}

// DT gives the object its own clock with this time step (seconds): a group,
// synapses, an input group or a StateMonitor (which then samples every
// dt). Spike, event and rate monitors run on their source's clock.
func DT(dt float64) Option {
	return option{"DT", []string{kindNeurons, "Synapses", "statemonitor", "PoissonGroup", "SpikeGeneratorGroup"}, func(c *config) { c.dt, c.dtSet = dt, true }}
}

// When sets the schedule slot ("start", "after_thresholds", ...) of a
// monitor or of code added with RunOnEvent.
func When(slot string) Option {
	return option{"When", []string{"monitor", kindOnEvent, "PoissonGroup", "SpikeGeneratorGroup", "PoissonInput"}, func(c *config) { c.when = &slot }}
}

// Order sets the position within a schedule slot; lower runs first, and
// equal orders run by name.
func Order(order float64) Option {
	return option{"Order", []string{kindNeurons, "Synapses", "monitor", kindOnEvent, "PoissonGroup", "SpikeGeneratorGroup", "PoissonInput"}, func(c *config) { c.order = &order }}
}

// Record chooses the neurons a StateMonitor records, by index within the
// monitored population (Record(0, 5, 7)); RecordAll() records all of them.
func Record(indices ...int) Option {
	return option{"Record", []string{"statemonitor"}, func(c *config) { c.record = &recordSpec{indices: indices} }}
}

// RecordAll records every element (the default of state, spike and event
// monitors).
func RecordAll() Option {
	return option{"RecordAll", []string{"statemonitor", "spikemonitor", "eventmonitor"}, func(c *config) { c.record = &recordSpec{all: true} }}
}

// RecordNone makes a spike or event monitor keep only the counts per
// neuron, not the time and index of each event.
func RecordNone() Option {
	return option{"RecordNone", []string{"spikemonitor", "eventmonitor"}, func(c *config) { c.record = &recordSpec{off: true} }}
}

// Variables lists variables (or subexpressions) that a spike or event
// monitor records at each event.
func Variables(names ...string) Option {
	return option{"Variables", []string{"spikemonitor", "eventmonitor"}, func(c *config) { c.variables = append(c.variables, names...) }}
}

// Namespace maps names used in equations and code to values: a string
// expression ("10*ms", "2*Vt"), a units.Quantity, or a plain number
// (dimensionless). As an Option it applies to one group; a network's
// namespace (Network.Namespace) is shared by all objects.
type Namespace map[string]any

func (ns Namespace) optionName() string { return "Namespace" }

func (ns Namespace) apply(c *config) error {
	switch c.kind {
	case kindNeurons, "Synapses", "PoissonGroup":
	default:
		return fmt.Errorf("option Namespace does not apply to a %s", kindName(c.kind))
	}
	if c.namespace == nil {
		c.namespace = Namespace{}
	}
	for k, v := range ns {
		c.namespace[k] = v
	}
	return nil
}
