"""Runs an example script on a device and saves what it computed.

    python3 run_example.py runtime|soma SCRIPT OUT.npz [SEED]

The script is an unchanged Brian2 script; for 'soma' the device is set
first (import brian2soma; set_device('soma')). After it ran, every
monitor's recording is saved to OUT.npz under 'OBJECT.NAME' keys, every
group's and synapses' final state under 'state.OBJECT.NAME', with the wall time under '_wall'.
"""
import os
import runpy
import sys
import time

import numpy as np

device, script, out = sys.argv[1:4]
seed_value = int(sys.argv[4]) if len(sys.argv) > 4 else 4321
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import brian2  # noqa: E402
from brian2 import (set_device, seed, prefs, SpikeMonitor, EventMonitor, StateMonitor,  # noqa: E402
                    PopulationRateMonitor, Group, Synapses)

prefs.codegen.target = 'numpy'
if device == 'soma':
    import brian2soma  # noqa: F401
    set_device('soma')
seed(seed_value)
start = time.time()
ns = runpy.run_path(script, run_name='__main__')
wall = time.time() - start

arrays = {'_wall': np.array(wall)}
seen = set()
for name, obj in list(ns.items()):
    if id(obj) in seen or name.startswith('_'):
        continue
    seen.add(id(obj))
    if isinstance(obj, EventMonitor):
        arrays[f'{name}.t'] = np.asarray(obj.t_)
        arrays[f'{name}.i'] = np.asarray(obj.i[:])
        arrays[f'{name}.count'] = np.asarray(obj.count[:])
    elif isinstance(obj, StateMonitor):
        arrays[f'{name}.t'] = np.asarray(obj.t_)
        for v in obj.record_variables:
            arrays[f'{name}.{v}'] = np.asarray(getattr(obj, v + '_'))
    elif isinstance(obj, PopulationRateMonitor):
        arrays[f'{name}.t'] = np.asarray(obj.t_)
        arrays[f'{name}.rate'] = np.asarray(obj.rate_)
    elif isinstance(obj, Group) and not isinstance(obj, Synapses) and hasattr(obj, 'equations'):
        for v in obj.equations.diff_eq_names | obj.equations.parameter_names:
            arrays[f'state.{name}.{v}'] = np.asarray(obj.variables[v].get_value()).copy()
        if 'lastspike' in obj.variables:
            arrays[f'state.{name}.lastspike'] = np.asarray(obj.lastspike_).copy()
    elif isinstance(obj, Synapses):
        for v in obj.equations.diff_eq_names | obj.equations.parameter_names:
            arrays[f'state.{name}.{v}'] = np.asarray(obj.variables[v].get_value()).copy()
        arrays[f'state.{name}.i'] = np.asarray(obj.i[:])
        arrays[f'state.{name}.j'] = np.asarray(obj.j[:])
    elif isinstance(obj, list) and obj and all(np.ndim(x) == 0 for x in obj):
        try:
            arrays[name] = np.asarray([float(x) for x in obj])
        except (TypeError, ValueError):
            pass
    elif isinstance(obj, np.ndarray) and obj.dtype.kind == 'f' and name.endswith('_v'):
        arrays[name] = np.asarray(obj)
np.savez(out, **arrays)
