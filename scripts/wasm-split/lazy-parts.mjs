// The console's lazy pages, put into the staged build by scripts/post-build.mjs. At link time
// (scripts/wasm-split/link.sh) Leptos' splitter left the code behind the split points (the
// lazy pages of src/app.rs) as wasm parts of their own, with a loader for them
// (__wasm_split.js); Trunk only ever saw the main part. Here each part is optimised (wasm-opt
// -Oz, as Trunk does the main one), named after its content and fetched with its integrity
// hash; the loader, named after its content too, is imported by the JS glue, which is renamed
// after its new content. Nothing here is cached under a name whose content can change.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** wasm-opt's features: those of the main module as Trunk optimises it. */
const FEATURES = [
  '--enable-bulk-memory',
  '--enable-nontrapping-float-to-int',
  '--enable-sign-ext',
  '--enable-mutable-globals',
  '--enable-reference-types',
  '--enable-multivalue',
];

const digest = (bytes, algorithm = 'sha256') => createHash(algorithm).update(bytes);
const hashed = (stem, ext, bytes) => `${stem}-${digest(bytes).digest('hex').slice(0, 16)}.${ext}`;
const integrity = (bytes) => `sha384-${digest(bytes, 'sha384').digest('base64')}`;

/**
 * Stages the lazy parts beside the glue `glueName` (in `dir`). Answers index.html with the
 * glue's new name, and the files of each part by its name in src/app.rs (`rollout`, `pages`),
 * the code it shares with others included: `{ rollout: [[url, integrity], …], … }`. Nothing to
 * do (index as is, no parts) when the glue imports no loader.
 */
export function stageLazyParts(dir, glueName, index, sourceDir) {
  const gluePath = path.join(dir, glueName);
  let glue = readFileSync(gluePath, 'utf8');
  // `import * as importN from "./__wasm_split.js"`; the same name is also the key of the wasm's
  // imports, which must stay.
  const from = 'from "./__wasm_split.js"';
  if (!glue.includes(from)) return { index, parts: {} };
  const splitDir = path.join(targetDir(sourceDir), 'wasm32-unknown-unknown', cargoProfile(sourceDir), 'wasm-split');
  const loaderPath = path.join(splitDir, '__wasm_split.js');
  if (!existsSync(loaderPath)) throw new Error(`post-build: the glue loads lazy parts, but ${loaderPath} is missing`);
  checkTableExported(dir, glueName);

  let loader = readFileSync(loaderPath, 'utf8');
  const partsOf = sharingParts(loader);
  const parts = {};
  // The glue is imported by name nowhere: it is the module the page loaded (window.wasmBindings),
  // and a part only loads once the app runs, so there is no import cycle to name.
  const imported = 'import { initSync } from "./main.js";';
  if (!loader.includes(imported)) throw new Error('post-build: __wasm_split.js does not import the glue as expected');
  loader = loader.replace(imported, 'const initSync = (...a) => window.wasmBindings.initSync(...a);');
  loader = recoverFromFailedLoads(loader);
  const wasmOpt = path.join(sourceDir, 'tests', 'node_modules', '.bin', 'wasm-opt');
  for (const name of readdirSync(splitDir).filter((n) => n.endsWith('.wasm'))) {
    const fetched = `fetchPart(new URL("./${name}", import.meta.url))`;
    if (!loader.includes(fetched)) throw new Error(`post-build: __wasm_split.js does not fetch ${name}`);
    const optimised = path.join(dir, name);
    execFileSync(wasmOpt, ['-Oz', ...FEATURES, path.join(splitDir, name), '-o', optimised], { stdio: 'inherit' });
    const bytes = readFileSync(optimised);
    // `split_rollout.wasm` (src/app.rs names the parts) → `part-rollout-<hash>.wasm`; what
    // several parts use, `chunk_3.wasm` → `part-shared-3-<hash>.wasm`.
    const stem = name
      .replace(/\.wasm$/, '')
      .replace(/^split_/, 'part-')
      .replace(/^chunk_/, 'part-shared-')
      .replaceAll('_', '-');
    const final = hashed(stem, 'wasm', bytes);
    for (const part of partsOf(name)) (parts[part] ??= []).push([`/${final}`, integrity(bytes)]);
    renameSync(optimised, path.join(dir, final));
    loader = loader.replace(
      fetched,
      `fetchPart(new URL("./${final}", import.meta.url), { integrity: ${JSON.stringify(integrity(bytes))} })`,
    );
  }
  const loaderName = hashed('lazy-parts', 'js', loader);
  writeFileSync(path.join(dir, loaderName), loader);

  glue = glue.replaceAll(from, `from "./${loaderName}"`);
  const newGlue = hashed(glueName.replace(/-[0-9a-f]{12,16}\.js$/, ''), 'js', glue);
  writeFileSync(path.join(dir, newGlue), glue);
  unlinkSync(gluePath);
  return { index: index.replaceAll(glueName, newGlue), parts };
}

/**
 * Which parts (split names) a file of the generated loader belongs to: `split_<name>.wasm` to
 * `<name>`; a shared chunk to the parts its loader's comment lists (`/* pages, rollout *\/`
 * above `const __chunk_3 = makeLoad(… "./chunk_3.wasm" …)`).
 */
function sharingParts(loader) {
  const shared = new Map(
    [...loader.matchAll(/\/\* ([\w, ]+) \*\/\nconst __chunk_\d+ = makeLoad\(\(\) => \{\n\s*const src = fetch\(new URL\("\.\/(chunk_\d+\.wasm)"/g)].map(
      (m) => [m[2], m[1].split(', ')],
    ),
  );
  return (name) => {
    const own = name.match(/^split_(\w+)\.wasm$/)?.[1];
    const parts = own ? [own] : shared.get(name);
    if (!parts) throw new Error(`post-build: which parts use ${name} is not in __wasm_split.js`);
    return parts;
  };
}

/**
 * The loader with its failed loads handled. As generated, a part that cannot be fetched is
 * reported to the wasm, which stops the whole app (Leptos' lazy routes treat it as a panic).
 * Here a fetch that fails for the network or the server (down, 5xx) is tried again, every 1 to
 * 10 s, for as long as it takes, with the shell's status saying so over the server's first
 * screen; a part that is gone (404: a new build since the page loaded) loads the page afresh,
 * at most once a minute (missing again right after, it says so and the page stays as it is).
 */
function recoverFromFailedLoads(loader) {
  if (!loader.includes('const src = fetch(new URL(')) {
    throw new Error('post-build: __wasm_split.js does not fetch the parts as expected');
  }
  const policy = `
async function reloadOnce() {
  const key = 'rollout-console:part-reload';
  if (Date.now() - Number(sessionStorage.getItem(key)) < 60000) {
    // Reloaded for it a moment ago and still missing: another reload could loop, and failing
    // the load would stop the whole app. Say so, and leave the page as it is.
    say('This page of the console is not on the server right now (a new version on its way?). Reload in a moment.', true);
    await new Promise(() => {});
  }
  sessionStorage.setItem(key, String(Date.now()));
  location.reload();
  await new Promise(() => {});
}
async function fetchPart(url, init) {
  // The lazy pages' CSS (index.html, scripts/post-build.mjs) is in before any of them shows.
  await window.pageStyles?.();
  for (let attempt = 0; ; attempt++) {
    let res;
    try {
      res = await fetch(url, init);
    } catch {}
    if (res?.ok) {
      if (attempt > 0) say(null);
      return res;
    }
    // A body that does not match the integrity hash (a 404's, say) fails the fetch as the
    // network would: its status is asked for apart.
    const status = res?.status ?? (await fetch(url, { method: 'HEAD' }).then((r) => r.status, () => 0));
    if (status === 404) await reloadOnce();
    say('The server does not answer: this is the page as it last sent it. Trying again…');
    await new Promise((r) => setTimeout(r, Math.min(1000 * 2 ** attempt, 10000)));
  }
}
/** Says \`text\` in the shell's status line or, once the app has taken over, in a note of its
 * own (\`.part-status\`, style/layout.css); \`null\`: the part came, the shell's loading words
 * are back and the note goes. */
function say(text, alert) {
  const shell = document.getElementById('shell-status');
  if (shell) {
    shell.textContent = text ?? 'Loading the console…';
    if (alert) shell.setAttribute('role', 'alert');
    return;
  }
  let note = document.getElementById('part-status');
  if (!text) return note?.remove();
  if (!note) {
    note = Object.assign(document.createElement('p'), { id: 'part-status', className: 'part-status' });
    document.body.append(note);
  }
  note.textContent = text;
  note.setAttribute('role', alert ? 'alert' : 'status');
}
`;
  return loader.replaceAll('const src = fetch(new URL(', 'const src = fetchPart(new URL(') + policy;
}

/** cargo's target directory (CARGO_TARGET_DIR or the workspace's `target/`). */
function targetDir(sourceDir) {
  const meta = execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: sourceDir });
  return JSON.parse(meta).target_directory;
}

/** The cargo profile Trunk built with: index.html's `data-cargo-profile-release` in release. */
function cargoProfile(sourceDir) {
  if (process.env.TRUNK_PROFILE !== 'release') return 'debug';
  const html = readFileSync(path.join(sourceDir, 'index.html'), 'utf8');
  return html.match(/data-cargo-profile-release=["']?([\w-]+)/)?.[1] ?? 'release';
}

/** The parts link against the main module's function table: wasm-bindgen must have kept it. */
function checkTableExported(dir, glueName) {
  const wasm = path.join(dir, glueName.replace(/\.js$/, '_bg.wasm'));
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(wasm))).map((e) => e.name);
  if (!exports.includes('__indirect_function_table')) {
    throw new Error(
      'post-build: the main wasm does not export its function table; build with scripts/build-console.sh ' +
        '(its wasm-bindgen keeps the lld exports)',
    );
  }
}
