// The few styles the view uses, as plain SGR codes, or as nothing when colour is off.
// Ink measures and truncates text with the codes in it, so painted strings lay out correctly.

export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const same = (text: string) => text;

export function createPaint(color: boolean): Paint {
  if (!color) return { bold: same, dim: same, red: same, green: same, yellow: same, cyan: same };
  return {
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}
