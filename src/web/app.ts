// The progress tracker page: runs an action with the client builder every client uses, and
// shows its events, progress and result as they arrive.
import { ActionError, createClient } from '../client/index.js';
import { readProgress } from '../protocol/index.js';
import { ActionPicker } from './action-picker.js';
import { readBasePath } from './base-path.js';
import { formatLogLine } from './log-line.js';
import { findPageElements } from './page-elements.js';
import { SchemaForm } from './schema-form.js';
import { takePageToken, unauthorizedMessage, urlHasToken } from './page-token.js';
import { TrackerView } from './view.js';

const el = findPageElements();
const view = new TrackerView(el);
const token = takePageToken({
  href: location.href,
  replaceUrl: (url) => history.replaceState(history.state, '', url),
  storage: sessionStorageIfAllowed(),
});
// The page is served by the server it talks to, so its actions live on this origin, under
// the base path the server wrote into the page.
const client = createClient({ baseUrl: location.origin, basePath: readBasePath(document), token });
const form = new SchemaForm(el.fields, el.formError);
const picker = new ActionPicker(el, form);
/** The run in progress; one at a time per page (open another tab for another). */
let running: AbortController | undefined;

el.form.addEventListener('submit', (event) => {
  event.preventDefault();
  void start();
});
el.cancel.addEventListener('click', () => running?.abort());
// Leaving or reloading mid-run: close the stream now so the server cancels the run.
window.addEventListener('pagehide', () => running?.abort());
// Pasting the printed URL into this tab changes only the fragment, which loads nothing: load
// the page again so it starts over with the new token.
window.addEventListener('hashchange', () => {
  if (urlHasToken(location.href)) location.reload();
});
void picker.load(client).then((failure) => {
  el.start.disabled = running !== undefined;
  // Without the token nothing on the page can work: say so before anyone presses Start.
  if (failure instanceof ActionError && isUnauthorized(failure) && !running) view.setState('error', unauthorizedDetail(failure));
});

async function start(): Promise<void> {
  if (running) return;
  const action = picker.current();
  const built = form.read();
  view.reset();
  form.clearErrors();
  if (!built.ok) {
    view.setState('error', 'fix the highlighted fields');
    form.showErrors(built.errors, 'Check the fields.')?.focus();
    return;
  }

  const controller = new AbortController();
  running = controller;
  const stream = !el.noStream.checked;
  const startedAt = performance.now();
  let events = 0;
  view.setRunning(true);
  view.setPercent(stream ? 0 : undefined);
  view.setState('running', stream ? action : `${action}, no streaming`);
  try {
    const result = await client
      .call(action, built.input)
      .withOnProgress((data, eventType) => {
        events++;
        view.addEvent(formatLogLine(eventType, data), readProgress(data).percent);
      })
      .withSignal(controller.signal)
      .withStream(stream)
      .call();
    view.setPercent(100);
    view.setState('complete', `${plural(events, 'event')} in ${seconds(startedAt)}`);
    view.showResult(result);
  } catch (err) {
    showFailure(err, controller.signal.aborted);
  } finally {
    running = undefined;
    view.setRunning(false);
  }
}

function showFailure(err: unknown, cancelledHere: boolean): void {
  if (cancelledHere) {
    // Closing the stream (or the plain call's request) is what cancels the run on the server.
    view.setState('cancelled', 'stopped by you before the end');
    return;
  }
  if (!(err instanceof ActionError)) {
    // Not an answer from the server: a bug on this page or in the client. Show it, keep it.
    console.error(err);
    view.setState('error', err instanceof Error ? err.message : String(err));
    return;
  }
  const code = `${err.code}${err.status ? `, HTTP ${err.status}` : ''}`;
  view.showResult(err.toJSON(), true);
  if (isUnauthorized(err)) {
    view.setState('error', unauthorizedDetail(err));
    return;
  }
  if (err.errors && Object.keys(err.errors).length > 0) {
    // The messages are shown by their fields; repeating them all here would only be noise.
    view.setState('error', `the input needs fixing, see the form (${code})`);
    form.showErrors(err.errors, err.message)?.focus();
    return;
  }
  view.setState('error', `${err.message} (${code})`);
}

function isUnauthorized(err: ActionError): boolean {
  return err.status === 401;
}

/** The server's own 401 message speaks of headers and pkt run; a person here needs the URL. */
function unauthorizedDetail(err: ActionError): string {
  return `${unauthorizedMessage(token !== undefined)} (${err.code}, HTTP ${err.status})`;
}

function sessionStorageIfAllowed(): Storage | undefined {
  try {
    // Reading the property itself throws where storage is blocked.
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}
