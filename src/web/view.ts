// Draws a run on the page: status line, progress bar, event log and result.
// Holds no run logic; app.ts decides what happened, this decides how it looks.
import { formatPercent, wholePercent } from '../protocol/index.js';
import type { PageElements } from './page-elements.js';

export type RunState = 'idle' | 'running' | 'reconnecting' | 'complete' | 'error' | 'cancelled';

/** The log keeps the newest lines only: a run of 100,000 events must not grow the page without end. */
const MAX_LOG_LINES = 500;

export class TrackerView {
  readonly #el: PageElements;
  #pendingLines: string[] = [];
  #pendingPercent: number | undefined;
  #flushQueued = false;
  #events = 0;

  constructor(elements: PageElements) {
    this.#el = elements;
  }

  /** Back to a blank run, before a new one starts. */
  reset(): void {
    this.#pendingLines = [];
    this.#pendingPercent = undefined;
    this.#events = 0;
    this.#el.log.replaceChildren();
    this.#el.logCount.textContent = '0';
    this.#el.result.textContent = '—';
    this.#el.result.classList.remove('is-error');
    this.setPercent(0);
  }

  setState(state: RunState, detail = ''): void {
    // Events that arrived with the terminal one belong before it.
    this.flush();
    const { status, statusState, statusDetail } = this.#el;
    status.dataset.state = state;
    // "reconnecting…": the run goes on, the page is on its way back to it.
    statusState.textContent = state === 'reconnecting' ? 'reconnecting…' : state;
    statusDetail.textContent = detail ? ` — ${detail}` : '';
    this.#el.bar.dataset.state = state;
  }

  /** One non-terminal event. Drawn in batches: a burst of events costs one layout. */
  addEvent(line: string, percent: number | undefined): void {
    this.#events++;
    this.#pendingLines.push(line);
    if (percent !== undefined) this.#pendingPercent = percent;
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush(): void {
    this.#flushQueued = false;
    if (this.#pendingPercent !== undefined) this.setPercent(this.#pendingPercent);
    this.#pendingPercent = undefined;
    if (this.#pendingLines.length === 0) return;
    const { log, logCount } = this.#el;
    const lines = this.#pendingLines.slice(-MAX_LOG_LINES);
    this.#pendingLines = [];
    const fragment = document.createDocumentFragment();
    for (const line of lines) {
      const item = document.createElement('li');
      item.textContent = line;
      fragment.append(item);
    }
    log.append(fragment);
    while (log.childElementCount > MAX_LOG_LINES) log.firstElementChild?.remove();
    const total = this.#events.toLocaleString('en');
    logCount.textContent = this.#events > MAX_LOG_LINES ? `${total}, last ${MAX_LOG_LINES} shown` : total;
    // Follow the newest line, as a terminal would.
    log.scrollTop = log.scrollHeight;
  }

  /** A number draws the bar; undefined means "working, amount unknown" (a plain call). */
  setPercent(percent: number | undefined): void {
    const { bar, barFill, percent: label } = this.#el;
    if (percent === undefined) {
      bar.removeAttribute('aria-valuenow');
      bar.setAttribute('aria-valuetext', 'working, progress unknown');
      bar.classList.add('indeterminate');
      barFill.style.width = '';
      label.textContent = '…';
      return;
    }
    const text = formatPercent(percent);
    bar.classList.remove('indeterminate');
    bar.setAttribute('aria-valuenow', String(wholePercent(percent)));
    bar.setAttribute('aria-valuetext', text);
    barFill.style.width = text;
    label.textContent = text;
  }

  showResult(value: unknown, isError = false): void {
    this.#el.result.textContent = value === undefined ? '(no result)' : JSON.stringify(value, null, 2);
    this.#el.result.classList.toggle('is-error', isError);
  }

  /** `startable`: Start stays enabled while the page only watches a run it attached to. */
  setRunning(running: boolean, startable = !running): void {
    const { start, cancel } = this.#el;
    const hadFocus = document.activeElement;
    start.disabled = !startable;
    cancel.disabled = !running;
    // A disabled button drops keyboard focus to <body>; hand it to the button that now matters.
    if (running && !startable && hadFocus === start) cancel.focus();
    if (!running && hadFocus === cancel) start.focus();
  }
}
