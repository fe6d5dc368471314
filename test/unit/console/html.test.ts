// The console panel's HTML and its CSP; the sampler behind queryState's distinctColours; and what
// the build puts in dist/ for the console.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { consoleCsp, consoleHtml, escapeHtml, makeNonce } from '../../../client/src/console/html';
import { countDistinctColours } from '../../../client/src/console/webview/pixels';

const options = {
  cspSource: 'https://*.vscode-cdn.net',
  nonce: 'AAAABBBBCCCCDDDDEEEEFFFF',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/console.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/console.css',
  title: 'web01',
};

/** The CSP as the browser reads it from the meta element (entities decoded). */
function cspOf(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'a CSP meta element');
  return match[1].replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

describe('consoleHtml', () => {
  test('a strict CSP: nothing by default, the script by nonce, styles/images/fonts from the webview source', () => {
    const csp = cspOf(consoleHtml(options));
    assert.equal(
      csp,
      "default-src 'none'; script-src 'nonce-AAAABBBBCCCCDDDDEEEEFFFF'; style-src https://*.vscode-cdn.net; img-src https://*.vscode-cdn.net data: blob:; font-src https://*.vscode-cdn.net",
    );
    assert.doesNotMatch(csp, /unsafe|connect-src|\*;|'self'/);
  });
  test('one script, a module with the nonce and the bundle; no inline script, style element or style attribute', () => {
    const html = consoleHtml(options);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script type="module" nonce="AAAABBBBCCCCDDDDEEEEFFFF" src="${options.scriptUri}">`]);
    assert.match(html, /<script [^>]*><\/script>/, 'the script element is empty');
    assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
    assert.ok(html.includes(`<link rel="stylesheet" href="${options.styleUri}">`));
    for (const id of ['toolbar', 'screen', 'status', 'status-text', 'status-note']) assert.match(html, new RegExp(`id="${id}"`), id);
    assert.match(html, /id="status" role="status" aria-live="polite"/);
  });
  test('the title and URIs are escaped', () => {
    const html = consoleHtml({ ...options, title: '<img src=x onerror=alert(1)> & "q" \'s', scriptUri: 'https://x/a.js?"><script>' });
    assert.match(html, /<title>&#60;img src=x onerror=alert\(1\)&#62; &#38; &#34;q&#34; &#39;s<\/title>/);
    assert.doesNotMatch(html, /<img|"><script>/);
    assert.equal(escapeHtml(`&<>"'`), '&#38;&#60;&#62;&#34;&#39;');
  });
  test("code-server's source list with 'self' is accepted", () => {
    assert.match(consoleCsp("'self' https://*.vscode-cdn.net", options.nonce), /^default-src 'none'; script-src 'nonce-[^']+'; style-src 'self' https:\/\/\*\.vscode-cdn\.net;/);
  });
  test('a source list or nonce that could widen the policy is refused', () => {
    for (const bad of ['', "https://x; script-src 'unsafe-inline'", "'unsafe-inline'", 'https://x,https://y', 'https://x\nscript-src *', "'self'' 'unsafe-eval'", ' https://x']) {
      assert.throws(() => consoleHtml({ ...options, cspSource: bad }), /not a CSP source list/, JSON.stringify(bad));
    }
    for (const bad of ['short', "AAAABBBBCCCCDDDD' 'unsafe-inline", 'AAAABBBBCCCCDDDD EEEE', '']) {
      assert.throws(() => consoleHtml({ ...options, nonce: bad }), /nonce/, JSON.stringify(bad));
    }
  });
  test('makeNonce: 32 base64 characters, different every time, accepted by the CSP', () => {
    const nonces = new Set(Array.from({ length: 50 }, makeNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) {
      assert.match(nonce, /^[A-Za-z0-9+/]{32}$/);
      assert.ok(consoleCsp(options.cspSource, nonce).includes(`'nonce-${nonce}'`));
    }
  });
});

describe('countDistinctColours', () => {
  const image = (width: number, height: number, colour: (x: number, y: number) => [number, number, number]) => {
    const data = new Uint8ClampedArray(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const [r, g, b] = colour(x, y);
        data.set([r, g, b, 255], (y * width + x) * 4);
      }
    }
    return data;
  };
  test('a uniform screen has one colour; an empty one none', () => {
    assert.equal(countDistinctColours(image(720, 400, () => [0, 0, 0]), 720, 400), 1);
    assert.equal(countDistinctColours(new Uint8ClampedArray(0), 0, 0), 0);
  });
  test('alpha is ignored; red, green and blue are told apart', () => {
    const data = image(4, 1, (x) => [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]][x] as [number, number, number]);
    data[15] = 0; // the last pixel transparent: same RGB as the first
    assert.equal(countDistinctColours(data, 4, 1, 4, 1), 3);
  });
  test('text on a background: the grid finds both', () => {
    // One white column every 8 pixels, as glyph strokes would be.
    assert.equal(countDistinctColours(image(640, 480, (x) => (x % 8 === 5 ? [255, 255, 255] : [0, 0, 0])), 640, 480), 2);
  });
  test('at most columns × rows points are sampled, spread over the whole image', () => {
    const gradient = image(256, 256, (x, y) => [x, y, 0]);
    assert.equal(countDistinctColours(gradient, 256, 256, 64, 48), 64 * 48);
    // The last column and row are reached: a colour present only at the right and bottom edges counts.
    const corner = image(64, 48, (x, y) => (x === 63 && y === 47 ? [9, 9, 9] : [0, 0, 0]));
    assert.equal(countDistinctColours(corner, 64, 48, 64, 48), 2);
  });
  test('a buffer too small for the size is an error', () => {
    assert.throws(() => countDistinctColours(new Uint8ClampedArray(10), 4, 4), /cannot hold a 4x4/);
  });
});

describe('the console in dist/ (scripts/build.mjs builds it before the tests)', () => {
  test('the extension bundle does not contain noVNC: it is loaded by the console webview only', () => {
    const extension = readFileSync('dist/extension.js', 'utf8');
    assert.doesNotMatch(extension, /@novnc|noVNC|Websock|RFB 003/);
  });
  test('the webview bundle is an ES module that contains noVNC and our channel', () => {
    const bundle = readFileSync('dist/webview/console.js', 'utf8');
    assert.match(bundle, /RFB 003\.00|003\.008/);
    assert.match(bundle, /The console channel is not open yet/);
    assert.doesNotMatch(bundle, /\brequire\(/, 'no CommonJS require left in a browser bundle');
    assert.match(readFileSync('dist/webview/console.css', 'utf8'), /--vscode-button-background/);
  });
  test('the third-party notices name the bundled noVNC version, its licenses and where the source is', () => {
    const { version } = JSON.parse(readFileSync('node_modules/@novnc/novnc/package.json', 'utf8')) as { version: string };
    const notices = readFileSync('dist/webview/THIRD-PARTY-NOTICES.txt', 'utf8');
    assert.ok(notices.includes(`noVNC ${version}`));
    assert.ok(notices.includes(`https://github.com/novnc/noVNC (tag v${version})`));
    assert.match(notices, /Mozilla Public License Version 2\.0/);
    assert.match(notices, /\(The MIT License\)/);
    assert.match(notices, /Jef Poskanzer/);
    assert.doesNotMatch(notices, /\{\{/);
  });
  test('.vscodeignore ships the console and dashboard scripts and style sheets and the notices, and nothing else from dist/webview', () => {
    const lines = readFileSync('.vscodeignore', 'utf8').split('\n').filter((line) => line.startsWith('!dist/webview'));
    assert.deepEqual(lines.sort(), ['!dist/webview/THIRD-PARTY-NOTICES.txt', '!dist/webview/console.css', '!dist/webview/console.js', '!dist/webview/dashboard.css', '!dist/webview/dashboard.js']);
  });
});
