// The wasm's code and data by the crate that owns them, from `twiggy top -f csv` on a build
// that kept its names (stdin): each item goes to the first `crate::` path in its name, so a
// generic function lands in the crate that defines it (`core::ptr::drop_in_place<T>` in core,
// whatever T is). Figures, not a test. Run by scripts/bench-firstload.sh.
import { readFileSync } from 'node:fs';

const rows = readFileSync(0, 'utf8').trim().split('\n').slice(1);
const sizes = new Map();
let total = 0;
for (const row of rows) {
  // Name,ShallowSize,ShallowSizePercent,RetainedSize,RetainedSizePercent: the name may itself
  // hold commas (then it is quoted), the numbers never do.
  const [, , , bytes, ...name] = row.split(',').reverse();
  const item = name.reverse().join(',').replace(/^"|"$/g, '').replaceAll('""', '"');
  if (item.includes('function names') || !/^\d+$/.test(bytes ?? '')) continue;
  // `leptos::mount` (legacy symbol names) or `leptos[971fcdd135df60d4]::mount` (v0, which the
  // release build's unstable flags turn on: scripts/build-console.sh).
  const owner = item.startsWith('data segment') ? '(data: strings, tables)' : (item.match(/([a-z_][a-z0-9_]*)(?:\[[0-9a-f]+\])?::/)?.[1] ?? '(other)');
  sizes.set(owner, (sizes.get(owner) ?? 0) + Number(bytes));
  total += Number(bytes);
}
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
const leptos = ['tachys', 'reactive_graph', 'leptos', 'leptos_router', 'leptos_dom', 'leptos_macro', 'either_of', 'oco_ref', 'any_spawner', 'throw_error', 'send_wrapper', 'slotmap', 'or_poisoned'];
const ofLeptos = [...sizes].filter(([c]) => leptos.includes(c)).reduce((s, [, n]) => s + n, 0);
console.log(`wasm by owning crate (names kept, before compression: ${kb(total)})`);
for (const [crate, n] of [...sizes].sort((a, b) => b[1] - a[1]).slice(0, 16)) {
  console.log(`  ${crate.padEnd(26)}${kb(n).padStart(8)}  ${((100 * n) / total).toFixed(1).padStart(5)} %`);
}
console.log(`  Leptos' own crates (tachys, reactive_graph, leptos, leptos_router, …): ${kb(ofLeptos)}, ${((100 * ofLeptos) / total).toFixed(0)} %, plus their share of core's generics`);
