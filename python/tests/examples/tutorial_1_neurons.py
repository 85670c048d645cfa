"""
Introduction to Brian part 1: Neurons (Brian2's tutorial), its
simulations one after another; every monitor has its own name.
"""
from brian2 import *

# The simplest model
start_scope()
tau = 10*ms
eqs = '''
dv/dt = (1-v)/tau : 1
'''
G = NeuronGroup(1, eqs, method='exact')
M1 = StateMonitor(G, 'v', record=0)
run(30*ms)

# A time-dependent input
start_scope()
tau = 10*ms
eqs = '''
dv/dt = (sin(2*pi*100*Hz*t)-v)/tau : 1
'''
G = NeuronGroup(1, eqs, method='euler')
M2 = StateMonitor(G, 'v', record=0)
G.v = 5 # initial value
run(60*ms)

# Adding spikes
start_scope()
tau = 10*ms
eqs = '''
dv/dt = (1-v)/tau : 1
'''
G = NeuronGroup(1, eqs, threshold='v>0.8', reset='v = 0', method='exact')
M3 = StateMonitor(G, 'v', record=0)
spikemon3 = SpikeMonitor(G)
run(50*ms)

# Refractoriness
start_scope()
tau = 10*ms
eqs = '''
dv/dt = (1-v)/tau : 1 (unless refractory)
'''
G = NeuronGroup(1, eqs, threshold='v>0.8', reset='v = 0', refractory=5*ms, method='exact')
statemon4 = StateMonitor(G, 'v', record=0)
spikemon4 = SpikeMonitor(G)
run(50*ms)

# Multiple neurons
start_scope()
N = 100
tau = 10*ms
eqs = '''
dv/dt = (2-v)/tau : 1
'''
G = NeuronGroup(N, eqs, threshold='v>1', reset='v=0', method='exact')
G.v = 'rand()'
spikemon5 = SpikeMonitor(G)
run(50*ms)

# Parameters
start_scope()
N = 100
tau = 10*ms
v0_max = 3.
duration = 1000*ms
eqs = '''
dv/dt = (v0-v)/tau : 1 (unless refractory)
v0 : 1
'''
G = NeuronGroup(N, eqs, threshold='v>1', reset='v=0', refractory=5*ms, method='exact')
M6 = SpikeMonitor(G)
G.v0 = 'i*v0_max/(N-1)'
run(duration)
