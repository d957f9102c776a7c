/**
 * The auditor's archive (docs/architecture.md §1, §6): what exists, the files of one report with the exact sources behind it,
 * legal holds, and `verify`, which trusts nothing it reads: it re-reads every source by version, checks its hash,
 * re-derives its normalised record from the raw upload, re-renders every output from the revision's plan and
 * rebuilds the manifest, and says per file whether it is what the archive claims.
 */
import { keys, parseInboxKey, parseReportFile, parseReportKey } from '../core/keys';
import {
  buildManifest,
  type Manifest,
  type ManifestOutput,
  type ManifestSource,
  revisionBasis,
} from '../core/manifest';
import { parsePeriod, periodStart, rigaDate } from '../core/period';
import type { ArchiveControl, Logger, ObjectStore } from '../core/ports';
import type { FigureSnapshot } from '../core/report-model';
import type { Lang, NormalisedSubmission, Registry } from '../core/types';
import { parseRegistry } from '../intake/read-registry';
import { parseSubmission } from '../intake/read-submission';
import { readXlsx } from '../intake/read-xlsx';
import { CODE_VERSION } from './code-version';
import { jsonBytes, parseJson, recordBytes, sha256Hex } from './deps';
import { renderProgrammeFiles, renderProjectFiles } from './generate';
import { mapLimit } from './map-limit';
import type { RevisionInputs, RevisionPlan } from './revisions';

/** What the archive use cases need: the store, and for holds and download links the store's archive control. */
export interface ArchiveDeps {
  store: ObjectStore;
  log: Logger;
  control?: ArchiveControl;
}

/** A request the archive cannot answer (no such period, revision or report): the caller's mistake, named. */
export class ArchiveLookupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveLookupError';
  }
}

const PROGRAMME = 'programme';
const PLAN_FILE = 'plan.json';
const MANIFEST_FILE = 'manifest.json';

function tryParse<T>(bytes: Uint8Array): T | null {
  try {
    return parseJson<T>(bytes);
  } catch {
    return null;
  }
}

async function readJsonObject<T>(store: ObjectStore, key: string) {
  const obj = await store.get(key);
  return obj ? { bytes: obj.bytes, value: tryParse<T>(obj.bytes) } : null;
}

/** period → revision → file names, from one listing. */
async function archivedRevisions(store: ObjectStore, period?: string): Promise<Map<string, Map<number, Set<string>>>> {
  const out = new Map<string, Map<number, Set<string>>>();
  for (const info of await store.list(period ? keys.reportsOf(period) : keys.reportsPrefix)) {
    const parsed = parseReportKey(info.key);
    if (!parsed) continue;
    const revisions = out.get(parsed.period) ?? new Map<number, Set<string>>();
    out.set(parsed.period, revisions);
    const files = revisions.get(parsed.revision) ?? new Set<string>();
    revisions.set(parsed.revision, files);
    files.add(parsed.file);
  }
  return out;
}

/** The revisions of a period with a manifest (complete), ascending. */
async function completeRevisions(store: ObjectStore, period: string): Promise<number[]> {
  const revisions = (await archivedRevisions(store, period)).get(period) ?? new Map<number, Set<string>>();
  return [...revisions.entries()]
    .filter(([, files]) => files.has(MANIFEST_FILE))
    .map(([n]) => n)
    .sort((a, b) => a - b);
}

async function chooseRevision(store: ObjectStore, period: string, revision?: number): Promise<number> {
  const complete = await completeRevisions(store, period);
  if (revision === undefined) {
    const latest = complete[complete.length - 1];
    if (latest === undefined) throw new ArchiveLookupError(`no archived revision of ${period}`);
    return latest;
  }
  if (!complete.includes(revision)) throw new ArchiveLookupError(`${period} has no complete revision r${revision}`);
  return revision;
}

/** The report a key is: a project's id, or `programme` (any edition). */
function subjectOf(key: string): string | null {
  const file = parseReportKey(key)?.file;
  return file ? (parseReportFile(file)?.subject ?? null) : null;
}

/** The edition a report key is (`lv` for the unsuffixed names). */
function editionOfKey(key: string): Lang | null {
  const file = parseReportKey(key)?.file;
  return file ? (parseReportFile(file)?.edition ?? null) : null;
}

// ─── list ────────────────────────────────────────────────────────────────────────────────────────────────────────

/** One revision as `archive list` shows it. */
export interface ArchivedRevision {
  period: string;
  revision: number;
  /** `complete`: the manifest is there; `incomplete`: planned, not finished; `unreadable`: the manifest does not parse. */
  status: 'complete' | 'incomplete' | 'unreadable';
  generatedAt: string | null;
  codeVersion: string | null;
  manifestKey: string;
  /** SHA-256 of the manifest's bytes: note it down, and `archive verify --manifest-sha256` checks it later. */
  manifestSha256: string | null;
  /** The report files (only the filtered project's, when a project is given). */
  outputs: ManifestOutput[];
  sources: number;
}

/** Every archived revision, oldest period first, optionally of one period and of one project (or `programme`). */
export async function listArchive(
  deps: Pick<ArchiveDeps, 'store'>,
  filter: { period?: string; project?: string } = {},
): Promise<ArchivedRevision[]> {
  const out: ArchivedRevision[] = [];
  const all = await archivedRevisions(deps.store, filter.period);
  for (const period of [...all.keys()].sort()) {
    const revisions = all.get(period)!;
    for (const revision of [...revisions.keys()].sort((a, b) => a - b)) {
      const files = revisions.get(revision)!;
      const manifestKey = keys.manifest(period, revision);
      const row: ArchivedRevision = {
        period,
        revision,
        status: 'incomplete',
        generatedAt: null,
        codeVersion: null,
        manifestKey,
        manifestSha256: null,
        outputs: [],
        sources: 0,
      };
      if (files.has(MANIFEST_FILE)) {
        const read = await readJsonObject<Manifest>(deps.store, manifestKey);
        row.manifestSha256 = read ? sha256Hex(read.bytes) : null;
        const manifest = read?.value;
        if (isManifestShaped(manifest ?? null)) {
          row.status = 'complete';
          row.generatedAt = manifest!.generatedAt;
          row.codeVersion = manifest!.codeVersion;
          row.outputs = manifest!.outputs;
          row.sources = manifest!.sources.length;
        } else row.status = 'unreadable';
      } else {
        const plan = (await readJsonObject<RevisionPlan>(deps.store, keys.plan(period, revision)))?.value;
        row.generatedAt = plan?.generatedAt ?? null;
        row.codeVersion = plan?.codeVersion ?? null;
      }
      if (filter.project !== undefined) {
        row.outputs = row.outputs.filter((o) => subjectOf(o.key) === filter.project);
        const named = row.outputs.length > 0 || [...files].some((f) => f.startsWith(`${filter.project}.`));
        if (!named) continue;
      }
      out.push(row);
    }
  }
  return out;
}

// ─── get ─────────────────────────────────────────────────────────────────────────────────────────────────────────

/** One file of an archive download: where it is stored, what its hash must be, and where it goes in the folder. */
export interface ArchiveItem {
  role: 'report' | 'manifest' | 'plan' | 'source' | 'registry';
  key: string;
  /** The source object version (sources and registry); reports are read as stored. */
  version?: string;
  /** The SHA-256 the manifest records, when it records one. */
  sha256?: string;
  /** Relative, `/`-separated path in the download folder. */
  path: string;
}

/** A downloaded item: its bytes as stored, and whether they hash to what the manifest records. */
export interface FetchedItem extends ArchiveItem {
  bytes: Uint8Array;
  actualSha256: string;
  /** null when the manifest records no hash for it (the plan, the manifest itself). */
  hashOk: boolean | null;
}

export interface ArchiveQuery {
  period: string;
  /** A project id, or `programme`. */
  subject: string;
  /** Default: the latest complete revision. */
  revision?: number;
  /** Only this edition's report files (`lv`: `<id>.pdf`, `en`: `<id>.en.pdf`); default: every edition. */
  edition?: Lang;
}

/** A key's segments made safe as a relative path (no `.`/`..`/empty segments), so a key cannot escape the folder. */
function safePath(key: string): string {
  return key
    .split('/')
    .map((part) => (part === '' || part === '.' || part === '..' ? '_' : part))
    .join('/');
}

/** A raw upload's place under `sources/`; a key that fed the report in several versions gets the version too. */
function sourcePath(key: string, version: string, versionsOfKey: number): string {
  if (versionsOfKey < 2) return `sources/${safePath(key)}`;
  const m = /^(.*?)(\.[^./]*)?$/.exec(key)!;
  return `sources/${safePath(`${m[1]}@${version}${m[2] ?? ''}`)}`;
}

/** What `archive get` hands over for one report: its files, the manifest and plan, and the uploads behind it. */
export async function selectArchiveItems(
  deps: Pick<ArchiveDeps, 'store'>,
  query: ArchiveQuery,
): Promise<{ period: string; revision: number; items: ArchiveItem[] }> {
  const { period, subject } = query;
  const revision = await chooseRevision(deps.store, period, query.revision);
  const manifestKey = keys.manifest(period, revision);
  const read = await readJsonObject<Manifest>(deps.store, manifestKey);
  const manifest = read?.value;
  if (!manifest || !Array.isArray(manifest.outputs) || !Array.isArray(manifest.sources)) {
    throw new ArchiveLookupError(`${manifestKey} does not parse: run archive verify ${period} --revision ${revision}`);
  }
  const ofSubject = manifest.outputs.filter((o) => subjectOf(o.key) === subject);
  if (ofSubject.length === 0) {
    const known = [...new Set(manifest.outputs.map((o) => subjectOf(o.key)))].join(', ');
    throw new ArchiveLookupError(`${period} r${revision} has no report "${subject}" (it has: ${known})`);
  }
  const reports =
    query.edition === undefined ? ofSubject : ofSubject.filter((o) => editionOfKey(o.key) === query.edition);
  if (reports.length === 0) {
    const known = [...new Set(ofSubject.map((o) => editionOfKey(o.key)))].join(', ');
    throw new ArchiveLookupError(
      `${period} r${revision} has no ${query.edition} edition of "${subject}" (it has: ${known})`,
    );
  }
  let sources: ManifestSource[] = manifest.sources;
  if (subject !== PROGRAMME) {
    // A project's report is built from its own uploads (all periods so far); the records say whose they are.
    const owners = await mapLimit(manifest.sources, 16, async (s) => {
      const record = await readJsonObject<NormalisedSubmission>(deps.store, s.recordKey);
      if (!record?.value) throw new ArchiveLookupError(`submission record ${s.recordKey} is missing or unreadable`);
      return record.value.projectId;
    });
    sources = manifest.sources.filter((_, i) => owners[i] === subject);
  }
  const versionsOf = new Map<string, number>();
  for (const s of sources) versionsOf.set(s.key, (versionsOf.get(s.key) ?? 0) + 1);
  const items: ArchiveItem[] = [
    ...reports.map(
      (o): ArchiveItem => ({ role: 'report', key: o.key, sha256: o.sha256, path: safePath(basename(o.key)) }),
    ),
    { role: 'manifest', key: manifestKey, path: MANIFEST_FILE },
    { role: 'plan', key: keys.plan(period, revision), path: PLAN_FILE },
    {
      role: 'registry',
      key: manifest.registry.key,
      version: manifest.registry.version,
      sha256: manifest.registry.sha256,
      path: `sources/${safePath(manifest.registry.key)}`,
    },
    ...sources.map(
      (s): ArchiveItem => ({
        role: 'source',
        key: s.key,
        version: s.version,
        sha256: s.sha256,
        path: sourcePath(s.key, s.version, versionsOf.get(s.key) ?? 1),
      }),
    ),
  ];
  return { period, revision, items };
}

function basename(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** The files of one report with their manifest, plan and sources, each checked against the manifest's hash. */
export async function getArchive(
  deps: Pick<ArchiveDeps, 'store'>,
  query: ArchiveQuery,
): Promise<{ period: string; revision: number; items: FetchedItem[] }> {
  const selected = await selectArchiveItems(deps, query);
  const items = await mapLimit(selected.items, 8, async (item): Promise<FetchedItem> => {
    const obj = await deps.store.get(item.key, item.version);
    if (!obj) {
      const what = item.version ? `${item.key} (version ${item.version})` : item.key;
      throw new ArchiveLookupError(`${what} is missing from the archive: run archive verify ${query.period}`);
    }
    const actualSha256 = sha256Hex(obj.bytes);
    return { ...item, bytes: obj.bytes, actualSha256, hashOk: item.sha256 ? actualSha256 === item.sha256 : null };
  });
  return { ...selected, items };
}

/** A presigned download of one item. */
export interface PresignedItem extends ArchiveItem {
  url: string;
}

/**
 * Download links instead of files: each item is read and hash-checked first, then its URL is signed for exactly
 * the version read, so a link never serves content other than what was checked (on a versioned bucket).
 */
export async function presignArchive(
  deps: ArchiveDeps,
  query: ArchiveQuery,
  options: { expiresInSeconds: number; now: Date },
): Promise<{ period: string; revision: number; expiresAt: string; items: PresignedItem[]; mismatched: string[] }> {
  const presign = deps.control?.presignGet?.bind(deps.control);
  if (!presign) throw new ArchiveLookupError('download links need the S3 archive (--bucket and --archive-bucket)');
  const selected = await selectArchiveItems(deps, query);
  const mismatched: string[] = [];
  const items = await mapLimit(selected.items, 8, async (item): Promise<PresignedItem> => {
    const obj = await deps.store.get(item.key, item.version);
    if (!obj)
      throw new ArchiveLookupError(`${item.key} is missing from the archive: run archive verify ${query.period}`);
    if (item.sha256 && sha256Hex(obj.bytes) !== item.sha256) mismatched.push(item.key);
    return { ...item, url: await presign(item.key, obj.version, options.expiresInSeconds) };
  });
  const expiresAt = new Date(options.now.getTime() + options.expiresInSeconds * 1000).toISOString();
  return { period: selected.period, revision: selected.revision, expiresAt, items, mismatched };
}

// ─── hold ────────────────────────────────────────────────────────────────────────────────────────────────────────

export interface HoldOutcome {
  period: string;
  revisions: number[];
  held: { key: string; version: string }[];
  /** Objects of the revision that this storage cannot hold, and why (e.g. a bucket without Object Lock). */
  notHeld: { key: string; version: string; reason: string }[];
}

/**
 * A legal hold on every object of the period's revisions (all, or the one given): the report files, plan and
 * manifest, and what they were built from (raw uploads by version, their records, the registry). Where the storage
 * cannot hold an object (S3 outside the Object Lock bucket), it is listed with the reason instead.
 */
export async function holdPeriod(
  deps: ArchiveDeps,
  period: string,
  options: { revision?: number } = {},
): Promise<HoldOutcome> {
  const control = deps.control;
  if (!control) throw new ArchiveLookupError('this storage cannot place legal holds');
  const all = (await archivedRevisions(deps.store, period)).get(period);
  if (!all || all.size === 0) throw new ArchiveLookupError(`no archived revision of ${period}`);
  const revisions = options.revision === undefined ? [...all.keys()].sort((a, b) => a - b) : [options.revision];
  if (options.revision !== undefined && !all.has(options.revision))
    throw new ArchiveLookupError(`${period} has no revision r${options.revision}`);

  const targets = new Map<string, { key: string; version: string }>();
  const add = (key: string, version: string) => targets.set(`${key}\n${version}`, { key, version });
  for (const revision of revisions) {
    for (const info of await deps.store.list(keys.revisionPrefix(period, revision))) add(info.key, info.version);
    const basis =
      (await readJsonObject<RevisionPlan>(deps.store, keys.plan(period, revision)))?.value ??
      (await readJsonObject<Manifest>(deps.store, keys.manifest(period, revision)))?.value;
    if (!basis) continue;
    add(basis.registry.key, basis.registry.version);
    const records = [keys.registryVersion(basis.registry.version), ...basis.sources.map((s) => s.recordKey)];
    for (const s of basis.sources) add(s.key, s.version);
    for (const key of records) {
      const obj = await deps.store.get(key);
      if (obj) add(key, obj.version);
    }
  }
  const outcome: HoldOutcome = { period, revisions, held: [], notHeld: [] };
  for (const target of [...targets.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    if (!control.canHold(target.key)) {
      outcome.notHeld.push({ ...target, reason: 'no Object Lock where it is stored (versioning keeps this version)' });
      continue;
    }
    await control.hold(target.key, target.version);
    outcome.held.push(target);
  }
  deps.log.info('archive.hold', { period, revisions: revisions.length, held: outcome.held.length });
  return outcome;
}

// ─── verify ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** One checked object and what was found. */
export interface VerifyCheck {
  subject: 'plan' | 'manifest' | 'registry' | 'source' | 'record' | 'output' | 'lineage' | 'revision';
  /** The object checked (for lineage: the project's PDF, whose appendix it is). */
  key: string;
  ok: boolean;
  /** What held (`hash ok`, `re-render identical`) or what did not, in that order. */
  findings: string[];
}

export interface VerifyReport {
  period: string;
  revision: number;
  ok: boolean;
  generatedAt: string | null;
  codeVersion: { archived: string | null; running: string };
  manifestSha256: string | null;
  checks: VerifyCheck[];
}

/**
 * Memory shared by the verifications of one run: a record re-derived from its raw upload once need not be
 * re-derived for the next period that uses it. Keyed by the hashes of every input, so a changed byte misses.
 */
export interface VerifySession {
  rederived: Map<string, string[]>;
}

export function createVerifySession(): VerifySession {
  return { rederived: new Map() };
}

const short = (hex: string | null | undefined) => (hex ? hex.slice(0, 12) : '—');

/** Top-level fields whose JSON differs: the "what" of a mismatch, without printing any (personal) values. */
function differingFields(a: unknown, b: unknown): string[] {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return ['(whole value)'];
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const names = [...new Set([...Object.keys(ra), ...Object.keys(rb)])];
  return names.filter((n) => JSON.stringify(ra[n]) !== JSON.stringify(rb[n]));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a).equals(Buffer.from(b));
}

/** A plan rebuilt from the manifest, when the plan itself is gone: outputs can still be re-rendered and compared. */
function planFromManifest(m: Manifest): RevisionPlan {
  const projectIds = [
    ...new Set(
      m.outputs
        .map((o) => o.key)
        .filter((k) => k.endsWith('.pdf'))
        .map((k) => subjectOf(k)!)
        .filter((id) => id !== PROGRAMME),
    ),
  ];
  return { schemaVersion: 1, kind: 'plan', ...revisionBasis(m), projectIds };
}

function isPlanShaped(p: RevisionPlan | null): p is RevisionPlan {
  return (
    !!p &&
    p.kind === 'plan' &&
    typeof p.generatedAt === 'string' &&
    Array.isArray(p.sources) &&
    Array.isArray(p.projectIds) &&
    typeof p.registry?.version === 'string'
  );
}

function isManifestShaped(m: Manifest | null): m is Manifest {
  return (
    !!m &&
    m.kind === 'manifest' &&
    Array.isArray(m.sources) &&
    Array.isArray(m.outputs) &&
    typeof m.registry?.version === 'string'
  );
}

/** Fields the plan fixes and the manifest must repeat unchanged. */
const PLAN_FIELDS = [
  'period',
  'revision',
  'generatedAt',
  'language',
  'editions',
  'codeVersion',
  'registry',
  'sources',
] as const;

/**
 * Verify one complete revision. Nothing read is trusted; every object is named in a check:
 * - plan: present, parses, names this period and revision;
 * - registry and sources: the raw upload read by key and version, its SHA-256 equal to the manifest's; its
 *   normalised record present, naming that upload, and byte-identical to the record re-derived from the raw
 *   upload (submissions against the registry version they were validated against, itself checked the same way);
 * - outputs: every report the plan produces is archived, listed in the manifest with its SHA-256 and size, and
 *   byte-identical to a re-render from the plan's sources, generated-at and language; nothing else is in the folder;
 * - lineage: every source cell a figure cites is a manifest source with the same SHA-256;
 * - manifest: parses, repeats the plan, and is byte-identical to the manifest rebuilt from the plan and the
 *   re-rendered outputs (so no byte of it can change unnoticed); optionally its SHA-256 equals one noted elsewhere.
 */
export async function verifyRevision(
  deps: Pick<ArchiveDeps, 'store'>,
  period: string,
  revision: number,
  options: { session?: VerifySession; expectManifestSha256?: string } = {},
): Promise<VerifyReport> {
  const checks: VerifyCheck[] = [];
  const ctx: VerifyContext = {
    store: deps.store,
    session: options.session ?? createVerifySession(),
    period,
    revision,
    registries: new Map(),
    check: (subject, key, findings, failures) =>
      checks.push({ subject, key, ok: failures.length === 0, findings: [...failures, ...findings] }),
  };
  const plan = await verifyPlan(ctx);

  // The manifest, read now and judged last (its rebuild needs the re-rendered outputs).
  const manifestKey = keys.manifest(period, revision);
  const manifestRead = await readJsonObject<Manifest>(deps.store, manifestKey);
  const manifestSha256 = manifestRead ? sha256Hex(manifestRead.bytes) : null;
  const manifest = manifestRead && isManifestShaped(manifestRead.value) ? manifestRead.value : null;
  const basis = plan ?? (manifest ? planFromManifest(manifest) : null);
  const report = (): VerifyReport => ({
    period,
    revision,
    ok: checks.every((c) => c.ok),
    generatedAt: basis?.generatedAt ?? null,
    codeVersion: { archived: basis?.codeVersion ?? null, running: CODE_VERSION },
    manifestSha256,
    checks,
  });
  if (!basis) {
    ctx.check(
      'manifest',
      manifestKey,
      [],
      [manifestRead ? 'does not parse as a manifest' : 'missing from the archive'],
    );
    return report();
  }
  // Hashes as the manifest records them (the auditor's document); the plan's when the manifest is unreadable.
  const recordedRegistrySha = manifest?.registry.sha256 ?? basis.registry.sha256;
  const registryEntry = await verifyRegistry(ctx, basis.registry.version, recordedRegistrySha, basis.registry.key);
  const submissions = await verifySubmissions(ctx, basis, manifest?.sources ?? basis.sources);
  const rerender = await rerenderRevision(ctx, basis, registryEntry, submissions);
  const outputKeys = await verifyOutputs(ctx, manifest, rerender);

  // Nothing else belongs in the revision's folder.
  const expected = new Set([keys.plan(period, revision), manifestKey, ...outputKeys]);
  for (const info of await deps.store.list(keys.revisionPrefix(period, revision))) {
    if (!expected.has(info.key)) ctx.check('revision', info.key, [], ['not part of the revision (unexpected object)']);
  }
  verifyManifest(ctx, { key: manifestKey, read: manifestRead, manifest, plan, sha256: manifestSha256 }, rerender, {
    expectSha256: options.expectManifestSha256,
  });
  return report();
}

/** What the phases of one revision's verification share: where to read, what was re-derived, and the checks. */
interface VerifyContext {
  store: ObjectStore;
  session: VerifySession;
  period: string;
  revision: number;
  /** Registry versions already checked in this revision (null: checked and failed). */
  registries: Map<string, RegistryEntry | null>;
  check(subject: VerifyCheck['subject'], key: string, findings: string[], failures: string[]): void;
}

interface RegistryEntry {
  registry: Registry;
  recordSha: string;
}

/** What re-rendering the revision from its plan produced. */
interface Rerender {
  rendered: Map<string, Uint8Array>;
  programmeFacts: { completeness: Manifest['completeness']; figures: FigureSnapshot } | null;
  failures: string[];
}

/** The plan: what the revision was built from, fixed before any file was written. */
async function verifyPlan(ctx: VerifyContext): Promise<RevisionPlan | null> {
  const { period, revision } = ctx;
  const planKey = keys.plan(period, revision);
  const planRead = await readJsonObject<RevisionPlan>(ctx.store, planKey);
  if (!planRead) ctx.check('plan', planKey, [], ['missing from the archive']);
  else if (!isPlanShaped(planRead.value)) ctx.check('plan', planKey, [], ['does not parse as a plan']);
  else if (planRead.value.period !== period || planRead.value.revision !== revision)
    ctx.check('plan', planKey, [], [`names ${planRead.value.period} r${planRead.value.revision}`]);
  else {
    const plan = planRead.value;
    // Written as canonical JSON: any other bytes (even the same content re-spaced) mean the file was changed.
    const canonical = sameBytes(jsonBytes(plan), planRead.bytes);
    ctx.check(
      'plan',
      planKey,
      canonical ? ['parses, names this revision', 'canonical bytes'] : ['parses, names this revision'],
      canonical ? [] : ['same content, other bytes than the canonical plan'],
    );
    return plan;
  }
  return null;
}

/** A raw upload by key and version, hashed; returns its bytes when they are the recorded ones. */
async function verifyRaw(
  ctx: VerifyContext,
  subject: 'registry' | 'source',
  key: string,
  version: string,
  expectedSha: string,
): Promise<Uint8Array | null> {
  const label = `${key}@${version}`;
  const obj = await ctx.store.get(key, version);
  if (!obj) {
    const current = await ctx.store.get(key);
    ctx.check(
      subject,
      label,
      [],
      [
        `version ${version} is not in the store`,
        current
          ? `the current content is version ${current.version}, sha256 ${short(sha256Hex(current.bytes))}`
          : 'no object under this key',
      ],
    );
    return null;
  }
  const actual = sha256Hex(obj.bytes);
  if (actual !== expectedSha) {
    ctx.check(subject, label, [], [`sha256 ${short(actual)} ≠ manifest ${short(expectedSha)}`]);
    return null;
  }
  ctx.check(subject, label, ['hash ok'], []);
  return obj.bytes;
}

/** The registry in force, or one a submission was validated against: its upload, its record, re-derived. */
async function verifyRegistry(
  ctx: VerifyContext,
  version: string,
  expectedSha?: string,
  expectedKey?: string,
): Promise<RegistryEntry | null> {
  if (ctx.registries.has(version)) return ctx.registries.get(version) ?? null;
  ctx.registries.set(version, null);
  const recordKey = keys.registryVersion(version);
  const record = await readJsonObject<Registry>(ctx.store, recordKey);
  const registry = record?.value ?? null;
  const rawKey = expectedKey ?? registry?.source?.key;
  if (!rawKey) {
    ctx.check('registry', recordKey, [], [record ? 'record does not parse' : 'record missing from the archive']);
    return null;
  }
  const raw = await verifyRaw(ctx, 'registry', rawKey, version, expectedSha ?? registry?.source?.sha256 ?? '');
  if (!record || !registry) {
    ctx.check('record', recordKey, [], [record ? 'does not parse' : 'missing from the archive']);
    return null;
  }
  const failures = sourceMismatch(registry.source, rawKey, version, expectedSha);
  let findings: string[] = [];
  if (raw && failures.length === 0) {
    const cacheKey = `registry\n${sha256Hex(raw)}\n${sha256Hex(record.bytes)}`;
    let diff = ctx.session.rederived.get(cacheKey);
    if (!diff) {
      const read = readXlsx(raw);
      const again = read.ok ? parseRegistry(read.workbook, registry.source).registry : null;
      diff = rederivationDiff(again, registry, record.bytes);
      ctx.session.rederived.set(cacheKey, diff);
    }
    failures.push(...diff);
    findings = ['names its upload', 're-derived identical'];
  } else if (!raw) failures.push('not re-derived: its upload failed its check');
  ctx.check('record', recordKey, findings, failures);
  const entry = { registry, recordSha: sha256Hex(record.bytes) };
  ctx.registries.set(version, entry);
  return entry;
}

/** Submissions: raw upload, record, and the record re-derived from the upload (null where a record is unusable). */
async function verifySubmissions(
  ctx: VerifyContext,
  basis: RevisionPlan,
  recordedSources: readonly ManifestSource[],
): Promise<(NormalisedSubmission | null)[]> {
  const recorded = new Map(recordedSources.map((s) => [`${s.key}\n${s.version}`, s.sha256]));
  const submissions: (NormalisedSubmission | null)[] = [];
  for (const s of basis.sources) {
    const raw = await verifyRaw(ctx, 'source', s.key, s.version, recorded.get(`${s.key}\n${s.version}`) ?? s.sha256);
    const record = await readJsonObject<NormalisedSubmission>(ctx.store, s.recordKey);
    const submission = record?.value ?? null;
    if (!record || !submission || submission.kind !== 'submission') {
      ctx.check('record', s.recordKey, [], [record ? 'does not parse as a submission' : 'missing from the archive']);
      submissions.push(null);
      continue;
    }
    submissions.push(submission);
    const failures = sourceMismatch(submission.source, s.key, s.version, s.sha256);
    let findings: string[] = [];
    const validatedAgainst = submission.registryVersion
      ? await verifyRegistry(ctx, submission.registryVersion)
      : { registry: null, recordSha: '' };
    if (!raw) failures.push('not re-derived: its upload failed its check');
    else if (!validatedAgainst)
      failures.push(`not re-derived: registry ${submission.registryVersion} failed its check`);
    else if (failures.length === 0) {
      const cacheKey = `submission\n${sha256Hex(raw)}\n${sha256Hex(record.bytes)}\n${validatedAgainst.recordSha}`;
      let diff = ctx.session.rederived.get(cacheKey);
      if (!diff) {
        diff = rederiveSubmission(raw, submission, validatedAgainst.registry, s.key, record.bytes);
        ctx.session.rederived.set(cacheKey, diff);
      }
      failures.push(...diff);
      findings = ['names its upload', 're-derived identical'];
    }
    ctx.check('record', s.recordKey, findings, failures);
  }
  return submissions;
}

/** Re-render every output from the plan, checking each project's lineage against the plan's sources on the way. */
async function rerenderRevision(
  ctx: VerifyContext,
  basis: RevisionPlan,
  registryEntry: RegistryEntry | null,
  submissions: (NormalisedSubmission | null)[],
): Promise<Rerender> {
  const out: Rerender = { rendered: new Map(), programmeFacts: null, failures: [] };
  if (registryEntry === null || !submissions.every((s) => s !== null)) {
    out.failures.push('not re-rendered: an input failed its check');
    return out;
  }
  const inputs: RevisionInputs = {
    registry: registryEntry.registry,
    submissions: submissions as NormalisedSubmission[],
  };
  const sourceSha = new Map(basis.sources.map((s) => [`${s.key}\n${s.version}`, s.sha256]));
  try {
    for (const projectId of basis.projectIds) {
      const { model, files } = await renderProjectFiles(basis, inputs, projectId);
      for (const f of files) out.rendered.set(f.key, f.bytes);
      const unlisted = model.lineage.filter(
        (row) => sourceSha.get(`${row.sourceKey}\n${row.sourceVersion}`) !== row.sha256,
      );
      const pdfKey = keys.projectReport(basis.period, basis.revision, projectId, 'pdf');
      ctx.check(
        'lineage',
        pdfKey,
        [`${model.lineage.length} source cells, each from a manifest source with its SHA-256`],
        unlisted.length ? [`${unlisted.length} source cells cite an upload the manifest does not list`] : [],
      );
    }
    const programme = await renderProgrammeFiles(basis, inputs, await previousFigures(ctx));
    for (const f of programme.files) out.rendered.set(f.key, f.bytes);
    out.programmeFacts = { completeness: programme.programme.completeness, figures: programme.figures };
  } catch (err) {
    out.failures.push(`re-render failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return out;
}

/** The figures of the previous revision, which the programme report lists changes against. */
async function previousFigures(ctx: VerifyContext): Promise<FigureSnapshot | null> {
  if (ctx.revision <= 1) return null;
  const before = await readJsonObject<Manifest>(ctx.store, keys.manifest(ctx.period, ctx.revision - 1));
  if (!before?.value || typeof before.value.figures !== 'object')
    throw new Error(`the previous revision's manifest r${ctx.revision - 1} is missing or unreadable`);
  return before.value.figures;
}

/** Every output: archived, listed with its hash, and the same bytes as the re-render. Returns the keys checked. */
async function verifyOutputs(ctx: VerifyContext, manifest: Manifest | null, rerender: Rerender): Promise<string[]> {
  const { rendered } = rerender;
  // A tampered manifest may list an entry without a key: it is not an output to read (the manifest check fails it).
  const listed = new Map(
    (manifest?.outputs ?? []).filter((o) => typeof o?.key === 'string').map((o) => [o.key, o] as const),
  );
  const outputKeys = [...new Set([...rendered.keys(), ...listed.keys()])];
  for (const key of outputKeys) {
    const obj = await ctx.store.get(key);
    const findings: string[] = [];
    const failures: string[] = [...rerender.failures];
    const entry = listed.get(key);
    if (!obj) failures.push('missing from the archive');
    else {
      const actual = sha256Hex(obj.bytes);
      if (!manifest) failures.push('no readable manifest to check its hash against');
      else if (!entry) failures.push('not listed in the manifest');
      else if (entry.sha256 !== actual || entry.bytes !== obj.bytes.byteLength)
        failures.push(
          `sha256 ${short(actual)} (${obj.bytes.byteLength} B) ≠ manifest ${short(entry.sha256)} (${entry.bytes} B)`,
        );
      else findings.push('hash ok');
      const again = rendered.get(key);
      if (again && sameBytes(again, obj.bytes)) findings.push('re-render identical');
      else if (again) failures.push(`re-render differs (sha256 ${short(sha256Hex(again))})`);
      else if (rerender.failures.length === 0) failures.push('not produced by the plan');
    }
    ctx.check('output', key, findings, failures);
  }
  return outputKeys;
}

/** The manifest itself: parses, repeats the plan, equals the one rebuilt from the re-render, has the expected hash. */
function verifyManifest(
  ctx: VerifyContext,
  archived: {
    key: string;
    read: { bytes: Uint8Array } | null;
    manifest: Manifest | null;
    plan: RevisionPlan | null;
    sha256: string | null;
  },
  rerender: Rerender,
  options: { expectSha256?: string },
): void {
  const { read, manifest, plan, sha256 } = archived;
  const { rendered, programmeFacts } = rerender;
  const failures: string[] = [];
  const findings: string[] = [];
  if (!read) failures.push('missing from the archive');
  else if (!manifest) failures.push('does not parse as a manifest');
  else {
    findings.push('parses');
    const disagree = plan ? PLAN_FIELDS.filter((f) => JSON.stringify(plan[f]) !== JSON.stringify(manifest[f])) : [];
    if (!plan) failures.push('no plan to compare with');
    else if (disagree.length) failures.push(`disagrees with the plan in: ${disagree.join(', ')}`);
    else findings.push('agrees with the plan');
    if (plan && programmeFacts && rendered.size > 0) {
      const outputs: ManifestOutput[] = [...rendered.entries()].map(([key, bytes]) => ({
        key,
        sha256: sha256Hex(bytes),
        bytes: bytes.byteLength,
      }));
      const rebuilt = buildManifest(plan, outputs, programmeFacts.completeness, programmeFacts.figures);
      if (sameBytes(jsonBytes(rebuilt), read.bytes)) findings.push('rebuilt byte-identical');
      else {
        const fields = differingFields(rebuilt, manifest);
        failures.push(
          fields.length
            ? `differs from the manifest rebuilt from the plan and re-rendered outputs in: ${fields.join(', ')}`
            : 'same content, other bytes than the canonical manifest',
        );
      }
    } else failures.push('not rebuilt: the plan or a re-render is missing');
  }
  if (options.expectSha256 !== undefined) {
    if (sha256 === options.expectSha256.toLowerCase()) findings.push('sha256 as expected');
    else failures.push(`sha256 ${short(sha256)} ≠ expected ${short(options.expectSha256)}`);
  }
  ctx.check('manifest', archived.key, [...findings, `sha256 ${sha256 ?? '—'}`], failures);
}

/** What in a record does not name the source it should. */
function sourceMismatch(
  source: { key?: string; version?: string; sha256?: string } | undefined,
  key: string,
  version: string,
  sha256: string | undefined,
): string[] {
  if (!source) return ['names no upload'];
  const bad = (['key', 'version', 'sha256'] as const).filter((f) => {
    const want = f === 'key' ? key : f === 'version' ? version : sha256;
    return want !== undefined && source[f] !== want;
  });
  return bad.length ? [`names another upload (${bad.join(', ')} differ)`] : [];
}

function rederivationDiff(again: unknown, stored: unknown, storedBytes: Uint8Array): string[] {
  if (!again) return ['the upload no longer parses into a record'];
  if (sameBytes(recordBytes(again), storedBytes)) return [];
  const fields = differingFields(again, stored);
  return [`differs from its re-derivation in: ${fields.length ? fields.join(', ') : '(formatting only)'}`];
}

/**
 * The record ingest would make of this upload. The only clock-dependent rule refuses periods that had not begun
 * at ingest; the record exists, so that rule passed then, and any date from the period's start on gives the same
 * record. The upload's own date (or the period's start, if later) is used.
 */
function rederiveSubmission(
  raw: Uint8Array,
  stored: NormalisedSubmission,
  registry: Registry | null,
  key: string,
  storedBytes: Uint8Array,
): string[] {
  const read = readXlsx(raw);
  if (!read.ok) return ['the upload no longer parses into a record'];
  const uploaded = rigaDate(new Date(stored.source.uploadedAt));
  const period = parsePeriod(stored.period);
  const start = period ? periodStart(period) : uploaded;
  const result = parseSubmission(read.workbook, stored.source, {
    registry,
    folder: parseInboxKey(key)?.folder ?? null,
    today: uploaded > start ? uploaded : start,
  });
  return rederivationDiff(result.submission, stored, storedBytes);
}

/** Every complete revision of a period (or the one given), verified. */
export async function verifyPeriod(
  deps: Pick<ArchiveDeps, 'store'>,
  period: string,
  options: { revision?: number; session?: VerifySession; expectManifestSha256?: string } = {},
): Promise<VerifyReport[]> {
  const revisions =
    options.revision === undefined
      ? await completeRevisions(deps.store, period)
      : [await chooseRevision(deps.store, period, options.revision)];
  if (revisions.length === 0) throw new ArchiveLookupError(`no archived revision of ${period}`);
  const session = options.session ?? createVerifySession();
  const out: VerifyReport[] = [];
  for (const revision of revisions) out.push(await verifyRevision(deps, period, revision, { ...options, session }));
  return out;
}

/** Every period that has an archived revision. */
export async function archivedPeriods(deps: Pick<ArchiveDeps, 'store'>): Promise<string[]> {
  return [...(await archivedRevisions(deps.store)).keys()].sort();
}
