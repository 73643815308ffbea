// Where the page's token comes from, and that it leaves the address bar. No browser needed:
// the page's window is played by a small fake.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { takePageToken, unauthorizedMessage, urlHasToken, type TokenEnvironment } from '../../src/web/page-token.js';
import { pageUrl } from '../../src/protocol/index.js';

class FakeStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

function fakeWindow(href: string, storage: TokenEnvironment['storage'] = new FakeStorage()) {
  const shown: string[] = [];
  const env: TokenEnvironment = { href, replaceUrl: (url) => shown.push(url), storage };
  return { env, shown, take: () => takePageToken(env) };
}

describe('takePageToken', () => {
  const cases: Array<[string, string, string | undefined, string | undefined]> = [
    // [what, the URL opened, the token, the address shown afterwards (undefined: left alone)]
    ['from the fragment', 'http://127.0.0.1:7070/#token=s3cret', 's3cret', 'http://127.0.0.1:7070/'],
    ['from the query, tolerated', 'http://127.0.0.1:7070/?token=s3cret', 's3cret', 'http://127.0.0.1:7070/'],
    ['the fragment wins over the query', 'http://h/?token=old#token=new', 'new', 'http://h/'],
    ['other parameters stay', 'http://h/?debug=1&token=t#token=t&tab=log', 't', 'http://h/?debug=1#tab=log'],
    ['percent-encoded', 'http://h/#token=a%2Bb%26c%3Dd%23e%20f', 'a+b&c=d#e f', 'http://h/'],
    ['no token anywhere', 'http://h/#tab=log', undefined, undefined],
  ];
  for (const [what, href, token, shown] of cases) {
    test(what, () => {
      const page = fakeWindow(href);
      assert.equal(page.take(), token);
      assert.deepEqual(page.shown, shown === undefined ? [] : [shown]);
    });
  }

  test('what pkt serve prints reads back as the same token', () => {
    for (const token of ['plain', 'a+b/c=d', 'with space', '#&?', 'ünï©ødé']) {
      assert.equal(fakeWindow(pageUrl('http://127.0.0.1:7070', token)).take(), token, token);
    }
  });

  test('the token outlives a reload in the tab, and a new one replaces it', () => {
    const storage = new FakeStorage();
    assert.equal(fakeWindow('http://h/#token=first', storage).take(), 'first');
    assert.equal(fakeWindow('http://h/', storage).take(), 'first', 'the reloaded page, its URL already clean');
    assert.equal(fakeWindow('http://h/#token=second', storage).take(), 'second');
    assert.equal(fakeWindow('http://h/', storage).take(), 'second');
  });

  test('an empty #token= forgets it', () => {
    const storage = new FakeStorage();
    fakeWindow('http://h/#token=t', storage).take();
    const page = fakeWindow('http://h/#token=', storage);
    assert.equal(page.take(), undefined);
    assert.deepEqual(page.shown, ['http://h/']);
    assert.equal(fakeWindow('http://h/', storage).take(), undefined);
  });

  test('storage that is missing or refuses still gives the token from the URL', () => {
    // Built by hand: passing undefined to fakeWindow would give it its default storage.
    assert.equal(takePageToken({ href: 'http://h/#token=t', replaceUrl: () => {} }), 't');
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    assert.equal(fakeWindow('http://h/#token=t', refusing).take(), 't');
    assert.equal(fakeWindow('http://h/', refusing).take(), undefined);
  });
});

test('urlHasToken sees a token in the fragment or the query only', () => {
  assert.equal(urlHasToken('http://h/#token=t'), true);
  assert.equal(urlHasToken('http://h/?token=t'), true);
  assert.equal(urlHasToken('http://h/#tokens=t'), false);
  assert.equal(urlHasToken('http://h/'), false);
});

test('a 401 tells a person to open the URL pkt serve printed', () => {
  assert.match(unauthorizedMessage(false), /needs a token.*the URL that pkt serve printed/);
  assert.match(unauthorizedMessage(true), /refused.*the URL that pkt serve printed/);
});
