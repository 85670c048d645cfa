"""
Several runs of one network with changes in between, store and restore:
a spike generator drives a subgroup through delayed synapses, a custom
event, an event monitor, a rate monitor and state monitors; every draw is
Brian2's, so soma must give the same spikes. Spikes are on their way when
runs end (input at 29.5 ms with delays of up to 3 ms, recurrent synapses
with one delay of 1.5 ms), and store() and restore() keep them. The input
synapses come from two connects, so they are not sorted by source.
"""
from brian2 import *

N = 50
tau = 10*ms
Vt = 1.0
eqs = '''
dv/dt = (I - v)/tau : 1 (unless refractory)
I : 1
'''
G = NeuronGroup(N, eqs, threshold='v > Vt', reset='v = 0', refractory=2*ms,
                events={'high': 'v > 0.9*Vt'}, method='exact')
G.v = 'rand()'
G.I = '0.5 + rand()'
inp = SpikeGeneratorGroup(5, [0, 1, 2, 3, 4, 0, 2, 1, 3], [1, 3, 5, 7, 9, 20, 25, 29.5, 49.2]*ms)
S_in = Synapses(inp, G[10:30], 'w : 1', on_pre='v_post += w')
S_in.connect(p=0.5)
S_in.connect(i=[4, 0, 2], j=[3, 3, 17])  # not in source order: soma keeps Brian2's numbering
S_in.w = 'rand()*0.5'
S_in.delay = 'rand()*3*ms'
S_rec = Synapses(G[:25], G, on_pre='v_post += 0.05', delay=1.5*ms)
S_rec.connect(condition='i != j', p=0.1)

spikes = SpikeMonitor(G)
high = EventMonitor(G, 'high')
rate = PopulationRateMonitor(G)
trace = StateMonitor(G, ['v', 'I'], record=[0, 15, 40])
sub_spikes = SpikeMonitor(G[10:30])
# Before the synaptic effects of the step (order=), not after them.
before_syn = StateMonitor(G, 'v', record=[15, 20], when='synapses', order=-5)

run(30*ms)
G.I = 'I * 1.1'
tau = 8*ms
run(20*ms)
store('before')
run(10*ms)
first_v = G.v[:].copy()
restore('before')
run(10*ms)
second_v = G.v[:].copy()
run(5*ms, report='text')
