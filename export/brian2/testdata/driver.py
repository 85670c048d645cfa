"""Runs exported Brian2 scripts one after another in one Python process,
so that Brian2 is imported once. Each line on stdin is SCRIPT<TAB>OUTDIR;
for each, the script runs as __main__ with --out OUTDIR, and a line
"ok SCRIPT SECONDS" or "failed SCRIPT" goes to stdout (the traceback to
OUTDIR/traceback.txt). Used by the round-trip test of soma's export.
"""
import os
import runpy
import sys
import time
import traceback
import warnings

warnings.filterwarnings('ignore')
import brian2  # noqa: E402,F401  (imported once, for all scripts)

brian2.prefs.codegen.target = 'numpy'
print('ready', flush=True)
for line in sys.stdin:
    line = line.rstrip('\n')
    if not line:
        continue
    script, out = line.split('\t')
    os.makedirs(out, exist_ok=True)
    began = time.time()
    sys.argv = [script, '--out', out, '--target', 'numpy']
    try:
        runpy.run_path(script, run_name='__main__')
    except BaseException:
        with open(os.path.join(out, 'traceback.txt'), 'w') as f:
            traceback.print_exc(file=f)
        print('failed', script, flush=True)
        continue
    print('ok', script, '%.2f' % (time.time() - began), flush=True)
