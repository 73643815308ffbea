// The values `pkt serve` takes as a person writes them: durations (`15s`, `500ms`, `2m`, a bare
// number is ms) and sizes (`256MiB`, `64KB`, a bare number is bytes). Each parser returns
// undefined for text it does not read, so the command can say what it wanted.

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/i;
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/** Milliseconds, or undefined. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * DURATION_UNITS[(match[2] ?? 'ms').toLowerCase()]!);
}

const SIZE = /^(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?$/i;
const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Bytes, or undefined. KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024. */
export function parseSize(text: string): number | undefined {
  const match = SIZE.exec(text.trim());
  if (!match) return undefined;
  return Math.floor(Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b').toLowerCase()]!);
}
