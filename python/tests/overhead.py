"""Measures the soma device's overhead and speed.

    python3 overhead.py overhead            # per-run costs on a tiny network
    python3 overhead.py cuba DURATION_S [THREADS]  # CUBA 4000: whole run() on soma
    python3 overhead.py cpp DURATION_S DIR  # the same with Brian2's cpp_standalone

Prints one line per measurement.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from brian2 import *  # noqa: E402,F401,F403

what = sys.argv[1]


def cuba(duration):
    taum, taue, taui = 20*ms, 5*ms, 10*ms
    Vt, Vr, El = -50*mV, -60*mV, -49*mV
    eqs = '''
    dv/dt  = (ge+gi-(v-El))/taum : volt (unless refractory)
    dge/dt = -ge/taue : volt
    dgi/dt = -gi/taui : volt
    '''
    P = NeuronGroup(4000, eqs, threshold='v>Vt', reset='v = Vr', refractory=5*ms, method='exact')
    P.v = 'Vr + rand() * (Vt - Vr)'
    we = (60*0.27/10)*mV
    wi = (-20*4.5/10)*mV
    Ce = Synapses(P, P, on_pre='ge += we')
    Ci = Synapses(P, P, on_pre='gi += wi')
    Ce.connect('i<3200', p=0.02)
    Ci.connect('i>=3200', p=0.02)
    s_mon = SpikeMonitor(P)
    start = time.time()
    run(duration)
    return time.time() - start, s_mon.num_spikes


if what == 'overhead':
    import brian2soma
    set_device('soma')
    G = NeuronGroup(1, 'dv/dt = -v/(10*ms) : 1', threshold='v > 1', reset='v = 0')
    M = SpikeMonitor(G)
    for k in range(12):
        run(1*ms)
    runs = brian2soma.soma_device.runs[2:]
    for key in ('export_s', 'soma_s', 'load_s', 'total_s'):
        vals = sorted(r[key] for r in runs)
        print(f'{key} median {vals[len(vals)//2]*1e3:.1f} ms (min {vals[0]*1e3:.1f} ms)')
elif what == 'cuba':
    import brian2soma
    set_device('soma', **({'threads': int(sys.argv[3])} if len(sys.argv) > 3 else {}))
    seed(1)
    wall, n = cuba(float(sys.argv[2])*second)
    r = brian2soma.soma_device.runs[-1]
    print(f'soma device: run() {wall:.2f} s (export {r["export_s"]:.2f} s, soma {r["soma_s"]:.2f} s, '
          f'load {r["load_s"]:.2f} s), {n} spikes')
elif what == 'cpp':
    set_device('cpp_standalone', directory=sys.argv[3])
    prefs.devices.cpp_standalone.openmp_threads = 0
    seed(1)
    wall, n = cuba(float(sys.argv[2])*second)
    print(f'cpp_standalone: run() {wall:.2f} s including code generation and compilation, '
          f'of which the simulation {device._last_run_time:.2f} s, {n} spikes')
