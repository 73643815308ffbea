// The page's elements, looked up once. A missing one is a mismatch between index.html and
// the script, so it fails loudly at start-up rather than as a silent no-op later.

export interface PageElements {
  form: HTMLFormElement;
  action: HTMLSelectElement;
  actionDescription: HTMLElement;
  /** Where the chosen action's fields are built. */
  fields: HTMLElement;
  noStream: HTMLInputElement;
  formError: HTMLElement;
  start: HTMLButtonElement;
  cancel: HTMLButtonElement;
  status: HTMLElement;
  statusState: HTMLElement;
  statusDetail: HTMLElement;
  bar: HTMLElement;
  barFill: HTMLElement;
  percent: HTMLElement;
  log: HTMLOListElement;
  logCount: HTMLElement;
  result: HTMLElement;
  runsList: HTMLUListElement;
  runsStatus: HTMLElement;
}

export function findPageElements(doc: Document = document): PageElements {
  const byId = <T extends HTMLElement>(id: string, type: { new (): T }): T => {
    const el = doc.getElementById(id);
    if (!(el instanceof type)) throw new Error(`index.html has no <${type.name}> with id "${id}"`);
    return el;
  };
  const inside = (parent: HTMLElement, selector: string): HTMLElement => {
    const el = parent.querySelector<HTMLElement>(selector);
    if (!el) throw new Error(`index.html has no ${selector} inside #${parent.id}`);
    return el;
  };
  const status = byId('status', HTMLElement);
  const bar = byId('bar', HTMLElement);
  return {
    form: byId('run-form', HTMLFormElement),
    action: byId('action', HTMLSelectElement),
    actionDescription: byId('action-description', HTMLElement),
    fields: byId('fields', HTMLElement),
    noStream: byId('no-stream', HTMLInputElement),
    formError: byId('form-error', HTMLElement),
    start: byId('start', HTMLButtonElement),
    cancel: byId('cancel', HTMLButtonElement),
    status,
    statusState: inside(status, '.status-state'),
    statusDetail: inside(status, '.status-detail'),
    bar,
    barFill: inside(bar, '.bar-fill'),
    percent: byId('percent', HTMLElement),
    log: byId('log', HTMLOListElement),
    logCount: byId('log-count', HTMLElement),
    result: byId('result', HTMLElement),
    runsList: byId('runs', HTMLUListElement),
    runsStatus: byId('runs-status', HTMLElement),
  };
}
