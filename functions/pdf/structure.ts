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
 * alternate text and box, a header cell's scope, the document's language) go through pdfkit's own object writer.
 *
 * Reads pdfkit internals (`page.markings`, `page.structParentTreeKey`, `_write`, `_offset`, `_refEnd`); pdfkit is
 * pinned, and the tagging tests read every report's tree back with pdf.js.
 */

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
  _write(data: string): void;
  _refEnd(ref: Ref): void;
  ref(data?: Record<string, unknown>): Ref;
  addContent(data: string): unknown;
  getStructTreeRoot(): Ref;
  getStructParentTree(): { get(key: number): (Ref | null)[] };
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
type Kid = Ref | number | { Type: 'MCR'; Pg: Ref; MCID: number };

/** Roles written on the fast path: plain names that need no escaping. */
const PLAIN_ROLE = /^[A-Za-z][A-Za-z0-9]*$/;

/** One structure element being built. */
export class StructureElement {
  readonly ref: Ref;
  private readonly kids: Kid[] = [];
  private page: Ref | undefined;

  constructor(
    readonly role: string,
    ref: Ref,
    /** pdfkit-style entries besides /S, /P, /K, /Pg (attributes), or null for none. */
    private readonly attributes: Record<string, unknown> | null,
  ) {
    this.ref = ref;
  }

  /** Content of this element: marked-content id `mcid` on the page `page`. */
  addContent(page: Ref, mcid: number): void {
    if (!this.page) this.page = page;
    this.kids.push(this.page === page ? mcid : { Type: 'MCR', Pg: page, MCID: mcid });
  }

  addChild(child: StructureElement): void {
    this.kids.push(child.ref);
  }

  /** Write the element as its own object, child of `parent` (a structure element or the tree root). */
  write(doc: TaggingDocument, parent: Ref): void {
    const ref = this.ref;
    if (this.attributes === null && PLAIN_ROLE.test(this.role)) {
      let kids = '';
      for (const kid of this.kids) kids += kids === '' ? kidSyntax(kid) : ` ${kidSyntax(kid)}`;
      const page = this.page ? ` /Pg ${this.page.id} 0 R` : '';
      ref.offset = doc._offset;
      doc._write(`${ref.id} 0 obj\n<</S /${this.role} /P ${parent.id} 0 R /K [${kids}]${page}>>\nendobj`);
      doc._refEnd(ref);
      return;
    }
    Object.assign(ref.data, { S: this.role, ...this.attributes, P: parent, K: this.kids });
    if (this.page) ref.data.Pg = this.page;
    ref.end();
  }
}

function kidSyntax(kid: Kid): string {
  if (typeof kid === 'number') return `${kid}`;
  if ('Type' in kid) return `<</Type /MCR /Pg ${kid.Pg.id} 0 R /MCID ${kid.MCID}>>`;
  return `${kid.id} 0 R`;
}

/** What pdfkit's PDFStructureElement makes of the options, in its order (T, Lang, Alt, A). */
function attributesOf(doc: TaggingDocument, options: StructureOptions): Record<string, unknown> | null {
  const data: Record<string, unknown> = {};
  if (options.title) data.T = new String(options.title);
  if (options.lang) data.Lang = new String(options.lang);
  if (options.alt) data.Alt = new String(options.alt);
  if (options.bbox || options.placement) {
    const a: Record<string, unknown> = { O: 'Layout', Placement: options.placement ?? 'Block' };
    if (options.bbox) {
      const [left, top, right, bottom] = options.bbox;
      const height = doc.page.height;
      a.BBox = [left, height - bottom, right, height - top];
    }
    data.A = a;
  }
  if (options.scope) data.A = { ...((data.A as object | undefined) ?? {}), O: 'Table', Scope: options.scope };
  return Object.keys(data).length > 0 ? data : null;
}

/**
 * The content of an element as pdfkit's page break sees it: when a marked-content sequence is open at a page break,
 * pdfkit ends it, reopens it on the new page with a new id and hands that id here (`push`).
 */
class ElementContent {
  constructor(
    private readonly doc: TaggingDocument,
    private readonly element: StructureElement,
  ) {}

  push(more: { refs: { pageRef: Ref; mcid: number }[] }): void {
    for (const { pageRef, mcid } of more.refs) {
      const key = pageRef.data.StructParents as number;
      this.doc.getStructParentTree().get(key)[mcid] = this.element.ref;
      this.element.addContent(pageRef, mcid);
    }
  }
}

/** Writes a document's structure tree: elements as they complete, the document element at the end. */
export class StructureWriter {
  private readonly doc: TaggingDocument;
  private readonly root: StructureElement;

  constructor(pdf: PDFKit.PDFDocument, lang: string) {
    this.doc = pdf as unknown as TaggingDocument;
    this.root = this.element('Document', { lang });
    const treeRoot = this.doc.getStructTreeRoot();
    treeRoot.data.K = [this.root.ref];
  }

  get document(): StructureElement {
    return this.root;
  }

  /** A new element (its object number is taken now, as pdfkit takes it). */
  element(role: string, options: StructureOptions = {}): StructureElement {
    return new StructureElement(role, this.doc.ref({}), attributesOf(this.doc, options));
  }

  /**
   * Open a marked-content sequence on the current page for `element`, as pdfkit's `markStructureContent` does,
   * with its parent-tree entry. End it with the document's `endMarkedContent`.
   */
  markContent(element: StructureElement): void {
    const { doc } = this;
    const page = doc.page;
    const parents = doc.getStructParentTree().get(page.structParentTreeKey);
    const mcid = parents.length;
    parents.push(element.ref);
    page.markings.push({ tag: element.role, options: { mcid }, structContent: new ElementContent(doc, element) });
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
