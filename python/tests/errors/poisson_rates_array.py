from brian2 import *
P = PoissonGroup(10, rates=np.arange(10)*Hz)
M = SpikeMonitor(P)
run(10*ms)
