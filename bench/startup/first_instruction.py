#!/usr/bin/env python3
"""Time from process start to a guest's first instruction, with and without the compilation cache.

The module is copied with a probe prepended to its exported `_start`: its first instructions write one
byte ("X") to stdout with WASI fd_write, then call proc_exit(0). The time from spawning `ironwasm run`
to reading that byte is the time to the guest's first instruction (plus one host call); what comes after
(exit, teardown) is not timed. Three ways to start, alternating so that machine load affects all alike:
  cold    `run --no-cache`: decode, validate, compile lazily (only what runs before the first instruction)
  miss    `run` with an empty cache directory: the CLI's default first run of a module, which compiles the
          whole module into a cache entry, stores it and runs from it
  cached  `run` with a cache directory primed with the probe module beforehand (a hit)

    first_instruction.py IRONWASM MODULE.wasm [--runs N] [--label TEXT]
    first_instruction.py IRONWASM MODULE.wasm --against OTHER_IRONWASM [--runs N]

Prints a Markdown table row per variant and the ratios of the medians. With --against, two builds
(OTHER first, as "before") are timed in the same run, cold and cached, all four rotating, each build
with its own cache directory. Python 3 standard library only.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def read_u32(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def u32(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def s32(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def read_name(data, pos):
    length, pos = read_u32(data, pos)
    return data[pos:pos + length].decode(), pos + length


def skip_limits(data, pos):
    flags = data[pos]
    _, pos = read_u32(data, pos + 1)
    if flags & 1:
        _, pos = read_u32(data, pos)
    return pos


def probe(source, destination):
    """Writes `source` with "write X to stdout, proc_exit(0)" at the start of its exported _start."""
    data = open(source, 'rb').read()
    if data[:8] != b'\0asm\1\0\0\0':
        sys.exit(f'{source}: not a WebAssembly binary')
    sections, pos = [], 8
    while pos < len(data):
        size, body = read_u32(data, pos + 1)
        sections.append((data[pos], data[body:body + size]))
        pos = body + size
    imported, wasi, start = 0, {}, None
    for section_id, body in sections:
        if section_id == 2:
            count, p = read_u32(body, 0)
            for _ in range(count):
                module, p = read_name(body, p)
                field, p = read_name(body, p)
                kind = body[p]
                p += 1
                if kind == 0:
                    if module == 'wasi_snapshot_preview1':
                        wasi[field] = imported
                    imported += 1
                    _, p = read_u32(body, p)
                elif kind == 1:
                    p = skip_limits(body, p + 1)
                elif kind == 2:
                    p = skip_limits(body, p)
                else:
                    p += 2
        elif section_id == 7:
            count, p = read_u32(body, 0)
            for _ in range(count):
                field, p = read_name(body, p)
                kind = body[p]
                index, p = read_u32(body, p + 1)
                if kind == 0 and field == '_start':
                    start = index
    if start is None or 'fd_write' not in wasi or 'proc_exit' not in wasi:
        sys.exit(f'{source}: needs a _start export and fd_write and proc_exit imports')

    def const(value):
        return b'\x41' + s32(value)

    # Addresses 0..12 lie below the data of a clang-built module; the guest exits right after.
    code = (const(0) + const(8) + b'\x36\x02\x00'        # iovec.buf = 8
            + const(4) + const(1) + b'\x36\x02\x00'      # iovec.len = 1
            + const(8) + const(ord('X')) + b'\x3a\x00\x00'
            + const(1) + const(0) + const(1) + const(12) + b'\x10' + u32(wasi['fd_write']) + b'\x1a'
            + const(0) + b'\x10' + u32(wasi['proc_exit']))
    out = bytearray(data[:8])
    for section_id, body in sections:
        if section_id == 10:
            count, p = read_u32(body, 0)
            rebuilt = bytearray(u32(count))
            for i in range(count):
                size, q = read_u32(body, p)
                function = body[q:q + size]
                p = q + size
                if i == start - imported:
                    groups, r = read_u32(function, 0)
                    for _ in range(groups):
                        _, r = read_u32(function, r)
                        r += 1
                    function = function[:r] + code + function[r:]
                rebuilt += u32(len(function)) + function
            body = bytes(rebuilt)
        out += bytes([section_id]) + u32(len(body)) + body
    open(destination, 'wb').write(out)


def time_to_first_byte(command, env):
    start = time.perf_counter_ns()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    first = process.stdout.read(1)
    elapsed = time.perf_counter_ns() - start
    rest, errors = process.communicate()
    if first + rest != b'X' or process.returncode != 0:
        sys.exit(f'{" ".join(command)}: printed {first + rest!r}, status {process.returncode}: {errors.decode(errors="replace")}')
    return elapsed / 1e6


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('ironwasm')
    parser.add_argument('module')
    parser.add_argument('--runs', type=int, default=21)
    parser.add_argument('--label', default='')
    parser.add_argument('--against', help='a second ironwasm ("before") timed in the same run')
    args = parser.parse_args()
    if args.against:
        return compare(args)

    work = tempfile.mkdtemp(prefix='ironwasm-first-instruction-')
    try:
        module = os.path.join(work, os.path.basename(args.module))
        probe(args.module, module)
        env = dict(os.environ, IRONWASM_CACHE_DIR=os.path.join(work, 'cache'))
        empty_cache = os.path.join(work, 'empty-cache')
        miss_env = dict(os.environ, IRONWASM_CACHE_DIR=empty_cache)
        commands = {'cold': ([args.ironwasm, 'run', '--no-cache', module], env),
                    'miss': ([args.ironwasm, 'run', module], miss_env),
                    'cached': ([args.ironwasm, 'run', module], env)}
        prime = subprocess.run([args.ironwasm, 'run', '--verbose', module], capture_output=True, env=env)
        if b'compiled and stored' not in prime.stderr:
            sys.exit(f'priming the cache failed: {prime.stderr.decode(errors="replace")}')
        times = {name: [] for name in commands}
        names = list(commands)
        for run in range(args.runs):
            k = run % len(names)
            for name in names[k:] + names[:k]:
                if name == 'miss':
                    shutil.rmtree(empty_cache, ignore_errors=True)
                command, run_env = commands[name]
                times[name].append(time_to_first_byte(command, run_env))
        check = subprocess.run([args.ironwasm, 'run', '--verbose', module], capture_output=True, env=env)
        if b'cache hit' not in check.stderr:
            sys.exit(f'the cached runs did not hit the cache: {check.stderr.decode(errors="replace")}')
        shutil.rmtree(empty_cache, ignore_errors=True)
        check = subprocess.run([args.ironwasm, 'run', '--verbose', module], capture_output=True, env=miss_env)
        if b'compiled and stored' not in check.stderr:
            sys.exit(f'a run with an empty cache did not compile and store: {check.stderr.decode(errors="replace")}')
        median = {name: statistics.median(values) for name, values in times.items()}
        fastest = {name: min(values) for name, values in times.items()}
        label = f'{args.label} ' if args.label else ''
        print(f'| {label}cold (`run --no-cache`, lazy compilation) | {median["cold"]:.1f} | {fastest["cold"]:.1f} |')
        print(f'| {label}cold, cache miss (`run`, empty cache: compile all, store) | {median["miss"]:.1f} | {fastest["miss"]:.1f} |')
        print(f'| {label}cached (`run`, cache hit) | {median["cached"]:.1f} | {fastest["cached"]:.1f} |')
        print(f'| {label}**cached / cache miss** | **{median["cached"] / median["miss"]:.2f}** | {fastest["cached"] / fastest["miss"]:.2f} |')
        print(f'| {label}**cached / cold (`--no-cache`)** | **{median["cached"] / median["cold"]:.2f}** | {fastest["cached"] / fastest["cold"]:.2f} |')
        print(f'\n{args.runs} runs of each, rotating; load average {" ".join(open("/proc/loadavg").read().split()[:3])}')
    finally:
        shutil.rmtree(work, ignore_errors=True)


def compare(args):
    work = tempfile.mkdtemp(prefix='ironwasm-first-instruction-')
    try:
        module = os.path.join(work, os.path.basename(args.module))
        probe(args.module, module)
        builds = {'before': args.against, 'after': args.ironwasm}
        envs = {name: dict(os.environ, IRONWASM_CACHE_DIR=os.path.join(work, 'cache-' + name)) for name in builds}
        for name, cli in builds.items():
            subprocess.run([cli, 'run', module], capture_output=True, env=envs[name])
        variants = [(name, mode) for name in builds for mode in ('cold', 'cached')]
        times = {variant: [] for variant in variants}
        for run in range(args.runs):
            k = run % len(variants)
            for name, mode in variants[k:] + variants[:k]:
                command = [builds[name], 'run'] + (['--no-cache'] if mode == 'cold' else []) + [module]
                times[(name, mode)].append(time_to_first_byte(command, envs[name]))
        print('| build | cold: median (fastest), ms | cached: median (fastest), ms | cached / cold |')
        print('| --- | ---: | ---: | ---: |')
        for name in builds:
            cold, cached = times[(name, 'cold')], times[(name, 'cached')]
            print(f'| {name} | {statistics.median(cold):.1f} ({min(cold):.1f}) | {statistics.median(cached):.1f} ({min(cached):.1f}) '
                  f'| {statistics.median(cached) / statistics.median(cold):.2f} |')
        print(f'\n{args.runs} runs of each, rotating; load average {" ".join(open("/proc/loadavg").read().split()[:3])}')
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
