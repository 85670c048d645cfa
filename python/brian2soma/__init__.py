"""A Brian2 device that runs networks with soma.

    import brian2soma
    set_device('soma')            # or set_device('soma', threads=4, directory='out', keep=True)

Brian2 builds the network as usual (connectivity, initial values and random
draws are Brian2's own); each run() writes the network as a soma model file
with .npz arrays of its state and connectivity, runs the soma binary and
loads the results back into Brian2's objects.
"""

from brian2.devices.device import all_devices

from .device import SomaDevice, SomaError

__all__ = ['SomaDevice', 'SomaError', 'soma_device']

soma_device = SomaDevice()
all_devices['soma'] = soma_device
