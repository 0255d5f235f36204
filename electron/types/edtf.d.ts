// Types for the parts of the `edtf` package (ISO 8601-2 / EDTF parser, no bundled types) that core uses.
declare module 'edtf' {
  type EdtfValue = {
    readonly type: 'Date' | 'Year' | 'Season' | 'Interval' | 'Set' | 'List' | 'Century' | 'Decade';
    /** Earliest instant covered, in ms since the epoch (may be -Infinity or NaN for open intervals). */
    readonly min: number;
    /** Latest instant covered, in ms since the epoch. */
    readonly max: number;
    readonly edtf: string;
  };
  export default function edtf(input: string): EdtfValue;
}
