// Trunk's post-build hook, on the staged build:
// 0. makes the lazy pages' CSS a file of its own, loaded when they need it (pageStylesheet);
// 1. stages the lazily loaded pages (scripts/wasm-split/lazy-parts.mjs);
// 2. minifies the JS glue with terser (Trunk 0.21's own minifier gives up on it and leaves it
//    as is) and puts the new file's hash in index.html's `integrity=`, so the preload still
//    matches;
// 3. replaces Trunk's loader (a module script, with preloads of the JS and the wasm) by one
//    that starts fetching them once the page has painted: the shell and the server's first
//    screen of the page paint with the link to themselves, and the code follows at once (the
//    integrity hashes go with it: the JS through a modulepreload, the wasm through fetch);
// 4. writes `X.br` (brotli, quality 11) and `X.gz` (gzip -9) beside each wasm, JS, CSS, SVG and
//    HTML file, for the server to send to browsers that accept them. Compressing once here is
//    what lets brotli run at its slowest, smallest setting.
// Usage: node scripts/post-build.mjs <dir>
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import zlib from 'node:zlib';
import { stageLazyParts } from './wasm-split/lazy-parts.mjs';

const dir = process.argv[2];
if (!dir) throw new Error('usage: post-build.mjs <dir>');

// terser comes with the npm packages under tests/ (scripts/tools.sh installs them).
const { minify } = createRequire(path.join(import.meta.dirname, '..', 'tests', 'package.json'))('terser');
const indexFile = path.join(dir, 'index.html');
let index = readFileSync(indexFile, 'utf8');
const glue = index.match(/import init, \* as bindings from '\/([^']+)'/)?.[1];
if (!glue) throw new Error("post-build: Trunk's loader in index.html is not the one expected");
const sourceDir = process.env.TRUNK_SOURCE_DIR ?? process.cwd();
index = pageStylesheet(dir, index, sourceDir);
const staged = stageLazyParts(dir, glue, index, sourceDir);
index = staged.index;
for (const name of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
  const file = path.join(dir, name);
  const { code } = await minify(readFileSync(file, 'utf8'), { module: true, compress: true, mangle: true });
  writeFileSync(file, code);
  const integrity = `sha384-${createHash('sha384').update(code).digest('base64')}`;
  // The `<link>` naming this file (attributes in any order, quoted or not).
  index = index.replace(/<link\b[^>]*>/g, (tag) =>
    new RegExp(`href=["']?/${name.replace(/[.]/g, '\\.')}["'\\s>]`).test(tag)
      ? tag.replace(/integrity=(["']?)sha384-[A-Za-z0-9+/=]+\1/, `integrity=$1${integrity}$1`)
      : tag,
  );
}
index = loadAfterFirstPaint(index, staged.parts);
writeFileSync(indexFile, index);
const { BROTLI_PARAM_QUALITY, BROTLI_PARAM_SIZE_HINT, BROTLI_PARAM_MODE, BROTLI_MODE_TEXT, BROTLI_MODE_GENERIC } =
  zlib.constants;
for (const name of readdirSync(dir)) {
  if (!/\.(wasm|js|css|svg|html)$/.test(name)) continue;
  const file = path.join(dir, name);
  const raw = readFileSync(file);
  writeFileSync(`${file}.gz`, zlib.gzipSync(raw, { level: 9 }));
  const br = zlib.brotliCompressSync(raw, {
    params: {
      [BROTLI_PARAM_QUALITY]: 11,
      [BROTLI_PARAM_SIZE_HINT]: raw.length,
      [BROTLI_PARAM_MODE]: name.endsWith('.wasm') ? BROTLI_MODE_GENERIC : BROTLI_MODE_TEXT,
    },
  });
  writeFileSync(`${file}.br`, br);
}

/**
 * index.html with Trunk's loader replaced by one that starts after the first paint. With lazy
 * `parts` (scripts/wasm-split/lazy-parts.mjs), the part of the page opened comes with the main
 * wasm rather than after it, and the rollout page's and the palette's are fetched a little after
 * start; all only fill the browser's cache (the parts are immutable), the app runs a part when
 * it needs it.
 */
function loadAfterFirstPaint(html, parts) {
  const loader = html.match(/<script type=["']?module["']?>([\s\S]*?)<\/script>/);
  const js = loader?.[1].match(/import init, \* as bindings from '([^']+)'/)?.[1];
  const wasm = loader?.[1].match(/module_or_path: '([^']+)'/)?.[1];
  if (!js || !wasm) throw new Error("post-build: Trunk's loader in index.html is not the one expected");
  // The `<link>` preloading a file, and its integrity hash.
  const preload = (href) => {
    const tag = html.match(new RegExp(`<link\\b[^>]*href=["']?${href.replace(/[.]/g, '\\.')}["'\\s>][^>]*>`))?.[0];
    const integrity = tag?.match(/integrity=["']?(sha384-[A-Za-z0-9+/=]+)/)?.[1];
    if (!integrity) throw new Error(`post-build: no preload with an integrity hash for ${href}`);
    return { tag, integrity };
  };
  const [code, module] = [preload(js), preload(wasm)];
  const q = JSON.stringify;
  const script = [
    // After the first paint; a tab opened in the background never paints (nor runs
    // animation frames) until shown, so a timer starts the code there anyway.
    'await new Promise((r) => { requestAnimationFrame(() => setTimeout(r)); setTimeout(r, 250); });',
    `const wasm = fetch(${q(wasm)}, { integrity: ${q(module.integrity)} });`,
    ...(Object.keys(parts).length === 0
      ? []
      : [
          `const parts = ${q(parts)};`,
          'const warm = (name) => { for (const [url, integrity] of parts[name] ?? []) fetch(url, { integrity }).catch(() => {}); };',
          // Which part holds which page: src/app.rs (the list is in the main wasm).
          "const path = location.pathname.replace(/\\/+$/, '');",
          "warm(path.startsWith('/rollouts/') ? 'rollout' : path === '' || path === '/rollouts' ? null : 'pages');",
        ]),
    `document.head.append(Object.assign(document.createElement('link'), { rel: 'modulepreload', href: ${q(js)}, integrity: ${q(code.integrity)} }));`,
    `const bindings = await import(${q(js)});`,
    // The lazy parts' loader reaches the main module through it.
    'window.wasmBindings = bindings;',
    'const instance = await bindings.default({ module_or_path: wasm });',
    "dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm: instance } }));",
    ...(Object.keys(parts).length === 0
      ? []
      : ["setTimeout(() => { warm('rollout'); warm('palette'); window.pageStyles?.(); }, 3000);"]),
  ].join('\n');
  return html
    .replace(code.tag, '')
    .replace(module.tag, '')
    .replace(loader[0], `<script type=module>${script}</script>`);
}

/**
 * index.html's `<link … data-page-css>` (the CSS of the pages in lazy parts) made one file,
 * `pages-<hash>.css`, out of the page's first paint on the list. In their place, a script
 * defines `pageStyles(block)`: it adds the stylesheet once (with its integrity hash) and answers
 * a promise of its load. It runs at once, render-blocking, on any page but the list (the
 * server's first screen of a rollout needs it); the lazy parts' loader awaits it before any part
 * runs (scripts/wasm-split/lazy-parts.mjs), and the page loader adds it 3 s after start.
 */
function pageStylesheet(dir, html, sourceDir) {
  const links = html.match(/<link\b[^>]*\bdata-page-css\b[^>]*>/g) ?? [];
  if (links.length === 0) return html;
  const css = links
    .map((tag) => {
      const href = tag.match(/href=["']?([^"'\s>]+)/)?.[1];
      if (!href) throw new Error(`post-build: no href in ${tag}`);
      return minifyCss(readFileSync(path.join(sourceDir, href), 'utf8'));
    })
    .join('\n');
  const name = `pages-${createHash('sha256').update(css).digest('hex').slice(0, 16)}.css`;
  writeFileSync(path.join(dir, name), css);
  const integrity = `sha384-${createHash('sha384').update(css).digest('base64')}`;
  const q = JSON.stringify;
  const script =
    '(function(){var p;window.pageStyles=function(block){if(!p){var l=document.createElement("link");' +
    `l.rel="stylesheet";l.href=${q(`/${name}`)};l.integrity=${q(integrity)};` +
    'if(block)l.setAttribute("blocking","render");' +
    'p=new Promise(function(r){l.onload=l.onerror=r});document.head.append(l)}return p};' +
    'if(!/^\\/(rollouts)?\\/?$/.test(location.pathname))pageStyles(true)})()';
  const [first, ...rest] = links;
  let out = html.replace(first, `<script>${script}</script>`);
  for (const tag of rest) out = out.replace(tag, '');
  return out;
}

/** CSS without its comments and runs of white space (strings in it hold no such runs). */
function minifyCss(css) {
  return css
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,])\s*/g, '$1')
    .replace(/;}/g, '}')
    .trim();
}
