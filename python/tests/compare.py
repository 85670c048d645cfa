"""Compares what run_example.py saved for the runtime device and for soma.

    python3 compare.py exact|stat RUNTIME.npz SOMA.npz

exact: spike and event monitors (t, i, count) and connectivity must be
identical, floating-point arrays equal to 1e-6 of their scale.
stat: spike counts of each monitor within 6 standard deviations (Poisson)
plus 10 %, and the means of floating-point arrays within 15 % of their
spread (or of their size when they do not spread); final states of fewer than
100 elements are not compared.
Prints one line per comparison; exits 1 if any fails.
"""
import sys

import numpy as np

mode, fa, fb = sys.argv[1:4]
a, b = np.load(fa), np.load(fb)
failed = []


def report(ok, key, text):
    print(f"{'ok  ' if ok else 'FAIL'} {key}: {text}")
    if not ok:
        failed.append(key)


for key in a.files:
    if key == '_wall':
        continue
    if key not in b.files:
        report(False, key, 'missing from the soma run')
        continue
    x, y = a[key], b[key]
    integer = x.dtype.kind in 'iub'
    if mode == 'exact':
        if x.shape != y.shape:
            report(False, key, f'shape {x.shape} vs {y.shape}')
        elif integer or key.endswith('.t'):
            report(np.array_equal(x, y), key, f'{x.size} values identical' if np.array_equal(x, y) else 'differ')
        else:
            scale = np.nanmax(np.abs(x)) if x.size else 0.0
            d = np.nanmax(np.abs(x - y)) if x.size else 0.0
            report(d <= 1e-6 * scale + 1e-12, key, f'max difference {d:.3g} (scale {scale:.3g})')
        continue
    # statistical
    if key.endswith('.count'):
        na, nb = x.sum(), y.sum()
        tol = 6 * np.sqrt(max(na, 1)) + 0.1 * na
        report(abs(na - nb) <= tol, key, f'{na} vs {nb} events (tolerance {tol:.0f})')
    elif key.startswith('state.') and x.size < 100:
        continue  # the final state of a few neurons is one draw of the noise
    elif key.endswith('.t') or key.endswith('.i') or key.endswith('.j') or integer:
        continue
    elif x.size and y.size:
        ma, mb = np.nanmean(x), np.nanmean(y)
        spread = max(np.nanstd(x), np.nanstd(y))
        tol = 0.15 * (spread if spread > 0 else abs(ma)) + 1e-12
        report(abs(ma - mb) <= tol, key, f'mean {ma:.4g} vs {mb:.4g} (tolerance {tol:.3g})')
sys.exit(1 if failed else 0)
