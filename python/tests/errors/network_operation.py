from brian2 import *
G = NeuronGroup(10, 'dv/dt = -v/(10*ms) : 1')
@network_operation(dt=1*ms)
def change():
    G.v += 0.1
run(10*ms)
