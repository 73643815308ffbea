// One field of the form in the DOM: its label, control, hint and error note, tied together
// for assistive technology (label for=, aria-describedby, aria-required, aria-invalid).
import type { RawValue } from './form-input.js';
import { fieldHint, showValue, type FormField } from './schema-fields.js';

export interface FieldControl {
  /** The input's key; '' for the whole-input box. */
  key: string;
  wrapper: HTMLElement;
  control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  /** Where this field's error message goes. */
  note: HTMLElement;
  read(): RawValue;
  write(value: RawValue): void;
}

/** The control for one declared field; `id` is unique on the page. */
export function createControl(field: FormField, id: string): FieldControl {
  const control = elementFor(field);
  control.id = id;
  control.name = field.name;
  if (field.required) control.setAttribute('aria-required', 'true');

  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = field.name;
  if (field.required) label.append(' ', marker());
  const described = describe(field, id, fieldHint(field));
  control.setAttribute('aria-describedby', described.ids);

  const wrapper = document.createElement('div');
  wrapper.className = `field field-${field.control}`;
  wrapper.dataset.field = field.name;
  if (control instanceof HTMLInputElement && control.type === 'checkbox') {
    wrapper.classList.add('check');
    wrapper.append(control, label, ...described.nodes);
  } else {
    wrapper.append(label, control, ...described.nodes);
  }
  return { key: field.name, wrapper, control, note: described.note, ...access(control) };
}

/** One JSON box for the whole input: the action declares no fields, or the manifest is missing. */
export function createWholeInputBox(id: string, why: string): FieldControl {
  const control = document.createElement('textarea');
  control.id = id;
  control.name = 'input';
  control.rows = 5;
  control.spellcheck = false;
  control.placeholder = '{"name": "value"}';
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = 'Input (JSON)';
  const described = describe(undefined, id, why);
  control.setAttribute('aria-describedby', described.ids);
  const wrapper = document.createElement('div');
  wrapper.className = 'field field-json';
  wrapper.append(label, control, ...described.nodes);
  return { key: '', wrapper, control, note: described.note, ...access(control) };
}

function elementFor(field: FormField): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  const given = 'default' in field;
  switch (field.control) {
    case 'checkbox': {
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.checked = field.default === true;
      return input;
    }
    case 'select':
      return selectFor(field);
    case 'integer':
    case 'number': {
      const input = document.createElement('input');
      input.type = 'number';
      input.inputMode = field.control === 'integer' ? 'numeric' : 'decimal';
      input.step = field.control === 'integer' ? '1' : 'any';
      if (field.minimum !== undefined) input.min = String(field.minimum);
      if (field.maximum !== undefined) input.max = String(field.maximum);
      if (typeof field.default === 'number') input.value = input.placeholder = String(field.default);
      return input;
    }
    case 'text': {
      const input = document.createElement('input');
      input.type = 'text';
      input.autocomplete = 'off';
      input.spellcheck = false;
      if (field.maxLength !== undefined) input.maxLength = field.maxLength;
      if (typeof field.default === 'string') input.value = input.placeholder = field.default;
      return input;
    }
    case 'json': {
      const area = document.createElement('textarea');
      area.rows = 2;
      area.spellcheck = false;
      area.placeholder = field.shape === 'array' ? '["a", "b"]' : field.shape === 'object' ? '{"key": "value"}' : 'JSON';
      if (given) area.value = JSON.stringify(field.default) ?? '';
      return area;
    }
  }
}

function selectFor(field: FormField): HTMLSelectElement {
  const select = document.createElement('select');
  const choices = field.choices ?? [];
  const defaultIndex = 'default' in field ? choices.findIndex((c) => JSON.stringify(c) === JSON.stringify(field.default)) : -1;
  // With nothing chosen the field is left out: the action's default applies, or the server
  // says the field is required.
  if (defaultIndex < 0 || !field.required) {
    select.append(new Option(field.required ? 'choose one' : '(not set)', '', false, defaultIndex < 0));
  }
  choices.forEach((choice, i) => select.append(new Option(showValue(choice), String(i), false, i === defaultIndex)));
  return select;
}

function marker(): HTMLElement {
  const mark = document.createElement('span');
  mark.className = 'required';
  mark.textContent = 'required';
  return mark;
}

/** The hint (when there is one) and the error note, and the ids aria-describedby lists. */
function describe(field: FormField | undefined, id: string, hintText: string) {
  const nodes: HTMLElement[] = [];
  const ids: string[] = [];
  if (hintText) {
    const hint = document.createElement('p');
    hint.id = `${id}-hint`;
    hint.className = 'hint';
    hint.textContent = hintText;
    nodes.push(hint);
    ids.push(hint.id);
  }
  const note = document.createElement('p');
  note.id = `${id}-error`;
  note.className = 'field-error';
  note.hidden = true;
  if (field) note.dataset.field = field.name;
  nodes.push(note);
  ids.push(note.id);
  return { nodes, ids: ids.join(' '), note };
}

function access(control: FieldControl['control']): Pick<FieldControl, 'read' | 'write'> {
  return {
    read: () => ({
      text: control.value,
      ...(control instanceof HTMLInputElement && control.type === 'checkbox' ? { checked: control.checked } : {}),
      ...(control instanceof HTMLInputElement && control.validity.badInput ? { badInput: true } : {}),
    }),
    write(value) {
      if (control instanceof HTMLInputElement && control.type === 'checkbox') control.checked = value.checked === true;
      // Text a number field could not hold cannot be put back; it comes back empty.
      else control.value = value.text;
    },
  };
}
