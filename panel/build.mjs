// Bundles the panel into content-hashed files plus index.html and a manifest, in the folder berthd embeds.
import * as esbuild from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, process.env.BERTH_PANEL_OUT || '../src/Berth.Daemon/Panel/wwwroot');

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

const result = await esbuild.build({
  entryPoints: { app: path.join(here, 'src/main.js'), 'app-style': path.join(here, 'src/app.css') },
  bundle: true,
  minify: true,
  format: 'esm',
  // The terminal is its own chunk, loaded when a console opens (pages/container.js).
  splitting: true,
  chunkNames: 'chunk-[hash]',
  target: ['chrome110', 'firefox110', 'safari16'],
  entryNames: '[name]-[hash]',
  outdir: out,
  metafile: true,
  legalComments: 'eof',
  logLevel: 'warning',
});

const files = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
const script = files.find((f) => /^app-[A-Z0-9]+\.js$/.test(f));
const style = files.find((f) => /^app-style-[A-Z0-9]+\.css$/.test(f));
if (!script || !style) throw new Error(`the build made no app script or style: ${files.join(', ')}`);

const template = await readFile(path.join(here, 'src/index.html'), 'utf8');
const html = template.replace('%SCRIPT%', `/panel/${script}`).replace('%STYLE%', `/panel/${style}`);
await writeFile(path.join(out, 'index.html'), html);
// The daemon serves only the names listed here; index.html is never cached, the hashed files forever.
await writeFile(path.join(out, 'manifest.json'), JSON.stringify({ index: 'index.html', files: files.filter((f) => !f.endsWith('.map')).sort() }, null, 2) + '\n');
console.log(`panel: ${script}, ${style} -> ${path.relative(process.cwd(), out) || '.'}`);
