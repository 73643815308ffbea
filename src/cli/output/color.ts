// Whether the Ink view may colour its text. The view paints its own SGR codes instead of
// leaning on Ink's chalk, because chalk decides from stdout (fd 1) while the view draws on
// stderr: with `pkt run x > out.json` chalk would see a file and drop colour from a terminal.

/**
 * NO_COLOR (any non-empty value, https://no-color.org) turns colour off; FORCE_COLOR wins over
 * it, as in Node itself (`FORCE_COLOR=0` or `false` off, anything else on); TERM=dumb is off;
 * otherwise colour follows whether the stream is a terminal.
 */
export function colorEnabled(env: NodeJS.ProcessEnv, stream: { isTTY?: boolean }): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}
