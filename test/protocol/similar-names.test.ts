// "Did you mean": the distance, the limit, and how candidates are ranked, by table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closestName, editDistance, rankNames, suggestionLimit } from '../../src/protocol/index.js';

test('edit distance counts inserts, deletes and replacements', () => {
  const cases: Array<[string, string, number]> = [
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['steps', 'steps', 0],
    ['stpes', 'steps', 2],
    ['step', 'steps', 1],
    ['name', 'nmae', 2],
    ['kitten', 'sitting', 3],
    ['task.proces', 'task.process', 1],
  ];
  for (const [a, b, d] of cases) {
    assert.equal(editDistance(a, b), d, `${a} -> ${b}`);
    assert.equal(editDistance(b, a), d, `${b} -> ${a}`);
  }
});

test('the limit is two edits, or a third of a long name', () => {
  assert.equal(suggestionLimit('a'), 2);
  assert.equal(suggestionLimit('delayMs'), 2);
  assert.equal(suggestionLimit('task.process'), 4);
});

test('ranking ignores case and keeps the given order among equals', () => {
  assert.deepEqual(rankNames('NAME', ['steps', 'game', 'name', 'same']), [
    { name: 'name', distance: 0 },
    { name: 'game', distance: 1 },
    { name: 'same', distance: 1 },
    { name: 'steps', distance: 5 },
  ]);
});

test('the closest name, only when it is close enough', () => {
  assert.equal(closestName('stpes', ['name', 'steps', 'delayMs']), 'steps');
  assert.equal(closestName('DelayMS', ['name', 'steps', 'delayMs']), 'delayMs');
  assert.equal(closestName('ame', ['game', 'name']), 'game', 'the first of equals');
  assert.equal(closestName('ame', ['name', 'game']), 'name', 'the first of equals');
  assert.equal(closestName('colour', ['name', 'steps']), undefined);
  assert.equal(closestName('x', []), undefined);
});
