# soma itself fails (an option it refuses): its message must reach Python.
from brian2 import *
import brian2soma
set_device('soma', threads=-3)
G = NeuronGroup(10, 'dv/dt = -v/(10*ms) : 1', threshold='v > 1', reset='v = 0')
run(10*ms)
