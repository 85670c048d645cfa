from brian2 import *
stimulus = TimedArray(np.hstack([[c, c, c, 0, 0] for c in np.random.rand(10)]), dt=10*ms)
G = NeuronGroup(10, 'dv/dt = (stimulus(t) - v)/(10*ms) : 1', method='euler')
run(10*ms)
