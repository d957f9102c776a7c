/** Types of `build-stamp.mjs` (plain JavaScript, so that `npm start` checks the bundle with Node alone). */
export declare const STAMP_FILE: string;
export declare const BUILD_FILES: readonly string[];
export declare function ownInputs(metafileInputs: string[]): string[];
export declare function writeStamp(root: string, inputs: string[], outputs: string[]): void;
export declare function staleFiles(root: string): string[];
