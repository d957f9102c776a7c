/**
 * The child scripts, bundled with esbuild into plain ESM so they run on plain Node: no TypeScript loader in the
 * measured process (tsx alone adds ~35 MB of RSS). Packages are inlined as the command line inlines them
 * (scripts/build-cli.ts): its small pure-JavaScript ones (commander, saxes, fflate, the date libraries), and pdfkit
 * with what it imports and the left-out modules' stubs; the rest stay external and load from node_modules (the
 * Lambda bundles inline everything). pdfkit's colour profile and the font data file (scripts/build-font-data.ts)
 * go beside the children.
 * The render worker is bundled next to the generate child: `parallel-render.ts` starts `./render-worker.js`
 * beside the running module when it is not running from TypeScript sources.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { FONT_DATA_DIR } from '../../functions/pdf/font-data';
import { copyRenderAssets, externalUnlessInlined, INLINED_PACKAGES, RENDER_PACKAGES } from '../../scripts/build-cli';
import { writeFontData } from '../../scripts/build-font-data';
import { leftOutAliases } from '../../scripts/left-out-modules';

export const CHILDREN = {
  ingest: 'bench/children/ingest.ts',
  tablePdf: 'bench/children/table-pdf.ts',
  projectRender: 'bench/children/project-render.ts',
  generate: 'bench/children/generate.ts',
  loadInputs: 'bench/children/load-inputs.ts',
} as const;

export type ChildName = keyof typeof CHILDREN;

/** Bundle every child into `outDir`; returns the path of each. */
export async function buildChildren(root: string, outDir: string): Promise<Record<ChildName, string>> {
  const entryPoints: Record<string, string> = { 'render-worker': join(root, 'functions/app/render-worker.ts') };
  for (const [name, entry] of Object.entries(CHILDREN)) entryPoints[name] = join(root, entry);
  await build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    outExtension: { '.js': '.js' },
    plugins: [externalUnlessInlined([...INLINED_PACKAGES, ...RENDER_PACKAGES])],
    alias: leftOutAliases(root),
    sourcemap: false,
    logLevel: 'warning',
  });
  await copyRenderAssets(root, outDir);
  await writeFontData(join(outDir, FONT_DATA_DIR));
  const out = {} as Record<ChildName, string>;
  for (const name of Object.keys(CHILDREN) as ChildName[]) out[name] = join(outDir, `${name}.js`);
  return out;
}
