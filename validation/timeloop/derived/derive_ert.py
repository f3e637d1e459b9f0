#!/usr/bin/env python3
"""Derives the energy Timeloop charged per vector access of each level (and per MAC) from a timeloop-mapper
stats file: each level's total energy over its vector accesses (reads, fills and updates of every data space, in
whole blocks), checked against the SPECS section's printed "Vector access energy" (two decimals). Writes an
Accelergy v0.3 ERT (one energy per action: Timeloop v3 charges reads, fills and updates of a level alike).
Usage: derive_ert.py STATS.txt > ERT.yaml"""
import math, re, sys

text = open(sys.argv[1]).read()
sections = re.split(r'\n=== (\S+) ===\n', text)
out = {}
for name, body in zip(sections[1::2], sections[2::2]):
    body = re.split(r"\nLevel |\nNetworks", body)[0]
    if 'Energy-per-op' in body:
        macs = float(re.search(r'MACCs = (\d+)', text).group(1))
        total = float(re.search(r'Energy \(total\)\s*: ([\d.]+) pJ', body).group(1))
        printed = float(re.search(r'Energy-per-op\s*: ([\d.]+) pJ', body).group(1))
        out[name] = ('mac_random', total / macs, printed)
        continue
    printed = float(re.search(r'Vector access energy : ([\d.]+) pJ', body).group(1))
    block = int(re.search(r'Block size\s*: (\d+)', body).group(1))
    vectors = 0.0
    energy = 0.0
    for ds in re.split(r'\n    (?:Weights|Inputs|Outputs):\n', body)[1:]:
        get = lambda k: float((re.search(k + r"\s*: ([\d.]+)", ds) or sys.exit(f"{name}: no {k}")).group(1))
        acc = sum(get(k) for k in (r'Scalar reads \(per-instance\)', r'Scalar fills \(per-instance\)', r'Scalar updates \(per-instance\)'))
        vectors += math.ceil(acc / block)
        energy += get(r'Energy \(per-instance\)')
    derived = energy / vectors if vectors > 0 else printed
    if abs(derived - printed) > 0.005 + 1e-9:
        sys.exit(f'{name}: derived {derived} pJ disagrees with the printed {printed} pJ')
    out[name] = ('storage', derived, printed)

print('# kind: derived. The energy timeloop-mapper charged per vector access (per MAC) in')
print(f'# {sys.argv[1].split("validation/")[-1]}: total energy / vector accesses (printed value in the comment).')
print('ERT:')
print('  version: 0.3')
print('  tables:')
for name, (kind, e, printed) in out.items():
    print(f'  - name: {name}')
    print('    actions:')
    actions = ['mac_random'] if kind == 'mac_random' else ['read', 'write']
    for a in actions:
        print(f'    - name: {a}')
        print(f'      energy: {e:.6f}  # printed {printed:.2f}')
