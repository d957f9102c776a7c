/**
 * The repository's import graph, for the architecture test: which file imports which (relative imports, static and
 * dynamic, types included, since a type-only circle still ties two modules together), the folder each file lives
 * in, a search for circles (Tarjan's strongly connected components) and the folder edges a rule table does not allow.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/** File → the repository files it imports (paths relative to the root, `/`-separated). */
export type ImportGraph = Map<string, string[]>;

const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

/** Every module specifier in a TypeScript source (package names and relative paths alike). */
export function specifiers(text: string): string[] {
  return [...text.matchAll(SPECIFIER)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

function toPosix(path: string): string {
  return path.split('\\').join('/');
}

/** A relative specifier as the repository file it names, or null (a package, or a file that is not there). */
function resolveSpecifier(root: string, from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = normalize(join(dirname(from), specifier));
  for (const candidate of [base, `${base}.ts`, join(base, 'index.ts')]) {
    const abs = join(root, candidate);
    if (existsSync(abs) && statSync(abs).isFile()) return toPosix(candidate);
  }
  return null;
}

/** The import graph of every `.ts` file under `dirs` (relative to `root`); edges to non-TypeScript files are kept. */
export function importGraph(root: string, dirs: string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const dir of dirs) {
    if (!existsSync(join(root, dir))) continue;
    const files = readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.split(/[\\/]/).includes('node_modules'),
    );
    for (const f of files) {
      const file = toPosix(join(dir, f));
      const text = readFileSync(join(root, file), 'utf8');
      const targets = specifiers(text)
        .map((s) => resolveSpecifier(root, file, s))
        .filter((t): t is string => t !== null);
      graph.set(file, [...new Set(targets)]);
    }
  }
  return graph;
}

/** Every import circle: the strongly connected components with more than one file, or a file importing itself. */
export function findCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  // Iterative, so a long import chain cannot overflow the call stack.
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
    index.set(start, next);
    low.set(start, next++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++]!;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, edge: 0 });
        } else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) !== index.get(frame.node)) continue;
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== frame.node);
      if (component.length > 1 || edges.includes(frame.node)) cycles.push(component.sort());
    }
  }
  return cycles;
}

/** The folder a file belongs to for the rules: `functions/<folder>/…` → `<folder>`, otherwise its top folder. */
export function folderOf(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'functions' && parts.length > 2 ? parts[1]! : parts[0]!;
}

/** An import the rule table does not allow, or a folder the table does not know. */
export interface FolderViolation {
  from: string;
  to: string;
  rule: string;
}

/**
 * Check every edge between folders against `allowed` (folder → the folders it may import). Imports within a folder
 * are free, and so are data files; a folder missing from the table is itself a violation, so a new folder needs a decided place.
 */
export function folderViolations(
  graph: ImportGraph,
  allowed: Record<string, readonly string[]>,
  scope: (file: string) => boolean,
): FolderViolation[] {
  const out: FolderViolation[] = [];
  for (const [from, targets] of graph) {
    if (!scope(from)) continue;
    const a = folderOf(from);
    const may = allowed[a];
    if (!may) {
      out.push({ from, to: '', rule: `folder "${a}" has no entry in the rule table` });
      continue;
    }
    // Data files (the catalogue JSON, package.json) are read, not executed: the rules are about code.
    for (const to of targets.filter((t) => t.endsWith('.ts'))) {
      const b = folderOf(to);
      if (a !== b && !may.includes(b))
        out.push({ from, to, rule: `${a} may import only ${may.join(', ') || 'nothing'}` });
    }
  }
  return out;
}

/** Folder → folders it imports, from the file graph (for the folder-level circle search). */
export function folderGraph(graph: ImportGraph, scope: (file: string) => boolean): ImportGraph {
  const folders = new Map<string, Set<string>>();
  for (const [from, targets] of graph) {
    if (!scope(from)) continue;
    const a = folderOf(from);
    const set = folders.get(a) ?? new Set<string>();
    folders.set(a, set);
    for (const to of targets) if (scope(to) && folderOf(to) !== a) set.add(folderOf(to));
  }
  return new Map([...folders].map(([k, v]) => [k, [...v].sort()]));
}

/** Root-relative path of an absolute one, `/`-separated. */
export function repoPath(root: string, abs: string): string {
  return toPosix(relative(root, abs));
}
