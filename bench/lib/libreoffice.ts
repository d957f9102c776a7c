/**
 * LibreOffice for the rendering comparison: found on the PATH, or installed from Debian (`libreoffice-calc-nogui`)
 * when the bench runs as root with apt-get. When neither works the comparison is reported as not measured.
 */
import { runProcess } from './child';

export type LibreOffice = { ok: true; binary: string; version: string } | { ok: false; reason: string };

async function which(names: readonly string[]): Promise<string | null> {
  for (const name of names) {
    const run = await runProcess('sh', ['-c', `command -v ${name}`]).catch(() => null);
    const path = run?.stdout.trim();
    if (run?.code === 0 && path) return path;
  }
  return null;
}

const BINARIES = ['soffice', 'libreoffice'];

export async function findOrInstallLibreOffice(log: (message: string) => void): Promise<LibreOffice> {
  let binary = await which(BINARIES);
  if (!binary) {
    const root = process.getuid?.() === 0;
    const apt = await which(['apt-get']);
    if (!root || !apt)
      return { ok: false, reason: 'LibreOffice unavailable: not installed, and no apt-get as root to install it' };
    log('render: installing libreoffice-calc-nogui with apt-get (once per machine; a few minutes)');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = await runProcess('apt-get', ['update'], { env, timeoutMs: 600_000 });
    const install =
      update.code === 0
        ? await runProcess('apt-get', ['install', '-y', '--no-install-recommends', 'libreoffice-calc-nogui'], {
            env,
            timeoutMs: 1_200_000,
          })
        : update;
    if (install.code !== 0) {
      return {
        ok: false,
        reason: `LibreOffice unavailable: apt-get failed (${install.stderr.trim().split('\n').at(-1) ?? 'no message'})`,
      };
    }
    binary = await which(BINARIES);
    if (!binary) return { ok: false, reason: 'LibreOffice unavailable: installed, but soffice is not on the PATH' };
  }
  const version = await runProcess(binary, ['--version'], { timeoutMs: 120_000 });
  return { ok: true, binary, version: version.stdout.trim().split('\n')[0] ?? 'unknown' };
}

/** Convert one file to PDF in `outDir` with its own profile folder; returns the wall time of the whole process. */
export async function convertToPdf(lo: { binary: string }, file: string, outDir: string, profileDir: string) {
  const run = await runProcess(
    lo.binary,
    [
      `-env:UserInstallation=file://${profileDir}`,
      '--headless',
      '--norestore',
      '--convert-to',
      'pdf',
      '--outdir',
      outDir,
      file,
    ],
    { timeoutMs: 600_000 },
  );
  if (run.code !== 0 || run.timedOut) {
    throw new Error(
      `soffice --convert-to pdf failed (${run.timedOut ? 'timed out' : `exit ${run.code}`}): ${run.stderr.slice(-500)}`,
    );
  }
  return run.wallMs;
}
