"""CPython 3.11: use-after-free of an object's inline attribute values.

Setting an attribute whose name is not in the class's shared keys turns the object's inline values into
a dict (_PyObject_StoreInstanceAttribute -> make_dict_from_instance_attributes -> new_dict). If the dict
free list is empty, new_dict is a GC allocation that can run a collection; a weakref callback run by
that collection sets an attribute on the same object, which builds a second dict from the same values
and frees them when it resizes. The outer call then installs its dict over freed values: the callback's
attribute is lost, and the next write to the object reads and frees the freed block again.
Python 3.12 and later run the collector only at safe points (the eval breaker) and are not affected.
"""
import gc
import sys
import weakref


class State:
    def on_target_gone(self, ref):
        self.late_attribute = None          # a name that is not in the shared keys either


class Target:
    pass


filler = State()                            # fill the class's shared keys
filler.ref = None
filler.attr_0 = 0
for n in range(1, 40):
    setattr(filler, f"attr_{n}", n)

lost = 0
for attempt in range(200):
    state = State()
    state.attr_0 = 0                        # inline values, keys shared with the class
    target = Target()
    target.self = target                    # only the cycle collector can free it
    state.ref = weakref.ref(target, state.on_target_gone)
    del target
    drained = [{} for _ in range(100)]      # empty the dict free list: the next dict is a GC allocation
    gc.set_threshold(1)                     # ... and that allocation runs a collection
    state.not_shared = 1                    # no room in the shared keys: values become a dict
    gc.set_threshold(700)
    gc.collect()
    if "late_attribute" not in vars(state):
        lost += 1
    state.more = [attempt]                  # writes to the dict built over the freed values
print(f"Python {sys.version.split()[0]}: the callback's attribute was lost {lost} times in 200")
sys.exit(1 if lost else 0)
