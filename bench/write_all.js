// write_all.js: writes a whole string to a file descriptor, synchronously,
// waiting while a pipe is full (EAGAIN) instead of failing.
'use strict'

const fs = require('fs')

function writeAll (fd, text) {
  let buffer = Buffer.from(text, 'utf8')
  while (buffer.length > 0) {
    try {
      const written = fs.writeSync(fd, buffer)
      buffer = buffer.subarray(written)
    } catch (error) {
      if (error.code !== 'EAGAIN') throw error
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1)
    }
  }
}

module.exports = { writeAll }
