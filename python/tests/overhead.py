"""Measures the soma device's overhead and speed.

    python3 overhead.py overhead            # per-run costs on a tiny network
    python3 overhead.py cuba DURATION_S [THREADS]  # CUBA 4000: whole run() on soma
    python3 overhead.py cpp DURATION_S DIR  # the same with Brian2's cpp_standalone
    python3 overhead.py compare DURATION_S ROUNDS  # both, alternating, one thread each

Prints one line per measurement. compare runs the two in fresh processes,
alternating, each cpp_standalone run in a new folder (so code generation
and compilation count every time), and prints the medians and their ratio.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

from brian2 import *  # noqa: E402,F401,F403

what = sys.argv[1]


def compare(duration, rounds):
    import re
    import statistics
    import subprocess
    import tempfile
    times = {'soma': [], 'cpp': []}
    for k in range(rounds):
        for name in ('soma', 'cpp'):
            with tempfile.TemporaryDirectory() as d:
                args = ['cuba', duration, '1'] if name == 'soma' else ['cpp', duration, os.path.join(d, 'cpp')]
                out = subprocess.run([sys.executable, os.path.abspath(__file__)] + args, check=True,
                                     capture_output=True, text=True).stdout
            wall = float(re.search(r'run\(\) ([0-9.]+) s', out).group(1))
            times[name].append(wall)
            print(f'round {k + 1}: {out.strip()}', flush=True)
    soma_s, cpp_s = statistics.median(times['soma']), statistics.median(times['cpp'])
    print(f'medians of {rounds}: soma device run() {soma_s:.2f} s, cpp_standalone run() {cpp_s:.2f} s '
          f'(code generation and compilation included): soma takes {soma_s / cpp_s:.3f} of the time')


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


if what == 'compare':
    compare(sys.argv[2], int(sys.argv[3]))
elif what == 'overhead':
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
