"""
PoissonInput: many independent Poisson inputs to each neuron, added to a
variable without creating synapses; also a PoissonGroup with a rate
expression of i driving a second group through synapses.
"""
from brian2 import *

N = 100
tau = 10*ms
G = NeuronGroup(N, 'dv/dt = -v/tau : volt', threshold='v > 10*mV',
                reset='v = 0*mV', method='exact')
inp = PoissonInput(G, 'v', N=1000, rate=5*Hz, weight=0.15*mV)
spikes = SpikeMonitor(G)
rate = PopulationRateMonitor(G)
vm = StateMonitor(G, 'v', record=range(0, N, 10))

P = PoissonGroup(200, rates='5*Hz + 20*Hz*i/200')
H = NeuronGroup(10, 'dv/dt = -v/tau : volt', threshold='v > 5*mV',
                reset='v = 0*mV', method='exact')
S = Synapses(P, H, on_pre='v_post += 0.5*mV')
S.connect(p=0.5)
p_spikes = SpikeMonitor(P)
h_spikes = SpikeMonitor(H)
run(1*second)
