# Runs ZigZag (LOMA, its default temporal-mapping engine) on one accelerator, workload and mapping file and prints one
# JSON object: total and per-layer energy (pJ) and latency (cycles), and the CPU seconds of this process and its
# children. Used by `pnpm bench peers` (scripts/bench-zigzag.ts). argv: zigzag-source accelerator mapping workload opt
# dump-folder. The shims folder beside this file stands in for two packages Debian 12 lacks (see docs/benchmarks.md).
import json
import logging
import os
import pickle
import resource
import sys

source, accelerator, mapping, workload, opt, dump = sys.argv[1:7]
sys.path.insert(0, source)
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'shims'))
logging.disable(logging.WARNING)
from zigzag import api  # noqa: E402

energy, latency, _ = api.get_hardware_performance_zigzag(
    workload=workload,
    accelerator=accelerator,
    mapping=mapping,
    opt=opt,
    dump_folder=dump,
    pickle_filename=os.path.join(dump, 'cmes.pickle'),
    loma_show_progress_bar=False,
)
own = resource.getrusage(resource.RUSAGE_SELF)
children = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(os.path.join(dump, 'cmes.pickle'), 'rb') as f:
    layers = pickle.load(f)
print(json.dumps({
    'energyPj': energy,
    'latencyCycles': latency,
    'cpuSeconds': own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
    'layers': [{'name': str(c.layer.name), 'energyPj': c.energy_total, 'latencyCycles': c.latency_total2} for c in layers],
}))
