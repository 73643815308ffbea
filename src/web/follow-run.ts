// Follows one run on the page, started here or attached to from the runs panel: its events go
// into the bar and the log, how it ended into the status line and the result. One at a time.
import { ActionError, type ActionCall, type Client } from '../client/index.js';
import { barPercent, formatLogLine } from './log-line.js';
import type { SchemaForm } from './schema-form.js';
import type { TrackerView } from './view.js';

export interface FollowHow {
  /** Started by this page: leaving the page cancels it. Attached to: leaving leaves it going. */
  own: boolean;
  /** False: a plain call, one answer and no events. */
  stream: boolean;
  /** Known up front when attaching; a run started here learns it from the server. */
  runId?: string;
  /** What the status line says is running. */
  label: string;
}

export interface FollowHooks {
  /** The run's id is known: the runs panel marks it. */
  onRunId(runId: string): void;
  /** The run ended, or the page stopped following it. */
  onEnd(): void;
  /** A 401 said in words for a person on this page. */
  unauthorized(err: ActionError): string;
}

interface Following extends FollowHow {
  controller: AbortController;
  cancelRequested: boolean;
  /** Between losing the stream and getting it back. */
  reconnecting: boolean;
}

export class RunFollower {
  readonly #view: TrackerView;
  readonly #form: SchemaForm;
  readonly #client: Pick<Client, 'cancel'>;
  readonly #hooks: FollowHooks;
  #current: Following | undefined;

  constructor(view: TrackerView, form: SchemaForm, client: Pick<Client, 'cancel'>, hooks: FollowHooks) {
    this.#view = view;
    this.#form = form;
    this.#client = client;
    this.#hooks = hooks;
  }

  /** The run the page follows now, if any. */
  get current(): Readonly<FollowHow> | undefined {
    return this.#current;
  }

  /** Follows `call` (a call of an action, or an attach) until it ends. */
  async follow(call: ActionCall, how: FollowHow): Promise<void> {
    const f: Following = { ...how, controller: new AbortController(), cancelRequested: false, reconnecting: false };
    this.#current = f;
    const startedAt = performance.now();
    let events = 0;
    this.#view.setRunning(true, !how.own);
    this.#view.setPercent(how.stream ? 0 : undefined);
    this.#view.setState('running', how.label);
    if (how.runId !== undefined) this.#hooks.onRunId(how.runId);
    try {
      const result = await call
        .withOnRunId((runId) => {
          f.runId = runId;
          if (this.#current === f) this.#hooks.onRunId(runId);
        })
        .withOnProgress((data, eventType) => {
          if (this.#current !== f) return;
          events++;
          this.#view.addEvent(formatLogLine(eventType, data), barPercent(eventType, data));
        })
        // The client re-attaches by itself (by run id and Last-Event-ID, never sending the
        // input again); the page only says so while it does.
        .withOnConnection((state, info) => {
          if (this.#current !== f) return;
          if (state === 'reconnecting') {
            const why = info.reason ? `${info.reason}; ` : '';
            this.#view.setState('reconnecting', `${why}re-attaching to the run (attempt ${info.attempt} of ${info.maxAttempts})`);
            f.reconnecting = true;
          } else if (f.reconnecting) {
            f.reconnecting = false;
            this.#view.setState('running', how.label);
          }
        })
        .withSignal(f.controller.signal)
        .call();
      if (this.#current !== f) return;
      this.#view.setPercent(100);
      const took = how.own ? ` in ${seconds(startedAt)}` : '';
      this.#view.setState('complete', `${plural(events, 'event')}${took}`);
      this.#view.showResult(result);
    } catch (err) {
      if (this.#current === f) this.#showFailure(err, f);
    } finally {
      if (this.#current === f) {
        this.#current = undefined;
        this.#view.setRunning(false);
      }
      this.#hooks.onEnd();
    }
  }

  /**
   * Cancels the run on the server (`DELETE {base}/runs/{id}`), whoever started it; its stream
   * then ends with `error` CANCELLED. A plain call, or a run whose id is not known yet, is
   * stopped by closing its request, which cancels it on the server too.
   */
  async cancel(): Promise<void> {
    const f = this.#current;
    if (!f || f.cancelRequested) return;
    f.cancelRequested = true;
    if (f.runId === undefined || !f.stream) {
      f.controller.abort();
      return;
    }
    try {
      await this.#client.cancel(f.runId);
    } catch (err) {
      // The server could not be asked: stop following at least, so the page is not stuck.
      console.error('pkt: cancelling the run failed', err);
      f.controller.abort();
    }
  }

  /**
   * Stops following without a word on the page: leaving it, or attaching to another run. A run
   * started here is cancelled (the person who started it is gone); one attached to goes on.
   */
  leave(): void {
    const f = this.#current;
    if (!f) return;
    this.#current = undefined;
    if (f.own && f.stream && f.runId !== undefined) {
      // The page may be unloading: the client's DELETE goes out with `keepalive` (see app.ts).
      this.#client.cancel(f.runId).catch((err: unknown) => console.error('pkt: cancelling the run failed', err));
    }
    f.controller.abort();
    this.#view.setRunning(false);
  }

  #showFailure(err: unknown, f: Following): void {
    if (f.controller.signal.aborted || (f.cancelRequested && err instanceof ActionError && err.code === 'CANCELLED')) {
      this.#view.setState('cancelled', 'stopped by you before the end');
      return;
    }
    if (!(err instanceof ActionError)) {
      // Not an answer from the server: a bug on this page or in the client. Show it, keep it.
      console.error(err);
      this.#view.setState('error', err instanceof Error ? err.message : String(err));
      return;
    }
    const code = `${err.code}${err.status ? `, HTTP ${err.status}` : ''}`;
    this.#view.showResult(err.toJSON(), true);
    if (err.status === 401) {
      this.#view.setState('error', this.#hooks.unauthorized(err));
      return;
    }
    if (err.code === 'CANCELLED') {
      // Someone else cancelled it: another tab, `pkt cancel`, or nobody came back in time.
      this.#view.setState('cancelled', `${err.message} (${code})`);
      return;
    }
    if (f.own && err.errors && Object.keys(err.errors).length > 0) {
      // The messages are shown by their fields; repeating them all here would only be noise.
      this.#view.setState('error', `the input needs fixing, see the form (${code})`);
      this.#form.showErrors(err.errors, err.message)?.focus();
      return;
    }
    // The stream is gone for good, not the run: it may still be going on the server.
    const lost = f.stream && f.runId !== undefined && (err.code === 'UNREACHABLE' || err.code === 'STREAM_ENDED');
    this.#view.setState('error', `${err.message} (${code})${lost ? '; the run may still be going: choose it under Runs to follow it again' : ''}`);
  }
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
