from brian2 import *
G = NeuronGroup(10, 'dv/dt = -v/(10*ms) : 1')
G.run_regularly('v = rand()', dt=1*ms)
run(10*ms)
