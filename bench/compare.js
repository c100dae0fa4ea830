#!/usr/bin/env node
// compare.js: do the engines agree on every result?
//
//   node compare.js project < results.jsonl > projected.jsonl
//       one projection (see projection.js) per result line
//   node compare.js check NAME=projected.jsonl NAME=projected.jsonl ...
//       compares the files line by line with the first; prints the
//       distribution of escalation levels and top causes and the first few
//       differences; exits 1 when any line differs or a file is shorter
'use strict'

const fs = require('fs')
const { writeAll } = require('./write_all')
const readline = require('readline')
const { project } = require('./projection')

async function projectStream () {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  let out = ''
  for await (const line of lines) {
    if (line.trim() === '') continue
    out += project(JSON.parse(line)) + '\n'
    if (out.length > 1 << 20) {
      writeAll(1, out)
      out = ''
    }
  }
  if (out.length > 0) writeAll(1, out)
}

function readLines (file) {
  const text = fs.readFileSync(file, 'utf8')
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

function check (specs) {
  if (specs.length < 2) {
    console.error('compare.js check: give at least two NAME=FILE')
    process.exit(2)
  }
  const files = specs.map((spec) => {
    const at = spec.indexOf('=')
    return { name: spec.slice(0, at), lines: readLines(spec.slice(at + 1)) }
  })
  const [reference, ...others] = files
  let problems = 0
  for (const other of others) {
    let differing = 0
    const count = Math.max(reference.lines.length, other.lines.length)
    for (let i = 0; i < count; i++) {
      if (reference.lines[i] === other.lines[i]) continue
      if (differing < 3) {
        console.error(`  line ${i + 1}: ${reference.name} and ${other.name} differ:\n` +
          `    ${reference.name}: ${reference.lines[i] ?? '(missing)'}\n    ${other.name}: ${other.lines[i] ?? '(missing)'}`)
      }
      differing++
    }
    const verdict = differing === 0 ? 'agree on every one' : `DISAGREE on ${differing}`
    console.log(`  ${other.name} vs ${reference.name}: ${count} results, ${verdict}`)
    if (differing > 0) problems++
  }
  // What the answer sets led to, so that a reader sees the check covers every path.
  const levels = {}
  const top = {}
  let errors = 0
  let flagged = 0
  for (const line of reference.lines) {
    const p = JSON.parse(line)
    if (p[0] === 'error') { errors++; continue }
    if (!Array.isArray(p[2]) || !Array.isArray(p[3])) continue
    levels[p[0]] = (levels[p[0]] ?? 0) + 1
    if (p[2].length > 0) flagged++
    const first = p[3][0]
    const key = first !== undefined && first[3].length > 0 ? first[0] : '(none indicated)'
    top[key] = (top[key] ?? 0) + 1
  }
  const share = (n) => `${(100 * n / reference.lines.length).toFixed(1)}%`
  console.log(`  escalation: ${Object.entries(levels).map(([k, n]) => `${k} ${share(n)}`).join(', ')}; ` +
    `with a red flag ${share(flagged)}; error records ${errors}`)
  console.log(`  top cause: ${Object.entries(top).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${share(n)}`).join(', ')}`)
  process.exit(problems === 0 ? 0 : 1)
}

const [mode, ...rest] = process.argv.slice(2)
if (mode === 'project') {
  projectStream().catch((error) => { console.error(`compare.js: ${error.message}`); process.exit(2) })
} else if (mode === 'check') {
  check(rest)
} else {
  console.error('usage: compare.js project < results.jsonl | compare.js check NAME=FILE NAME=FILE ...')
  process.exit(2)
}
