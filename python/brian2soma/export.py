"""Writing a Brian2 network as a soma model file with .npz arrays."""

import json
import os
import re

import numpy as np

import brian2

from brian2 import (NeuronGroup, Synapses, PoissonGroup, SpikeGeneratorGroup,
                    PoissonInput, SpikeMonitor, EventMonitor, StateMonitor,
                    PopulationRateMonitor)
from brian2.core.functions import DEFAULT_FUNCTIONS, DEFAULT_CONSTANTS, Function
from brian2.core.variables import Constant, Variable
from brian2.equations.equations import (DIFFERENTIAL_EQUATION, SUBEXPRESSION,
                                        PARAMETER, BOOLEAN, INTEGER)
from brian2.groups.subgroup import Subgroup
from brian2.input.timedarray import TimedArray
from brian2.parsing.rendering import NodeRenderer
from brian2.units.fundamentalunits import Quantity, Unit, get_unit
from brian2.utils.stringtools import get_identifiers

# Objects a Brian2 network creates inside the ones exported here; they are
# part of their owner's description.
CONTAINED = {'StateUpdater', 'Thresholder', 'Resetter', 'SynapticPathway',
             'SummedVariableUpdater'}

BASE_UNITS = ['metre', 'kilogram', 'second', 'amp', 'kelvin', 'mole', 'candela']
IDENTIFIER = re.compile(r'\b[A-Za-z_][A-Za-z0-9_]*\b')
T0 = 'brian2_t0'


def refuse(obj, feature):
    name = getattr(obj, 'name', str(obj))
    raise NotImplementedError(f"{type(obj).__name__} '{name}': {feature} is not "
                              f"supported by the soma device")


def unit_text(dim):
    """The unit of a dimension in words soma reads: volt, or base units."""
    if dim is None or dim.is_dimensionless:
        return '1'
    name = repr(get_unit(dim))
    if re.fullmatch(r'[A-Za-z]+', name):
        return name
    parts = []
    for base, exp in zip(BASE_UNITS, dim._dims):
        if exp == 0:
            continue
        exp = int(exp) if float(exp).is_integer() else float(exp)
        parts.append(base if exp == 1 else f'{base}**{exp}')
    return '*'.join(parts)


def quantity_text(value, dim=None):
    """A value (SI) as an expression of soma's language."""
    if isinstance(value, Quantity):
        dim = value.dim
        value = np.asarray(value).item() if np.ndim(value) == 0 else value
    if isinstance(value, (bool, np.bool_)):
        return 'True' if value else 'False'
    v = float(value)
    text = repr(v) if np.isfinite(v) else ('inf' if v > 0 else '-inf')
    if v != v:
        text = 'nan'
    if dim is None or dim.is_dimensionless:
        return text
    return f'{text}*{unit_text(dim)}'


class Exporter:
    """Writes the objects of one run into folder: model.yaml and arrays."""

    def __init__(self, net, objects, run_namespace, folder, t0, duration, dt, seed):
        self.net = net
        self.run_namespace = run_namespace
        self.folder = folder
        self.t0 = t0          # Brian2's time at the start of the run (s)
        self.steps0 = 0
        self.dt = dt
        self.constants = {}   # name -> text
        self.timed = {}       # timed array name -> (TimedArray, entry)
        self.arrays = {}      # file name -> {array name: values}
        self.groups = {}
        self.synapses = {}
        self.inputs = []
        self.monitors = {}
        self.saved = {}       # object name -> [(variable, brian variable, shift)]
        self.in_flight = {}   # synapses name -> Synapses whose spikes in flight soma saves
        self.monitor_objects = []
        self.duration = duration
        self.seed = seed
        self.objects = objects
        if t0:
            self.constants[T0] = quantity_text(t0, self._second())

    @staticmethod
    def _second():
        from brian2 import second
        return second.dim

    # ---- checks -------------------------------------------------------

    def check(self):
        """Refuses what soma cannot run, before anything is written."""
        known = (NeuronGroup, Synapses, PoissonGroup, SpikeGeneratorGroup,
                 PoissonInput, EventMonitor, StateMonitor, PopulationRateMonitor)
        for obj in self.objects:
            if not obj.active:
                refuse(obj, 'an inactive object (active=False)')
            if isinstance(obj, known):
                continue
            if type(obj).__name__ in CONTAINED:
                continue
            if type(obj).__name__ == 'SubexpressionUpdater':
                refuse(obj, "subexpressions flagged '(constant over dt)'")
            if type(obj).__name__ == 'CodeRunner' or 'run_regularly' in obj.name:
                refuse(obj, 'run_regularly')
            refuse(obj, 'this kind of object')

    # ---- code and namespaces ------------------------------------------

    def code(self, owner, text, extra_names=()):
        """Resolves the external names of code text and returns it as soma
        reads it (constants exported, t shifted by the run's start)."""
        if text is None:
            return None
        text = str(text)
        ids = get_identifiers(text) - set(extra_names)
        renames = {}
        if ids:
            resolved = owner.resolve_all(sorted(ids), self.run_namespace)
            for name, value in resolved.items():
                new = self.external(owner, name, value)
                if new is not None and new != name:
                    renames[name] = new
        if self.t0 and 't' in ids:
            renames['t'] = f'(t + {T0})'
        if not renames:
            return text
        return IDENTIFIER.sub(lambda m: renames.get(m.group(0), m.group(0)), text)

    def external(self, owner, name, value):
        """Exports one resolved name; returns the name soma knows it by."""
        if isinstance(value, Function):
            if isinstance(value, TimedArray):
                return self.timed_array(owner, name, value)
            if name in DEFAULT_FUNCTIONS and value is DEFAULT_FUNCTIONS[name]:
                return None
            refuse(owner, f"the user-defined function '{name}'")
        if isinstance(value, Unit) or name in DEFAULT_CONSTANTS:
            return None
        if isinstance(getattr(brian2, name, None), Unit) and not isinstance(value, Variable) or \
                isinstance(value, Constant) and isinstance(getattr(brian2, name, None), Unit):
            return None  # a unit's name: soma knows its units
        if isinstance(value, Constant):
            if value.owner is not None and getattr(value.owner, 'name', None) is not None \
                    and not isinstance(value.owner, (dict,)):
                return None  # the group's own N and the like
            return self.constant(owner, name, value.get_value(), value.dim)
        if isinstance(value, Variable):
            return None  # the group's own or the pre/post group's variables
        if isinstance(value, (Quantity, int, float, np.number, bool, np.bool_)):
            dim = getattr(value, 'dim', None)
            return self.constant(owner, name, value, dim)
        refuse(owner, f"the external name '{name}' of type {type(value).__name__}")

    def timed_array(self, owner, name, ta):
        values = np.asarray(ta.values, dtype=np.float64)
        if values.ndim not in (1, 2):
            refuse(owner, f"the TimedArray '{name}' of {values.ndim} dimensions")
        for known, (other, _) in self.timed.items():
            if other is ta:
                return known
        new = name
        while new in self.timed or new in self.constants:
            new = f'{new}_'
        file = 'timedarrays.npz'
        self.add_array(file, new, values)
        entry = {'file': file, 'array': new, 'dt': quantity_text(float(ta.dt), self._second())}
        if not ta.dim.is_dimensionless:
            entry['unit'] = unit_text(ta.dim)
        self.timed[new] = (ta, entry)
        return new

    def constant(self, owner, name, value, dim):
        if np.ndim(value) != 0:
            refuse(owner, f"the array-valued constant '{name}'")
        text = quantity_text(np.asarray(value).item(), dim)
        new = name
        if name in self.constants and self.constants[name] != text:
            new = f'{name}__{owner.name}'
        self.constants[new] = text
        return new

    # ---- groups -------------------------------------------------------

    def source_text(self, group):
        if isinstance(group, Subgroup):
            parent = group.source
            if not isinstance(parent, NeuronGroup):
                refuse(parent, 'a subgroup of a group other than a NeuronGroup')
            return f'{parent.name}[{group.start}:{group.stop}]'
        return group.name

    def clock_dt(self, obj, entry):
        if abs(float(obj.clock.dt_) - self.dt) > 1e-15:
            entry['dt'] = quantity_text(float(obj.clock.dt_), self._second())

    def array_file(self, obj):
        return f'{obj.name}.state.npz'

    def add_array(self, file, name, values):
        self.arrays.setdefault(file, {})[name] = np.ascontiguousarray(values)

    def equations_text(self, owner, eqs, names, extra_flags=None):
        lines = []
        for eq in eqs.ordered:
            if eq.varname in ('lastspike', 'not_refractory', 'lastupdate'):
                continue
            if eq.var_type == BOOLEAN:
                unit = 'boolean'
            elif eq.var_type == INTEGER:
                unit = 'integer'
            else:
                unit = unit_text(eq.dim)
            flags = list(eq.flags)
            if extra_flags:
                flags += extra_flags
            tail = f' ({", ".join(flags)})' if flags else ''
            if eq.type == DIFFERENTIAL_EQUATION:
                lines.append(f'd{eq.varname}/dt = {self.code(owner, eq.expr.code, names)} : {unit}{tail}')
            elif eq.type == SUBEXPRESSION:
                lines.append(f'{eq.varname} = {self.code(owner, eq.expr.code, names)} : {unit}{tail}')
            else:
                lines.append(f'{eq.varname} : {unit}{tail}')
        return lines

    def state_names(self, obj, eqs_list):
        out = []
        for eqs in eqs_list:
            for eq in eqs.ordered:
                if eq.type in (DIFFERENTIAL_EQUATION, PARAMETER) and eq.varname not in out:
                    out.append(eq.varname)
        for extra in ('lastspike', 'not_refractory', 'lastupdate'):
            if extra in obj.variables and extra not in out:
                out.append(extra)
        return [n for n in out if getattr(obj.variables[n].owner, 'name', None) == obj.name]

    def init_and_save(self, obj, entry, names):
        file = self.array_file(obj)
        init, save = {}, []
        for name in names:
            var = obj.variables[name]
            values = np.asarray(var.get_value())
            shift = self.t0 if name in ('lastspike', 'lastupdate') else 0.0
            if var.scalar:
                init[name] = quantity_text(values.reshape(-1)[0] - shift if shift else values.reshape(-1)[0], var.dim)
            else:
                if values.size == 0:
                    continue
                self.add_array(file, name, values.astype(np.float64) - shift)
                init[name] = {'file': file, 'array': name}
            save.append(name)
            self.saved.setdefault(obj.name, []).append((name, var, shift))
        if init:
            entry['init'] = init
        if save:
            entry['save'] = save

    def neurons(self, G):
        names = set(G.variables.keys())
        eqs = G.user_equations
        entry = {'N': str(len(G))}
        self.clock_dt(G, entry)
        entry['model'] = '\n'.join(self.equations_text(G, eqs, names))
        for event, cond in G.events.items():
            code = self.code(G, cond, names)
            if event == 'spike':
                entry['threshold'] = code
            else:
                entry.setdefault('events', {})[event] = code
        for event, code in G.event_codes.items():
            if event != 'spike':
                refuse(G, f"code run on the custom event '{event}' (run_on_event)")
            entry['reset'] = self.code(G, code, names)
        ref = G._refractory
        if ref is not False and ref is not None:
            if isinstance(ref, str):
                entry['refractory'] = self.code(G, ref, names)
            else:
                entry['refractory'] = quantity_text(ref)
        su = G.state_updater
        if isinstance(su.method_choice, str):
            entry['method'] = su.method_choice
        elif not isinstance(su.method_choice, (tuple, list)):
            refuse(G, 'a state updater given as an object')
        if su.method_options:
            refuse(G, 'method_options')
        self.init_and_save(G, entry, self.state_names(G, [eqs]))
        self.set_order(G, entry)
        self.groups[G.name] = entry

    def poisson(self, P):
        entry = {'type': 'poisson', 'N': str(len(P))}
        self.clock_dt(P, entry)
        rates = P._rates
        if isinstance(rates, str):
            entry['rates'] = self.code(P, rates, set(P.variables.keys()))
        else:
            values = np.asarray(P.variables['rates'].get_value())
            if values.size and not np.all(values == values.flat[0]):
                refuse(P, 'rates that differ between neurons (give them as a string expression of i)')
            entry['rates'] = quantity_text(float(values.flat[0]), P.variables['rates'].dim)
        self.set_order(P, entry)
        self.groups[P.name] = entry

    def spikegenerator(self, SG):
        entry = {'type': 'spikegenerator', 'N': str(len(SG))}
        self.clock_dt(SG, entry)
        idx = np.asarray(SG._neuron_index)
        times = np.asarray(SG._spike_time, dtype=np.float64)
        period = float(np.asarray(SG.variables['period'].get_value()).reshape(-1)[0])
        dt = float(SG.clock.dt_)
        if period > 0:
            entry['period'] = quantity_text(period, self._second())
            if self.t0:
                times = np.mod(times - self.t0, period)
        else:
            keep = times >= self.t0 - dt / 2
            idx, times = idx[keep], times[keep] - self.t0
        order = np.argsort(times, kind='stable')
        entry['indices'] = [int(k) for k in idx[order]]
        entry['times'] = [quantity_text(float(x), self._second()) for x in times[order]]
        self.set_order(SG, entry)
        self.groups[SG.name] = entry

    # ---- synapses -----------------------------------------------------

    def synapses_entry(self, S):
        names = set(S.variables.keys())
        entry = {'source': self.source_text(S.source), 'target': self.source_text(S.target)}
        lines = self.equations_text(S, S.equations, names)
        if S.event_driven is not None:
            from brian2 import Equations
            ed = Equations([eq for eq in S.event_driven.ordered if eq.type == DIFFERENTIAL_EQUATION])
            lines += self.equations_text(S, ed, names)
        for key, su in S.summed_updaters.items():
            unit = unit_text(su.target_var.dim)
            lines.append(f'{key} = {self.code(S, su.expression, names)} : {unit} (summed)')
        if lines:
            entry['model'] = '\n'.join(lines)
        su = S.state_updater
        if su is not None:
            if isinstance(su.method_choice, str):
                entry['method'] = su.method_choice
            if su.method_options:
                refuse(S, 'method_options')
        pre, post = {}, {}
        delays = {}
        per_synapse_delay = None
        for p in S._pathways:
            if p.event != 'spike':
                refuse(S, f"the pathway '{p.objname}' on the event '{p.event}'")
            (pre if p.prepost == 'pre' else post)[p.objname] = self.code(S, p.code, names)
            d = np.asarray(p._delays.get_value(), dtype=np.float64).reshape(-1)
            if p._delays.scalar or (d.size and np.all(d == d[0])):
                delays[p.objname] = float(d[0]) if d.size else 0.0
            else:
                if p.objname != 'pre':
                    refuse(S, f"per-synapse delays of the pathway '{p.objname}'")
                per_synapse_delay = d
        if list(pre) == ['pre']:
            entry['on_pre'] = pre['pre']
        elif pre:
            entry['on_pre'] = pre
        if list(post) == ['post']:
            entry['on_post'] = post['post']
        elif post:
            entry['on_post'] = post
        others = {k: v for k, v in delays.items() if k != 'pre' and v != 0}
        if others:
            if per_synapse_delay is not None:
                refuse(S, 'per-synapse delays together with delays of other pathways')
            entry['delay'] = {k: quantity_text(v, self._second()) for k, v in delays.items() if v != 0 or k == 'pre'}
        elif delays.get('pre', 0.0) != 0:
            entry['delay'] = quantity_text(delays['pre'], self._second())
        file = self.array_file(S)
        i = np.asarray(S.i[:], dtype=np.int64)
        j = np.asarray(S.j[:], dtype=np.int64)
        if i.size:
            self.add_array(file, 'i', i)
            self.add_array(file, 'j', j)
            entry['connect'] = {'file': file, 'i': 'i', 'j': 'j'}
        eq_list = [S.equations] + ([S.event_driven] if S.event_driven is not None else [])
        self.init_and_save(S, entry, self.state_names(S, eq_list))
        if per_synapse_delay is not None and i.size:
            self.add_array(file, 'delay', per_synapse_delay)
            entry.setdefault('init', {})
            entry['init'] = {'delay': {'file': file, 'array': 'delay'}, **entry['init']}
        if i.size:
            self.spikes_in_flight(S, entry, file)
        self.set_order(S, entry)
        self.synapses[S.name] = entry

    def spikes_in_flight(self, S, entry, file):
        """Hands soma the spikes on their way in Brian2's queues (from an
        earlier run, or restored), and has soma save its own at the end,
        for the next run: they live in the queues between runs, so that
        store() and restore() keep them as on Brian2's own devices."""
        flight = {}
        for p in S._pathways:
            syns, steps = queue_spikes(p.queue)
            if len(syns):
                name = f'{p.objname}_in_flight'
                self.add_array(file, name, syns)
                self.add_array(file, name + '_steps', steps)
                flight[p.objname] = {'file': file, 'synapses': name, 'steps': name + '_steps'}
        if flight:
            entry['in_flight'] = flight
        entry['save'] = entry.get('save', []) + ['in_flight']
        self.in_flight[S.name] = S

    def poisson_input(self, PI):
        target = PI._group
        weight = PI._weight
        names = set(target.variables.keys())
        if isinstance(weight, str):
            weight = self.code(target, weight, names)
        else:
            weight = quantity_text(weight)
        if abs(float(PI.clock.dt_) - self.dt) > 1e-15:
            refuse(PI, 'a clock other than the default clock')
        entry = {'target': self.source_text(target), 'variable': PI._target_var,
                 'N': str(int(PI._N)), 'rate': quantity_text(PI._rate), 'weight': weight}
        self.set_order(PI, entry)
        self.inputs.append(entry)

    def set_order(self, obj, entry, default=0):
        """Passes Brian2's order= on where it is not the default (which
        soma's defaults are)."""
        order = float(getattr(obj, 'order', default))
        if order != default:
            entry['order'] = repr(order)

    # ---- monitors -----------------------------------------------------

    def monitor(self, M):
        if isinstance(M, StateMonitor):
            src = M.source
            entry = {'type': 'state', 'source': self.source_text(src) if not isinstance(src, Synapses) else src.name,
                     'variables': list(M.record_variables)}
            if M.record_all:
                entry['record'] = True
            else:
                entry['record'] = [int(k) for k in np.asarray(M.record)]
                if not entry['record']:
                    refuse(M, 'recording no indices')
            if abs(float(M.clock.dt_) - self.dt) > 1e-15:
                entry['dt'] = quantity_text(float(M.clock.dt_), self._second())
            if M.when != 'start':
                entry['when'] = M.when
        elif isinstance(M, PopulationRateMonitor):
            entry = {'type': 'rate', 'source': self.source_text(M.source)}
            if M.when != 'end':
                entry['when'] = M.when
        else:
            variables = sorted(set(M.record_variables) - {'t', 'i'})
            if isinstance(M, SpikeMonitor) or M.event == 'spike':
                entry = {'type': 'spike', 'source': self.source_text(M.source)}
            else:
                entry = {'type': 'event', 'source': self.source_text(M.source), 'event': M.event}
            if variables:
                entry['variables'] = variables
            # Brian2 derives both from the event's thresholder unless when
            # is given; soma as well, but they are passed as they are.
            entry['when'], entry['order'] = M.when, repr(float(M.order))
        if 'order' not in entry:
            self.set_order(M, entry)
        self.monitors[M.name] = entry
        self.monitor_objects.append(M)

    # ---- the whole model ----------------------------------------------

    def export(self):
        self.check()
        for obj in self.objects:
            if isinstance(obj, NeuronGroup):
                self.neurons(obj)
            elif isinstance(obj, PoissonGroup):
                self.poisson(obj)
            elif isinstance(obj, SpikeGeneratorGroup):
                self.spikegenerator(obj)
        for obj in self.objects:
            if isinstance(obj, Synapses):
                self.synapses_entry(obj)
            elif isinstance(obj, PoissonInput):
                self.poisson_input(obj)
        for obj in self.objects:
            if isinstance(obj, (EventMonitor, StateMonitor, PopulationRateMonitor)):
                self.monitor(obj)
        model = {'name': 'brian2', 'dt': quantity_text(self.dt, self._second()),
                 'seed': str(self.seed)}
        if self.constants:
            model['constants'] = self.constants
        if self.timed:
            model['timed_arrays'] = {name: entry for name, (_, entry) in self.timed.items()}
        if self.groups:
            model['groups'] = self.groups
        if self.synapses:
            model['synapses'] = self.synapses
        if self.inputs:
            model['inputs'] = self.inputs
        if self.monitors:
            model['monitors'] = self.monitors
        model['run'] = quantity_text(self.duration, self._second())
        os.makedirs(self.folder, exist_ok=True)
        for file, arrays in self.arrays.items():
            np.savez(os.path.join(self.folder, file), **arrays)
        path = os.path.join(self.folder, 'model.yaml')
        with open(path, 'w') as f:
            # JSON is YAML: every value a string, every mapping in order.
            json.dump(model, f, indent=1)
            f.write('\n')
        return path


def queue_spikes(queue):
    """The spikes in a Brian2 SpikeQueue: the synapse each reaches and in
    how many steps from the next one, in the order they arrive. Brian2 has
    two queues, in Cython (state: offset, a list per step) and in Python
    (state: dt, an array of (steps, synapse), shape)."""
    state = queue._full_state() if queue is not None else None
    syns, steps = [], []
    if state is not None and len(state) == 2:
        offset, lists = state
        n = len(lists)
        for r in range(n):
            for syn in lists[(offset + r) % n]:
                syns.append(int(syn))
                steps.append(r)
    elif state is not None:
        spikes = np.asarray(state[1], dtype=np.int64).reshape(-1, 2)
        order = np.argsort(spikes[:, 0], kind='stable')
        steps = list(spikes[order, 0])
        syns = list(spikes[order, 1])
    return np.asarray(syns, dtype=np.int64), np.asarray(steps, dtype=np.int64)


def set_queue_spikes(queue, syns, steps, dt):
    """Puts spikes in flight, as queue_spikes gives them, into a Brian2
    SpikeQueue of either kind, replacing what it held."""
    syns = np.asarray(syns, dtype=np.int64)
    steps = np.asarray(steps, dtype=np.int64)
    n = int(steps.max()) + 1 if steps.size else 1
    if len(queue._full_state() or ()) == 3:
        events = max(np.bincount(steps, minlength=n).max() if steps.size else 0, 1)
        queue._restore_from_full_state((dt, np.column_stack([steps, syns]), (n, events)))
        return
    lists = [[] for _ in range(n)]
    for syn, r in zip(syns, steps):
        lists[r].append(int(syn))
    queue._restore_from_full_state((0, lists))
