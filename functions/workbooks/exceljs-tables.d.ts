/**
 * The parts of exceljs 4.4 (pinned in the lockfile) that `write-plain-workbook.ts` uses directly: the style table
 * exceljs's own writer fills and renders, and its theme. Typed here as far as they are used.
 */
declare module 'exceljs/lib/xlsx/xform/style/styles-xform.js' {
  export default class StylesXform {
    constructor(initialise: boolean);
    addStyleModel(style: object, valueType: number): number;
    addDxfStyle(style: object): number;
    get xml(): string;
  }
}

declare module 'exceljs/lib/xlsx/xml/theme1.js' {
  const theme1: string;
  export default theme1;
}
