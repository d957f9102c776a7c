/**
 * The structure tree, written by the canvas itself. pdfkit's structure elements (`doc.struct`) keep every element
 * as an object with its children and closures until it can be flushed, and serialise each through its general
 * object writer; a tagged table is a structure element per cell (16 000 for a 2 000-row table), and that machinery
 * was a third of such a table's render. Here an element is written the moment it is complete: a leaf (TD, P, H1)
 * when its content is drawn, a group (TR, Table) when its last child is, as one line of PDF syntax.
 *
 * What is written is what pdfkit writes for the same tree (ISO 32000-1, 14.7): every element an indirect object
 * with its role (/S), its parent (/P), its children (/K: element references, marked-content ids on its first
 * page, marked-content references on later pages) and its first page (/Pg); each page's marked-content ids map to
 * their elements in the parent tree, which pdfkit keeps and writes. Elements with attributes (a Figure's
 * alternate text and box, a header cell's scope, the document's language) are written in pdfkit's multi-line
 * dictionary form by {@link pdfObjectText}, which writes what pdfkit's object writer does for the values elements
 * hold (a report has some eighty header cells a page or two; pdfkit's general writer took longer than the cells).
 *
 * An element written here has no pdfkit object at all, only its object number ({@link ElementRef}): pdfkit's
 * PDFReference carries a dictionary, a stream buffer and its document, and one per table cell that lived until the
 * document ended was much of the garbage collector's work. The parent tree, which names an element per marked
 * sequence of every page, is written by {@link writeParentTree} in one pass.
 *
 * Reads pdfkit internals (`page.markings`, `page.structParentTreeKey`, `_write`, `_offset`, `_offsets`, `_refEnd`,
 * the parent tree's `_items`); pdfkit is pinned, the tagging tests read every report's tree back with pdf.js and
 * the document-writes test compares the bytes with pdfkit's own structure elements.
 */

import { type DocumentOutput, documentOutput } from './content-stream';

/** A pdfkit object reference (PDFReference). */
interface Ref {
  id: number;
  data: Record<string, unknown>;
  offset?: number;
  end(): void;
}

/** A marked-content sequence open on a page, as pdfkit keeps them to close and reopen across a page break. */
interface Marking {
  tag: string;
  options?: { mcid?: number };
  structContent?: unknown;
}

interface PageLike {
  dictionary: Ref;
  markings: Marking[];
  structParentTreeKey: number;
  height: number;
}

interface TaggingDocument {
  page: PageLike;
  _offset: number;
  _security?: unknown;
  /** Every object's byte offset by object number (1-based), null until written: pdfkit's cross-reference table. */
  _offsets: (number | null)[];
  _write(data: string): void;
  _refEnd(ref: Ref): void;
  ref(data?: Record<string, unknown>): Ref;
  addContent(data: string): unknown;
  getStructTreeRoot(): Ref;
  getStructParentTree(): ParentTree;
}

/** pdfkit's number tree of the marked-content parents: per page key, the element of each marked-content id. */
interface ParentTree {
  _items: Record<number, (ElementRef | Ref | null | undefined)[]>;
  get(key: number): (ElementRef | Ref | null)[];
  toString(): string;
}

/**
 * The object number of an element written here. pdfkit writes it where a value refers to it (an attribute
 * element's /P or /K, the parent tree) as it writes its own references: `${string}`, which is `N 0 R` here; the tag
 * keeps pdfkit's object writer from taking it for a dictionary.
 */
class ElementRef {
  constructor(readonly id: number) {}

  get [Symbol.toStringTag](): string {
    return 'PDFReference';
  }

  toString(): string {
    return `${this.id} 0 R`;
  }
}

/** Options of a structure element; `scope` (TH) and `bbox` (Figure) as pdfkit takes them. */
export interface StructureOptions {
  alt?: string;
  lang?: string;
  title?: string;
  /** Header cells: whether they head a column or a row. */
  scope?: 'Column' | 'Row';
  /** A figure's box, as [left, top, right, bottom] in the canvas's top-down coordinates. */
  bbox?: [number, number, number, number];
  placement?: 'Block' | 'Inline';
}

/** A child of an element: another element, a marked-content id on the element's page, or one on another page. */
type Kid = ElementRef | Ref | number | { Type: 'MCR'; Pg: Ref; MCID: number };

/** Roles written on the fast path: plain names that need no escaping. */
const PLAIN_ROLE = /^[A-Za-z][A-Za-z0-9]*$/;

/** One structure element being built. */
export class StructureElement {
  readonly ref: ElementRef | Ref;
  private readonly kids: Kid[] = [];
  private page: Ref | undefined;

  constructor(
    readonly role: string,
    /** An ElementRef when the element is written here, pdfkit's reference when it has attributes. */
    ref: ElementRef | Ref,
    /** pdfkit-style entries besides /S, /P, /K, /Pg (attributes), or null for none. */
    private readonly attributes: Attributes | null,
    private readonly parentTree: ParentTree,
  ) {
    this.ref = ref;
  }

  /** Content of this element: marked-content id `mcid` on the page `page`. */
  addContent(page: Ref, mcid: number): void {
    if (!this.page) this.page = page;
    this.kids.push(this.page === page ? mcid : { Type: 'MCR', Pg: page, MCID: mcid });
  }

  /**
   * The element's content as pdfkit's page break sees it (the marking's `structContent`): when a marked-content
   * sequence is open at a page break, pdfkit ends it, reopens it on the new page with a new id and hands that id
   * here, after entering null for it in the page's parent-tree array.
   */
  push(more: { refs: { pageRef: Ref; mcid: number }[] }): void {
    for (const { pageRef, mcid } of more.refs) {
      const key = pageRef.data.StructParents as number;
      this.parentTree.get(key)[mcid] = this.ref;
      this.addContent(pageRef, mcid);
    }
  }

  addChild(child: StructureElement): void {
    this.kids.push(child.ref);
  }

  /** Write the element as its own object, child of `parent` (a structure element or the tree root). */
  write(doc: TaggingDocument, parent: ElementRef | Ref): void {
    const ref = this.ref;
    if (ref instanceof ElementRef) {
      doc._offsets[ref.id - 1] = doc._offset;
      const output = documentOutput(doc);
      if (this.attributes && output) this.writeDictionaryTo(output, ref, parent, this.attributes);
      else if (this.attributes) doc._write(`${ref.id} 0 obj\n${pdfObjectText(this.data(parent))}\nendobj`);
      else if (output) this.writeTo(output, ref, parent);
      else this.writeLine(doc, ref, parent);
      return;
    }
    Object.assign(ref.data, this.data(parent));
    ref.end();
  }

  /**
   * An element with attributes, copied into the document's output piece by piece: the same bytes as
   * {@link pdfObjectText} gives its dictionary (one entry a line), with the attributes' text made once per options.
   */
  private writeDictionaryTo(output: DocumentOutput, ref: ElementRef, parent: ElementRef | Ref, attributes: Attributes) {
    const kids = this.kids;
    const entries = attributes.text;
    output.reserve(128 + this.role.length + entries.length + kids.length * 64);
    output.digits(ref.id);
    output.ascii(' 0 obj\n<<\n/S /');
    output.ascii(this.role);
    output.ascii(entries);
    output.ascii('\n/P ');
    output.digits(parent.id);
    output.ascii(' 0 R\n/K [');
    writeKidsAndPage(output, kids, this.page, MULTI_LINE);
  }

  /** The element's dictionary as pdfkit's structure element fills it: role, attributes, parent, kids, page. */
  private data(parent: ElementRef | Ref): Record<string, unknown> {
    const data: Record<string, unknown> = { S: this.role, ...this.attributes?.data, P: parent, K: this.kids };
    if (this.page) data.Pg = this.page;
    return data;
  }

  /** The element as one line of PDF syntax (its object, then `endobj`). */
  private writeLine(doc: TaggingDocument, ref: ElementRef, parent: ElementRef | Ref): void {
    let kids = '';
    for (const kid of this.kids) kids += kids === '' ? kidSyntax(kid) : ` ${kidSyntax(kid)}`;
    const page = this.page ? ` /Pg ${this.page.id} 0 R` : '';
    doc._write(`${ref.id} 0 obj\n<</S /${this.role} /P ${parent.id} 0 R /K [${kids}]${page}>>\nendobj`);
  }

  /**
   * The same bytes as {@link writeLine}, copied into the document's output piece by piece: a table writes an
   * element per cell, and building each as a string (and the number strings in it) was most of writing them.
   */
  private writeTo(output: DocumentOutput, ref: ElementRef, parent: ElementRef | Ref): void {
    const kids = this.kids;
    // Object line, dictionary and endobj without the role and the kids: 48 bytes and five numbers.
    output.reserve(128 + this.role.length + kids.length * 64);
    output.digits(ref.id);
    output.ascii(' 0 obj\n<</S /');
    output.ascii(this.role);
    output.ascii(' /P ');
    output.digits(parent.id);
    output.ascii(' 0 R /K [');
    writeKidsAndPage(output, kids, this.page, ONE_LINE);
  }
}

/** Where the two dictionary layouts differ: pdfkit's (one entry a line) and the one-line form of plain elements. */
interface Layout {
  mcrOpen: string;
  mcrId: string;
  mcrClose: string;
  page: string;
  end: string;
}
const MULTI_LINE: Layout = {
  mcrOpen: '<<\n/Type /MCR\n/Pg ',
  mcrId: ' 0 R\n/MCID ',
  mcrClose: '\n>>',
  page: '\n/Pg ',
  end: '\n>>\nendobj\n',
};
const ONE_LINE: Layout = {
  mcrOpen: '<</Type /MCR /Pg ',
  mcrId: ' 0 R /MCID ',
  mcrClose: '>>',
  page: ' /Pg ',
  end: '>>\nendobj\n',
};

/** An element's kids (after `/K [`), its page, and the end of its object, in `layout`. */
function writeKidsAndPage(output: DocumentOutput, kids: readonly Kid[], page: Ref | undefined, layout: Layout): void {
  for (let i = 0; i < kids.length; i++) {
    const kid = kids[i]!;
    if (i > 0) output.byte(0x20);
    if (typeof kid === 'number') output.digits(kid);
    else if ('Type' in kid) {
      output.ascii(layout.mcrOpen);
      output.digits(kid.Pg.id);
      output.ascii(layout.mcrId);
      output.digits(kid.MCID);
      output.ascii(layout.mcrClose);
    } else {
      output.digits(kid.id);
      output.ascii(' 0 R');
    }
  }
  output.byte(0x5d);
  if (page) {
    output.ascii(layout.page);
    output.digits(page.id);
    output.ascii(' 0 R');
  }
  output.ascii(layout.end);
}

function kidSyntax(kid: Kid): string {
  if (typeof kid === 'number') return `${kid}`;
  if (kid instanceof ElementRef) return `${kid.id} 0 R`;
  if ('Type' in kid) return `<</Type /MCR /Pg ${kid.Pg.id} 0 R /MCID ${kid.MCID}>>`;
  return `${kid.id} 0 R`;
}

/** An element's attributes: the entries pdfkit's structure element adds, and their lines as pdfkit writes them. */
interface Attributes {
  data: Record<string, unknown>;
  /** `\n/Key value` per entry, in pdfkit's dictionary form. */
  text: string;
}

/** A header cell's attributes, the same for every cell of a scope. */
const SCOPES = new Map<string, Attributes>();

/** What pdfkit's PDFStructureElement makes of the options, in its order (T, Lang, Alt, A). */
function attributesOf(doc: TaggingDocument, options: StructureOptions): Attributes | null {
  const { title, lang, alt, bbox, placement, scope } = options;
  const scopeOnly = scope && !title && !lang && !alt && !bbox && !placement;
  const known = scopeOnly ? SCOPES.get(scope) : undefined;
  if (known) return known;
  const data: Record<string, unknown> = {};
  if (title) data.T = new String(title);
  if (lang) data.Lang = new String(lang);
  if (alt) data.Alt = new String(alt);
  if (bbox || placement) {
    const a: Record<string, unknown> = { O: 'Layout', Placement: placement ?? 'Block' };
    if (bbox) {
      const [left, top, right, bottom] = bbox;
      const height = doc.page.height;
      a.BBox = [left, height - bottom, right, height - top];
    }
    data.A = a;
  }
  if (scope) data.A = { ...((data.A as object | undefined) ?? {}), O: 'Table', Scope: scope };
  if (Object.keys(data).length === 0) return null;
  let text = '';
  for (const [key, value] of Object.entries(data)) text += `\n/${key} ${pdfObjectText(value)}`;
  const attributes = { data, text };
  if (scopeOnly) SCOPES.set(scope, attributes);
  return attributes;
}

/** Writes a document's structure tree: elements as they complete, the document element at the end. */
export class StructureWriter {
  private readonly doc: TaggingDocument;
  private readonly root: StructureElement;
  private readonly parentTree: ParentTree;

  constructor(pdf: PDFKit.PDFDocument, lang: string) {
    this.doc = pdf as unknown as TaggingDocument;
    const tree = this.doc.getStructParentTree();
    this.parentTree = tree;
    // Written in one pass (pdfkit's object writer tests every entry's type); the same text.
    if (typeof tree._items === 'object' && tree._items !== null) tree.toString = () => writeParentTree(tree);
    this.root = this.element('Document', { lang });
    const treeRoot = this.doc.getStructTreeRoot();
    treeRoot.data.K = [this.root.ref];
  }

  get document(): StructureElement {
    return this.root;
  }

  /** A new element (its object number is taken now, as pdfkit takes it). */
  element(role: string, options?: StructureOptions): StructureElement {
    const attributes = options ? attributesOf(this.doc, options) : null;
    // An encrypted document's strings are encrypted by pdfkit's writer; the reports' never are.
    if (!PLAIN_ROLE.test(role) || (attributes !== null && this.doc._security))
      return new StructureElement(role, this.doc.ref({}), attributes, this.parentTree);
    // The next object number, as pdfkit's `ref` takes it; the offset is filled in when the element is written.
    const offsets = this.doc._offsets;
    offsets.push(null);
    return new StructureElement(role, new ElementRef(offsets.length), attributes, this.parentTree);
  }

  /**
   * Open a marked-content sequence on the current page for `element`, as pdfkit's `markStructureContent` does,
   * with its parent-tree entry. End it with the document's `endMarkedContent`.
   */
  markContent(element: StructureElement): void {
    const { doc } = this;
    const page = doc.page;
    const parents = this.parentTree.get(page.structParentTreeKey);
    const mcid = parents.length;
    parents.push(element.ref);
    // pdfkit reopens the sequence on a new page with a new id (initPageMarkings), so no options are kept.
    page.markings.push({ tag: element.role, structContent: element });
    doc.addContent(`/${element.role} <</MCID ${mcid}>> BDC`);
    element.addContent(page.dictionary, mcid);
  }

  /** Write a complete element under `parent`. */
  write(element: StructureElement, parent: StructureElement): void {
    parent.addChild(element);
    element.write(this.doc, parent.ref);
  }

  /** Write the document element, the last one. */
  finish(): void {
    this.root.write(this.doc, this.doc.getStructTreeRoot());
  }
}

/** What pdfkit's object writer escapes in a string's bytes, and how. */
const ESCAPED = /[\n\r\t\b\f()\\]/g;
const ESCAPES: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\\': '\\\\',
  '(': '\\(',
  ')': '\\)',
};

/** A text string as pdfkit writes it unencrypted: its bytes (UTF-16BE with a byte order mark if not ASCII), escaped. */
function pdfString(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) <= 0x7f;
  let bytes = ascii ? text : '\u00fe\u00ff';
  if (!ascii)
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      bytes += String.fromCharCode(code >> 8, code & 0xff);
    }
  return `(${bytes.replace(ESCAPED, (c) => ESCAPES[c]!)})`;
}

/** A number as pdfkit writes it: rounded to six decimals, shortest form; pdfkit refuses what it cannot write. */
function pdfNumber(value: number): string {
  if (value > -1e21 && value < 1e21) return `${Math.round(value * 1e6) / 1e6}`;
  throw new Error(`unsupported number: ${value}`);
}

/**
 * A value of a structure element's dictionary in PDF syntax, as pdfkit's object writer (PDFObject.convert) writes
 * it for the kinds an element holds: names (strings), text strings (String objects), numbers, arrays, dictionaries
 * (one entry a line), and references (element numbers and pdfkit's references, written as they print).
 */
export function pdfObjectText(value: unknown): string {
  if (typeof value === 'string') return `/${value}`;
  if (typeof value === 'number') return pdfNumber(value);
  if (value instanceof String) return pdfString(value.valueOf());
  if (value instanceof ElementRef) return `${value.id} 0 R`;
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ' ';
      out += pdfObjectText(value[i] === undefined ? null : value[i]);
    }
    return `${out}]`;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let out = '<<';
    for (const [key, entry] of Object.entries(value))
      if (entry !== undefined) out += `\n/${key} ${pdfObjectText(entry)}`;
    return `${out}\n>>`;
  }
  return `${value}`;
}

/**
 * The parent tree as pdfkit's number tree writes itself (PDFTree.toString through PDFObject.convert): its limits,
 * then a line per page key with the page's elements by marked-content id, `null` where an id has none.
 */
export function writeParentTree(tree: Pick<ParentTree, '_items'>): string {
  const keys = Object.keys(tree._items)
    .map((key) => Number.parseInt(key, 10))
    .sort((a, b) => a - b);
  const out = ['<<'];
  if (keys.length > 1) out.push(`  /Limits [${keys[0]} ${keys[keys.length - 1]}]`);
  out.push('  /Nums [');
  for (const key of keys) {
    const items = tree._items[key] ?? [];
    let line = `    ${key} [`;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (i > 0) line += ' ';
      // Most entries are elements written here: their number, without a call to their toString.
      line += item instanceof ElementRef ? `${item.id} 0 R` : item === null || item === undefined ? 'null' : `${item}`;
    }
    out.push(`${line}]`);
  }
  out.push(']', '>>');
  return out.join('\n');
}
