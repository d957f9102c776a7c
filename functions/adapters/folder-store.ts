import { createHash } from 'node:crypto';
import {
  closeSync,
  type Dirent,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { keys } from '../core/keys';
import {
  AlreadyExistsError,
  type ArchiveControl,
  type ObjectInfo,
  type ObjectPurger,
  type ObjectStore,
  type PutOptions,
  type StoredObject,
  StoreError,
} from '../core/ports';

/** A folder's content version: a content hash, as S3 would give a version id. */
export function contentVersion(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}

/** Remove a temp file; one left behind is harmless (never listed, since it ends in `.tmp`, nor read as an object). */
function removeQuietly(tmp: string): void {
  try {
    unlinkSync(tmp);
  } catch {
    // see above
  }
}

/** Where the folder store keeps its legal-hold markers: beside the keys, outside the key space. */
const HOLDS_DIR = '.legal-holds';

/**
 * The embedded default store: a directory laid out exactly like the bucket (docs/architecture.md §3). Writes are atomic
 * (temp file + rename), and create-only writes link the temp file to the key so "already exists" is decided by the
 * file system. A file's modification time is its upload time.
 *
 * Retention, as the archive bucket's Object Lock gives it on AWS: an object under `reports/` is written once and
 * never replaced, and an object under legal hold ({@link FolderStore.hold}) is never replaced either. The port
 * has no delete. (Anyone with access to the folder itself can still change files: `archive verify` detects that.)
 *
 * The file system calls are synchronous (issue 19): a local run makes tens of thousands of them on small files, and
 * each asynchronous call cost the calling thread about three times the CPU of the call itself (a promise, a hand-off
 * to libuv's thread pool and back), on the thread that is the critical path of `npm start`. A call on a local disk
 * takes microseconds, so nothing else waits noticeably behind one.
 */
export class FolderStore implements ObjectStore, ArchiveControl, ObjectPurger {
  /** Folders this store made or found, so a put does not ask for them again (see {@link FolderStore.writeTemp}). */
  private readonly folders = new Set<string>();

  constructor(readonly root: string) {}

  private path(key: string): string {
    const parts = key.split('/');
    if (
      key.startsWith('/') ||
      parts.some((part) => part === '..' || part === '' || part === '.') ||
      parts[0] === HOLDS_DIR
    ) {
      throw new StoreError(`invalid object key: ${JSON.stringify(key)}`);
    }
    return join(this.root, ...parts);
  }

  private holdMarker(key: string): string {
    return join(this.root, HOLDS_DIR, ...key.split('/'));
  }

  /**
   * Every write asks, and the answer is nearly always "no marker": a stat that returns nothing for a missing file.
   * Any other failure (permissions, a file where a folder should be) is still an error.
   */
  private isHeld(key: string): boolean {
    try {
      return statSync(this.holdMarker(key), { throwIfNoEntry: false }) !== undefined;
    } catch (err) {
      throw new StoreError(`cannot read the legal hold of ${key}`, { cause: err });
    }
  }

  /** Every key can be held here. */
  canHold(_key: string): boolean {
    return true;
  }

  /** Mark the object as held: from now on every write to its key is refused. Holding twice is holding once. */
  async hold(key: string, version: string): Promise<void> {
    const current = await this.get(key);
    if (!current) throw new StoreError(`cannot hold ${key}: no such object`);
    if (current.version !== version) {
      throw new StoreError(`cannot hold ${key} at version ${version}: its content is version ${current.version}`);
    }
    const marker = this.holdMarker(key);
    try {
      mkdirSync(dirname(marker), { recursive: true });
      writeFileSync(marker, `${JSON.stringify({ key, version })}\n`);
    } catch (err) {
      throw new StoreError(`cannot place a legal hold on ${key}`, { cause: err });
    }
  }

  /** A folder keeps one version per key: the file goes when it still holds that version (a held one never). */
  async deleteVersion(key: string, version: string): Promise<void> {
    const current = await this.get(key, version);
    if (!current) return;
    if (this.isHeld(key)) throw new StoreError(`cannot delete ${key}: it is under a legal hold`);
    try {
      unlinkSync(this.path(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new StoreError(`cannot delete ${key}`, { cause: err });
    }
  }

  /** One open, its fstat and its read: the modification time comes from the open file, not from a second lookup. */
  async get(key: string, version?: string): Promise<StoredObject | undefined> {
    const path = this.path(key);
    let bytes: Uint8Array;
    let mtime: Date;
    let current: string;
    try {
      const fd = openSync(path, 'r');
      try {
        const info = fstatSync(fd);
        if (info.isDirectory()) return undefined;
        const content = readFileSync(fd);
        bytes = new Uint8Array(content.buffer, content.byteOffset, content.byteLength);
        mtime = info.mtime;
        // The same file read again (a run reads each record once per period): its hash is remembered.
        current = this.versionOf(path, info, () => bytes);
      } finally {
        closeSync(fd);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR')
        return undefined;
      throw new StoreError(`cannot read ${key}`, { cause: err });
    }
    if (version !== undefined && version !== current) return undefined;
    return { key, bytes, version: current, lastModified: mtime };
  }

  async put(key: string, bytes: Uint8Array, options: PutOptions = {}): Promise<{ version: string }> {
    const path = this.path(key);
    if (this.isHeld(key)) throw new StoreError(`${key} is under legal hold and cannot be overwritten`);
    // An archived report or transmission is written once: a plain put is create-only too, refused, not "already done".
    const archived = key.startsWith(keys.reportsPrefix) || key.startsWith(keys.transmissionsPrefix);
    const createOnly = options.ifNoneMatch === true || archived;
    const refuse = () => {
      if (options.ifNoneMatch) return new AlreadyExistsError(key);
      return new StoreError(`archived report ${key} cannot be overwritten`);
    };
    try {
      // A key that is there is there for good as far as this write goes (it can only be refused now or at the link
      // below), so refuse it before writing a temp file: repeated create-only writes are common (content-addressed
      // blobs, receipts written again by a retry).
      if (createOnly && statSync(path, { throwIfNoEntry: false }) !== undefined) throw refuse();
      const tmp = this.writeTemp(path, bytes);
      if (createOnly) {
        // link() fails with EEXIST atomically and puts the whole file in place: readers never see a partial file.
        try {
          linkSync(tmp, path);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
          throw refuse();
        } finally {
          removeQuietly(tmp);
        }
      } else {
        try {
          renameSync(tmp, path);
        } catch (err) {
          removeQuietly(tmp);
          throw err;
        }
      }
    } catch (err) {
      if (err instanceof AlreadyExistsError || err instanceof StoreError) throw err;
      throw new StoreError(`cannot write ${key}`, { cause: err });
    }
    return { version: options.sha256?.slice(0, 32) ?? contentVersion(bytes) };
  }

  /**
   * Write `bytes` to a new temp file beside `path`, making its folder the first time this store writes there. A
   * folder removed since (by another process, or a test emptying the store) is made again: the write that finds it
   * gone makes it and tries once more.
   */
  private writeTemp(path: string, bytes: Uint8Array): string {
    const folder = dirname(path);
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    if (!this.folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    try {
      writeFileSync(tmp, bytes, { flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        removeQuietly(tmp);
        throw err;
      }
      this.folders.delete(folder);
      mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
      try {
        writeFileSync(tmp, bytes, { flag: 'wx' });
      } catch (again) {
        removeQuietly(tmp);
        throw again;
      }
    }
    return tmp;
  }

  /**
   * Content hashes cost a read and a hash; remember them while the file is unchanged: the same inode, size,
   * modification and change times (this store never writes a file in place: every write is a new file put in place
   * by link or rename, so another inode; the change time catches anything else that wrote to it).
   */
  private readonly versions = new Map<string, { stamp: string; version: string }>();

  private versionOf(
    path: string,
    info: { mtimeMs: number; ctimeMs: number; size: number; ino: number },
    read: () => Uint8Array = () => readFileSync(path),
  ): string {
    const stamp = `${info.mtimeMs}:${info.ctimeMs}:${info.size}:${info.ino}`;
    const cached = this.versions.get(path);
    if (cached?.stamp === stamp) return cached.version;
    const version = contentVersion(read());
    this.versions.set(path, { stamp, version });
    return version;
  }

  async list(prefix: string): Promise<ObjectInfo[]> {
    if (prefix.split('/')[0] === HOLDS_DIR) return [];
    const out: ObjectInfo[] = [];
    const walk = (dir: string): void => {
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw new StoreError(`cannot list ${dir}`, { cause: err });
      }
      for (const entry of entries) {
        const full = join(dir, entry.name);
        if (dir === this.root && entry.name === HOLDS_DIR) continue;
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile() && !entry.name.endsWith('.tmp')) {
          const key = relative(this.root, full).split(sep).join('/');
          if (!key.startsWith(prefix)) continue;
          // A file removed between the listing and its stat is not listed (as S3 would not list a deleted key).
          const info = statSync(full, { throwIfNoEntry: false });
          if (!info) continue;
          out.push({ key, version: this.versionOf(full, info), size: info.size, lastModified: info.mtime });
        }
      }
    };
    // Start at the deepest folder the prefix names, so listing one project's folder does not walk the bucket.
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    walk(folder ? join(this.root, ...folder.split('/')) : this.root);
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
