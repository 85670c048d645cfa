"""
Introduction to Brian part 3: Simulations (Brian2's tutorial), "Adding
input": a TimedArray drives the neuron; then a second run that carries
on where the first stopped (its t shifted), and a 2-D TimedArray (one column per neuron).
"""
from brian2 import *

start_scope()
A = 2.5
f = 10*Hz
tau = 5*ms
# Create a TimedArray and set the equations to use it
t_recorded = arange(int(200*ms/defaultclock.dt))*defaultclock.dt
I_recorded = TimedArray(A*sin(2*pi*f*t_recorded), dt=defaultclock.dt)
eqs = '''
dv/dt = (I-v)/tau : 1
I = I_recorded(t) : 1
'''
G = NeuronGroup(1, eqs, threshold='v>1', reset='v=0', method='exact')
M = StateMonitor(G, variables=True, record=True)
spikes = SpikeMonitor(G)
run(100*ms)
run(100*ms)

# A TimedArray of time and neuron index, with units
start_scope()
stim = TimedArray(np.array([[1, 2, 3], [3, 2, 1], [0, 0, 4]])*nA, dt=5*ms)
H = NeuronGroup(3, '''dv/dt = (R*stim(t, i) - v)/(10*ms) : volt
                     R : ohm''', threshold='v > 10*mV', reset='v = 0*mV', method='euler')
H.R = 5*Mohm
MH = StateMonitor(H, 'v', record=True)
spikes_H = SpikeMonitor(H)
run(20*ms)
