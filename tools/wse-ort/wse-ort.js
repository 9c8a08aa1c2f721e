#!/usr/bin/env node
// wse-ort: runs an ONNX model on ONNX Runtime (CPU) with .npy inputs and
// writes every output as NAME.npy: the independent oracle for the compiler
// and the CPU baseline for the benchmarks (docs/ort.md).
//
//   wse-ort MODEL.onnx --input NAME=FILE.npy ... [--out DIR] [--threads N]
//           [--time R] [--quiet]
//   wse-ort --batch FILE   one run per line of FILE, each a JSON array of the
//                          arguments above; prints one JSON result per line
//
// ONNX Runtime comes from the npm package onnxruntime-node, which
// scripts/setup.sh installs into third_party/ort ($WSE_ORT_DIR overrides).
'use strict';
const fs = require('fs');
const path = require('path');

const USAGE = 'usage: wse-ort MODEL.onnx --input NAME=FILE.npy ... ' +
    '[--out DIR] [--threads N] [--time R] [--quiet] | wse-ort --batch FILE';

const fail = (msg) => { throw new Error(msg); };

// ---------------------------------------------------------------- .npy files
// numpy's descr (little-endian or byte-sized) <-> ONNX Runtime tensor type.
const DTYPES = {
  '<f4': ['float32', Float32Array], '<f8': ['float64', Float64Array],
  '<f2': ['float16', Uint16Array], '|i1': ['int8', Int8Array],
  '|u1': ['uint8', Uint8Array], '<i2': ['int16', Int16Array],
  '<u2': ['uint16', Uint16Array], '<i4': ['int32', Int32Array],
  '<u4': ['uint32', Uint32Array], '<i8': ['int64', BigInt64Array],
  '<u8': ['uint64', BigUint64Array], '|b1': ['bool', Uint8Array],
};
const DESCR = {};
for (const [d, [t]] of Object.entries(DTYPES)) DESCR[t] = d;

// Returns {type, dims, data} ready for an ort.Tensor.
function readNpy(file) {
  let buf;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    fail(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  const bad = (why) => fail(`${file} is not a readable .npy file: ${why}`);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY')
    bad('no .npy magic');
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', start, start + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !shape) bad('header without descr or shape');
  if (/'fortran_order':\s*True/.test(header)) bad('Fortran order');
  // numpy writes '<i1'/'=f4' style variants too; normalize byte-sized ones.
  let d = descr[1].replace(/^[<=](?=[iub]1$)/, '|').replace(/^=/, '<');
  const dims = shape[1].split(',').filter((s) => s.trim()).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const offset = start + hlen;
  if (/^<U\d+$/.test(d)) {  // fixed-width UTF-32 strings
    const width = Number(d.slice(2));
    if (buf.length - offset < count * width * 4) bad('truncated data');
    const data = [];
    for (let i = 0; i < count; i++) {
      let s = '';
      for (let j = 0; j < width; j++) {
        const c = buf.readUInt32LE(offset + (i * width + j) * 4);
        if (c === 0) break;
        s += String.fromCodePoint(c);
      }
      data.push(s);
    }
    return {type: 'string', dims, data};
  }
  if (!DTYPES[d]) bad(`unsupported dtype '${descr[1]}'`);
  const [type, Array_] = DTYPES[d];
  const bytes = count * Array_.BYTES_PER_ELEMENT;
  if (buf.length - offset < bytes) bad('truncated data');
  // Copy: the header length leaves the data unaligned for typed arrays.
  const data = new Array_(buf.buffer.slice(buf.byteOffset + offset,
                                           buf.byteOffset + offset + bytes));
  return {type, dims, data};
}

function writeNpy(file, type, dims, data) {
  let descr = DESCR[type];
  let body;
  if (type === 'string') {
    const width = Math.max(1, ...data.map((s) => [...s].length));
    descr = `<U${width}`;
    body = Buffer.alloc(data.length * width * 4);
    data.forEach((s, i) => [...s].forEach((c, j) =>
      body.writeUInt32LE(c.codePointAt(0), (i * width + j) * 4)));
  } else if (descr) {
    body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  } else {
    fail(`output type ${type} has no .npy form`);
  }
  const shape = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Version 1.0: the data starts at a multiple of 64 bytes, as numpy writes it.
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1');
  pre[6] = 1;
  pre.writeUInt16LE(header.length, 8);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'), body]));
}

// ------------------------------------------------------------------ options
function parseArgs(argv) {
  const o = {inputs: [], out: '.', threads: 1, time: 0, quiet: false};
  const value = (i) => {
    if (i + 1 >= argv.length) fail(`${argv[i]} needs a value\n${USAGE}`);
    return argv[i + 1];
  };
  const count = (flag, s) => {
    if (!/^[1-9]\d*$/.test(s)) fail(`${flag} takes a positive integer, not '${s}'`);
    return Number(s);
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--input') {
      const s = value(i++);
      const eq = s.indexOf('=');
      if (eq <= 0) fail(`--input takes NAME=FILE.npy, not '${s}'`);
      o.inputs.push([s.slice(0, eq), s.slice(eq + 1)]);
    } else if (a === '--out' || a === '-o') {
      o.out = value(i++);
    } else if (a === '--threads') {
      o.threads = count(a, value(i++));
    } else if (a === '--time') {
      o.time = count(a, value(i++));
    } else if (a === '--quiet') {
      o.quiet = true;
    } else if (a === '--batch') {
      o.batch = value(i++);
    } else if (a === '-h' || a === '--help') {
      o.help = true;
    } else if (a.startsWith('-')) {
      fail(`unknown option ${a}\n${USAGE}`);
    } else if (o.model) {
      fail(`one model only, got '${o.model}' and '${a}'`);
    } else {
      o.model = a;
    }
  }
  if (!o.model && !o.batch && !o.help) fail(`no model given\n${USAGE}`);
  return o;
}

// -------------------------------------------------------------- ONNX Runtime
let ortModule;
function ort() {
  if (!ortModule) {
    const dir = process.env.WSE_ORT_DIR ||
        path.join(__dirname, '..', '..', 'third_party', 'ort');
    const pkg = path.join(dir, 'node_modules', 'onnxruntime-node');
    if (!fs.existsSync(pkg))
      fail(`ONNX Runtime is not installed in ${dir}: run scripts/setup.sh`);
    ortModule = require(pkg);
  }
  return ortModule;
}

// File names from output names: ONNX allows '/' and ':' in names.
const fileName = (name) => name.replace(/[^A-Za-z0-9._-]/g, '_') + '.npy';

async function runOne(o, log) {
  const model = path.resolve(o.model);
  if (!fs.existsSync(model)) fail(`no such model file: ${o.model}`);
  const {InferenceSession, Tensor} = ort();
  let session;
  try {
    // Sequential execution: --threads alone sets the parallelism. Warnings
    // (unused initializers and the like) are not ours to print; errors
    // arrive as exceptions.
    session = await InferenceSession.create(model, {
      intraOpNumThreads: o.threads, interOpNumThreads: 1,
      executionMode: 'sequential', executionProviders: ['cpu'],
      logSeverityLevel: 3});
  } catch (e) {
    fail(`ONNX Runtime cannot load ${o.model}: ${e.message}`);
  }
  const meta = new Map(session.inputMetadata.map((m) => [m.name, m]));
  const feeds = {};
  for (const [name, file] of o.inputs) {
    const m = meta.get(name);
    if (!m)
      fail(`the model has no input '${name}' (its inputs: ${session.inputNames.join(', ')})`);
    if (feeds[name]) fail(`input '${name}' given twice`);
    const t = readNpy(file);
    if (m.isTensor && t.type !== m.type)
      fail(`input '${name}': ${file} holds ${t.type}, the model wants ${m.type}`);
    // Symbolic dimensions (strings) take any size.
    const want = (m.shape || []).map((d) => (typeof d === 'number' && d >= 0 ? d : '?'));
    if (m.shape && (want.length !== t.dims.length ||
                    want.some((d, k) => d !== '?' && d !== t.dims[k])))
      fail(`input '${name}': ${file} has shape [${t.dims}], the model wants [${want}]`);
    feeds[name] = new Tensor(t.type, t.data, t.dims);
  }
  for (const name of session.inputNames)
    if (!feeds[name]) fail(`the model needs input '${name}': pass --input ${name}=FILE.npy`);

  const run = async () => {
    try {
      return await session.run(feeds);
    } catch (e) {
      fail(`ONNX Runtime failed to run ${o.model}: ${e.message}`);
    }
  };
  let results = await run();
  if (o.time) {
    // The first run above warms up (allocations, kernel selection).
    const ms = [];
    for (let r = 0; r < o.time; r++) {
      const t0 = process.hrtime.bigint();
      results = await run();
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    ms.sort((a, b) => a - b);
    const median = ms.length % 2 ? ms[(ms.length - 1) / 2]
                                 : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
    log(`time: median ${median.toFixed(3)} ms over ${o.time} runs ` +
        `(min ${ms[0].toFixed(3)}, max ${ms[ms.length - 1].toFixed(3)}), ` +
        `${o.threads} thread${o.threads > 1 ? 's' : ''}`);
  }
  fs.mkdirSync(o.out, {recursive: true});
  for (const name of session.outputNames) {
    const t = results[name];
    if (!t || t.dims === undefined) fail(`output '${name}' is not a tensor`);
    const file = path.join(o.out, fileName(name));
    writeNpy(file, t.type, t.dims, t.data);
    if (!o.quiet) log(`${name}: ${t.type} [${t.dims}] -> ${file}`);
  }
  await session.release();
}

// One process for many models: the node test suite runs ~900 of them.
async function runBatch(file) {
  let lines;
  try {
    lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  } catch (e) {
    fail(`cannot read batch file ${file}: ${e.message}`);
  }
  for (let k = 0; k < lines.length; k++) {
    const result = {job: k, ok: true};
    try {
      const o = parseArgs(JSON.parse(lines[k]));
      if (o.batch) fail('--batch inside a batch');
      await runOne(o, () => {});
    } catch (e) {
      result.ok = false;
      result.error = String(e.message || e);
    }
    console.log(JSON.stringify(result));
  }
}

async function main() {
  try {
    const o = parseArgs(process.argv.slice(2));
    if (o.help) console.log(USAGE);
    else if (o.batch) await runBatch(o.batch);
    else await runOne(o, (s) => console.log(s));
  } catch (e) {
    console.error(`wse-ort: ${e.message || e}`);
    process.exitCode = 1;
  }
}

main();
