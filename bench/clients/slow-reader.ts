// (d) memory: a pipe reader that reads slowly for a while, then at full speed, so a run into
// it is bounded in time. While it is slow, a client that honours backpressure holds its RSS
// flat; one that does not buffers everything the server sends.
//   node slow-reader.js <bytes per second> <slow seconds>

const [rateArg, secondsArg] = process.argv.slice(2);
const bytesPerSecond = Number(rateArg);
const slowMs = Number(secondsArg) * 1000;
if (!(bytesPerSecond > 0) || !(slowMs >= 0)) {
  process.stderr.write('usage: slow-reader.js <bytes per second> <slow seconds>\n');
  process.exit(2);
}

const started = performance.now();
let bytes = 0;
process.stdin.on('data', (chunk: Buffer) => {
  bytes += chunk.length;
  const elapsed = performance.now() - started;
  if (elapsed >= slowMs) return;
  // Ahead of the allowed rate: stop reading until the rate catches up (the pipe fills and
  // the writer's writes wait), but never past the end of the slow phase.
  const dueMs = (bytes / bytesPerSecond) * 1000;
  if (dueMs > elapsed) {
    process.stdin.pause();
    setTimeout(() => process.stdin.resume(), Math.min(dueMs, slowMs) - elapsed);
  }
});
process.stdin.on('end', () => process.stderr.write(`slow-reader: ${bytes} bytes in ${((performance.now() - started) / 1000).toFixed(1)} s\n`));
