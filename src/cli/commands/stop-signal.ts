// What ends a long-running command (pkt serve, pkt worker): the first SIGINT or SIGTERM, and,
// for a worker that pkt serve started, its parent going away.

/**
 * Resolves with what asked the process to stop. Each signal is heard once: a second Ctrl-C,
 * unheard, ends pkt at once, as a user who presses it twice means.
 */
export function stopSignal(options: { withParent?: boolean } = {}): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    // Started by pkt serve: it goes when its parent goes, however the parent ended.
    if (options.withParent && process.connected) process.once('disconnect', () => resolve('its pkt serve has gone'));
  });
}
