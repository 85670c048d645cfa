"""The soma device: Brian2's runtime device whose run() runs soma."""

import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

from brian2 import second, EventMonitor, StateMonitor, PopulationRateMonitor
from brian2.core.namespace import get_local_namespace
from brian2.devices.device import RuntimeDevice
from brian2.units.fundamentalunits import Quantity

from brian2.utils.logger import get_logger

from .export import Exporter, set_queue_spikes

logger = get_logger('brian2.devices.soma')

OPTIONS = ('binary', 'threads', 'directory', 'keep', 'seed')


class SomaError(RuntimeError):
    """soma could not run the exported model; the message is soma's."""


def _checkout_binary():
    """Builds soma from the checkout this package lies in, once."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if not os.path.exists(os.path.join(root, 'cmd', 'soma')) or shutil.which('go') is None:
        return None
    out = os.path.join(tempfile.gettempdir(), f'brian2soma-{os.getuid()}', 'soma')
    os.makedirs(os.path.dirname(out), exist_ok=True)
    subprocess.run(['go', 'build', '-o', out, './cmd/soma'], cwd=root, check=True)
    return out


class SomaDevice(RuntimeDevice):
    """Brian2 builds the network as usual; run() exports it, runs soma and
    loads the results back.

    Options of set_device('soma', ...):
      binary     the soma executable (default: $SOMA_BINARY, `soma` on the
                 PATH, or built from the checkout with go)
      threads    soma run --threads (default: soma's choice)
      directory  where the model files and results go (default: a
                 temporary folder, removed after each run)
      keep       keep the files of each run (default: False; True when
                 directory is given)
      seed       the seed of soma's random numbers (default: drawn from
                 numpy's generator, so Brian2's seed() makes runs repeatable)
    """

    def __init__(self):
        super().__init__()
        self.options = {}
        self.runs = []  # per run: folder and timings (export, soma, load)
        self._binary = None

    def activate(self, build_on_run=True, **kwargs):
        unknown = set(kwargs) - set(OPTIONS)
        if unknown:
            raise TypeError(f"unknown option(s) of the soma device: {', '.join(sorted(unknown))} "
                            f"(known: {', '.join(OPTIONS)})")
        super().activate(build_on_run=build_on_run, **kwargs)
        self.options = dict(kwargs)

    def binary(self):
        b = self.options.get('binary') or os.environ.get('SOMA_BINARY') or shutil.which('soma')
        if b:
            return b
        if self._binary is None:
            self._binary = _checkout_binary()
        if self._binary is None:
            raise SomaError("no soma binary: pass set_device('soma', binary=PATH), set "
                            "SOMA_BINARY or put soma on the PATH")
        return self._binary

    def _draw_seed(self, t0):
        # A seed from numpy's generator (which Brian2's seed() sets),
        # without advancing it: the draws Brian2 makes after the run stay
        # those of the runtime device.
        rs = np.random.RandomState()
        rs.set_state(np.random.get_state())
        base = int(rs.randint(0, 2 ** 31 - 1))
        return (base * 1000003 + len(self.runs) * 7919 + int(round(t0 * 1e6))) % (2 ** 63)

    def network_run(self, net, duration, report=None, report_period=10 * second,
                    namespace=None, profile=None, level=0):
        start = time.time()
        duration = float(duration)
        if namespace is None:
            namespace = get_local_namespace(level=level + 2)
        objects = [obj for obj in net.sorted_objects]
        from brian2 import defaultclock
        dt = float(defaultclock.dt_)
        t0 = float(net.t_)
        seed = self.options.get('seed')
        if seed is None:
            seed = self._draw_seed(t0)
        directory = self.options.get('directory')
        keep = self.options.get('keep', directory is not None)
        if directory is None:
            base = tempfile.mkdtemp(prefix='brian2soma-')
        else:
            base = os.path.abspath(directory)
        folder = os.path.join(base, f'run{len(self.runs)}')
        if os.path.exists(folder):
            shutil.rmtree(folder)
        report_cb = _report_callback(report)
        exporter = Exporter(net, objects, namespace, folder, t0, duration, dt, seed)
        try:
            path = exporter.export()
            t_export = time.time()
            if report_cb:
                report_cb(0 * second, 0.0, t0 * second, duration * second)
            out = os.path.join(folder, 'results')
            # --no-store: the runs of a script are not soma's own runs to record.
            cmd = [self.binary(), 'run', path, '--out', out, '--quiet', '--no-store']
            if self.options.get('threads'):
                cmd += ['--threads', str(int(self.options['threads']))]
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=folder)
            t_soma = time.time()
            if proc.returncode != 0:
                msg = (proc.stderr.strip() or proc.stdout.strip() or f'soma exited with status {proc.returncode}')
                raise SomaError(msg)
            self._load(net, exporter, out, t0, duration)
            t_load = time.time()
        finally:
            if not keep:
                shutil.rmtree(base if directory is None else folder, ignore_errors=True)
        info = {'folder': folder if keep else None, 'export_s': t_export - start,
                'soma_s': t_soma - t_export, 'load_s': t_load - t_soma,
                'total_s': t_load - start}
        self.runs.append(info)
        self._last_run_time = t_soma - t_export
        self._last_run_completed_fraction = 1.0
        if report_cb:
            report_cb((t_load - start) * second, 1.0, t0 * second, duration * second)

    def _load(self, net, exporter, out, t0, duration):
        for name, saved in exporter.saved.items():
            z = np.load(os.path.join(out, f'{name}.npz'))
            for var_name, var, shift in saved:
                values = z[var_name] + shift
                target = var.get_value()
                if var.scalar:
                    target[...] = values.reshape(-1)[0] if values.size else target
                else:
                    target[:] = values.astype(target.dtype)
        for name, S in exporter.in_flight.items():
            z = np.load(os.path.join(out, f'{name}.npz'))
            for p in S._pathways:
                key = f'{p.objname}_in_flight'
                set_queue_spikes(p.queue, z[key], z[key + '_steps'], float(p.source.clock.dt_))
        for M in exporter.monitor_objects:
            z = np.load(os.path.join(out, f'{M.name}.npz'))
            dt = float(M.clock.dt_)

            def shifted(t):
                return (np.round(t / dt) + int(round(t0 / dt))) * dt
            if isinstance(M, StateMonitor):
                t = shifted(z['t'])
                old = int(M.variables['N'].get_value())
                M.resize(old + len(t))
                M.variables['t'].get_value()[old:] = t
                for v in M.record_variables:
                    values = z[v].T
                    if v in ('lastspike', 'lastupdate'):
                        values = values + t0
                    M.variables[v].get_value()[old:, :] = values
            elif isinstance(M, PopulationRateMonitor):
                t = shifted(z['t'])
                old = int(M.variables['N'].get_value())
                M.resize(old + len(t))
                M.variables['N'].set_value(old + len(t))
                M.variables['t'].get_value()[old:] = t
                M.variables['rate'].get_value()[old:] = z['rate']
            elif isinstance(M, EventMonitor):
                i = z['i']
                count = M.variables['count'].get_value()
                count += np.bincount(i, minlength=len(count)).astype(count.dtype)[:len(count)]
                if not M.record:
                    continue
                old = int(M.variables['N'].get_value())
                M.resize(old + len(i))
                M.variables['N'].set_value(old + len(i))
                M.variables['t'].get_value()[old:] = shifted(z['t'])
                M.variables['i'].get_value()[old:] = i
                for v in M.record_variables - {'t', 'i'}:
                    values = z[v]
                    if v in ('lastspike', 'lastupdate'):
                        values = values + t0
                    M.variables[v].get_value()[old:] = values
        t_end = t0 + duration
        net.t_ = t_end  # as Brian2 sets it after a run
        for obj in net.sorted_objects:
            clock = obj.clock
            clock._set_t_update_dt(target_t=Quantity(t_end, dim=second.dim))


def _report_callback(report):
    if report is None:
        return None
    from brian2.core.network import TextReport
    if report in ('text', 'stdout'):
        return TextReport(sys.stdout)
    if report == 'stderr':
        return TextReport(sys.stderr)
    if isinstance(report, str):
        raise ValueError(f'Do not know how to handle report argument "{report}".')
    if callable(report):
        return report
    raise TypeError('report must be None, a string or a callable')
