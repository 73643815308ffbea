// The runs panel: the server's runs, live ones first with their percent; clicking one attaches
// the page to it.
//
// Refreshed by polling `client.runs` every few seconds while the page is visible, and at once
// when this page starts or ends a run. Polling, because most runs worth seeing start elsewhere
// (`pkt run --detach`, another tab, a script) and nothing tells this page about them; a few
// seconds keeps a live percent fresh at the cost of one small GET per open tab. A hidden tab
// does not poll, and one request at most is in flight, so a slow server is never piled on.
import { ActionError } from '../client/index.js';
import type { RunInfo } from '../protocol/index.js';
import { describeRun, orderRuns } from './runs-list.js';

export const POLL_MS = 2_000;
/** The newest runs shown; older ones are a `pkt runs` away. */
export const RUNS_SHOWN = 20;

export interface RunsSource {
  runs(filter: { limit: number }): Promise<{ runs: RunInfo[] }>;
}

export interface RunsElements {
  runsList: HTMLUListElement;
  runsStatus: HTMLElement;
}

export class RunsPanel {
  readonly #el: RunsElements;
  readonly #source: RunsSource;
  readonly #onPick: (run: RunInfo) => void;
  #runs: RunInfo[] = [];
  #current: string | undefined;
  #locked = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #inFlight: Promise<void> | undefined;
  #again = false;
  /** Asking again will not help: the server has no list of runs (an older pkt, Piko), or refused the page. */
  #stopped = false;

  constructor(elements: RunsElements, source: RunsSource, onPick: (run: RunInfo) => void) {
    this.#el = elements;
    this.#source = source;
    this.#onPick = onPick;
    elements.runsList.addEventListener('click', (event) => {
      const button = (event.target as Element | null)?.closest<HTMLButtonElement>('button[data-run-id]');
      const run = this.#runs.find((r) => r.runId === button?.dataset.runId);
      if (run && !button?.disabled) this.#onPick(run);
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') void this.refresh();
      else this.#stopTimer();
    });
  }

  /** Asks the server now (a run started or ended here); the poll goes on from then. */
  refresh(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    if (this.#inFlight) {
      // Asked while a request is out: one more, once it is back, sees the newest state.
      this.#again = true;
      return this.#inFlight;
    }
    this.#stopTimer();
    this.#inFlight = this.#load().finally(() => {
      this.#inFlight = undefined;
      if (this.#again) {
        this.#again = false;
        void this.refresh();
      } else if (!this.#stopped && document.visibilityState === 'visible') {
        this.#timer = setTimeout(() => void this.refresh(), POLL_MS);
      }
    });
    return this.#inFlight;
  }

  /** Marks the run the page follows now. */
  setCurrent(runId: string | undefined): void {
    this.#current = runId;
    this.#render();
  }

  /** While the page's own run goes, attaching elsewhere would leave it: the rows wait. */
  setLocked(locked: boolean): void {
    this.#locked = locked;
    this.#render();
  }

  async #load(): Promise<void> {
    try {
      const { runs } = await this.#source.runs({ limit: RUNS_SHOWN });
      this.#runs = orderRuns(runs);
      this.#say(this.#runs.length === 0 ? 'No runs yet. Start one, or `pkt run --detach` one.' : '');
    } catch (err) {
      this.#say(failureText(err));
      // No list here (404), or no token (401: the page loads again once its URL has one).
      if (err instanceof ActionError && (err.status === 404 || err.status === 401)) this.#stopped = true;
    }
    this.#render();
  }

  #render(): void {
    const focused = (document.activeElement as HTMLElement | null)?.dataset?.runId;
    const now = Date.now();
    const items = this.#runs.map((run) => {
      const text = describeRun(run, now);
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'run';
      button.dataset.runId = run.runId;
      button.dataset.state = run.state;
      button.title = `Attach to run ${run.runId}`;
      button.disabled = this.#locked && run.runId !== this.#current;
      if (button.disabled) button.title = 'This page is following the run it started: cancel it, or wait for its end, to follow another.';
      if (run.runId === this.#current) button.setAttribute('aria-current', 'true');
      button.append(span('run-action', text.action), span('run-state', text.state), span('run-meta', text.meta));
      const item = document.createElement('li');
      item.append(button);
      return item;
    });
    this.#el.runsList.replaceChildren(...items);
    // A refresh must not take keyboard focus away from the run it was on.
    if (focused) this.#el.runsList.querySelector<HTMLButtonElement>(`button[data-run-id="${CSS.escape(focused)}"]`)?.focus();
  }

  #say(text: string): void {
    if (this.#el.runsStatus.textContent !== text) this.#el.runsStatus.textContent = text;
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function failureText(err: unknown): string {
  if (err instanceof ActionError && err.status === 404) return 'This server keeps no list of runs.';
  if (err instanceof ActionError && err.status === 401) return 'Could not list the runs: no token, see the status line.';
  const message = err instanceof Error ? err.message : String(err);
  return `Could not list the runs (${message}); trying again.`;
}

function span(className: string, text: string): HTMLElement {
  const el = document.createElement('span');
  el.className = className;
  el.textContent = text;
  return el;
}
