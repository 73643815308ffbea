// The progress tracker page: runs an action with the client builder every client uses, and
// shows its events, progress and result as they arrive.
import { ActionError, createClient, type FetchLike } from '../client/index.js';
import type { RunInfo } from '../protocol/index.js';
import { ActionPicker } from './action-picker.js';
import { readBasePath } from './base-path.js';
import { RunFollower } from './follow-run.js';
import { findPageElements } from './page-elements.js';
import { takePageToken, unauthorizedMessage, urlHasToken } from './page-token.js';
import { shortId } from './runs-list.js';
import { RunsPanel } from './runs-panel.js';
import { SchemaForm } from './schema-form.js';
import { TrackerView } from './view.js';

const el = findPageElements();
const view = new TrackerView(el);
const token = takePageToken({
  href: location.href,
  replaceUrl: (url) => history.replaceState(history.state, '', url),
  storage: sessionStorageIfAllowed(),
});
// A cancel sent as the page unloads must still reach the server: `keepalive` lets a request
// outlive its page. Only DELETE gets it (it has no body, so keepalive's size limit is moot).
const pageFetch: FetchLike = (input, init) => globalThis.fetch(input, init?.method === 'DELETE' ? { ...init, keepalive: true } : init);
// The page is served by the server it talks to, so its actions live on this origin, under
// the base path the server wrote into the page.
const client = createClient({ baseUrl: location.origin, basePath: readBasePath(document), token, fetch: pageFetch });
const form = new SchemaForm(el.fields, el.formError);
const picker = new ActionPicker(el, form);
const runs = new RunsPanel(el, client, (run) => void attach(run));
const follower = new RunFollower(view, form, client, {
  onRunId: (runId) => {
    runs.setCurrent(runId);
    void runs.refresh();
  },
  onEnd: () => {
    runs.setLocked(false);
    void runs.refresh();
  },
  unauthorized: unauthorizedDetail,
});
void runs.refresh();

el.form.addEventListener('submit', (event) => {
  event.preventDefault();
  void start();
});
el.cancel.addEventListener('click', () => void follower.cancel());
// Leaving or reloading mid-run: a run started here is cancelled, one attached to goes on.
window.addEventListener('pagehide', () => follower.leave());
// Pasting the printed URL into this tab changes only the fragment, which loads nothing: load
// the page again so it starts over with the new token.
window.addEventListener('hashchange', () => {
  if (urlHasToken(location.href)) location.reload();
});
void picker.load(client).then((failure) => {
  el.start.disabled = follower.current?.own === true;
  // Without the token nothing on the page can work: say so before anyone presses Start.
  if (failure instanceof ActionError && failure.status === 401 && !follower.current) view.setState('error', unauthorizedDetail(failure));
});

async function start(): Promise<void> {
  if (follower.current?.own) return;
  const action = picker.current();
  const built = form.read();
  form.clearErrors();
  if (!built.ok) {
    // A run being watched goes on being drawn; the form alone says what to fix.
    if (!follower.current) {
      view.reset();
      view.setState('error', 'fix the highlighted fields');
    }
    form.showErrors(built.errors, 'Check the fields.')?.focus();
    return;
  }
  // A run attached to goes on without this page watching it.
  follower.leave();
  view.reset();
  const stream = !el.noStream.checked;
  const call = client.call(action, built.input).withStream(stream);
  // Attaching elsewhere would leave this run, so the runs panel waits until it ends.
  runs.setCurrent(undefined);
  runs.setLocked(true);
  await follower.follow(call, { own: true, stream, label: stream ? action : `${action}, no streaming` });
}

/** Follows a run from the runs panel: its events so far, then live ones. */
async function attach(run: RunInfo): Promise<void> {
  const current = follower.current;
  if (current?.own || (current && current.runId === run.runId)) return;
  // Another attached run: stop watching it (it goes on) and watch this one.
  follower.leave();
  view.reset();
  form.clearErrors();
  await follower.follow(client.attach(run.runId), { own: false, stream: true, runId: run.runId, label: `${run.action}, run ${shortId(run.runId)}` });
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
