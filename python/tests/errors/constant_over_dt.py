from brian2 import *
G = NeuronGroup(10, '''dv/dt = (I - v)/(10*ms) : 1
                       I = rand() : 1 (constant over dt)''', threshold='v > 1', reset='v = 0', method='euler')
run(10*ms)
