// How a person's name is shown: the form written in the UI's script first, then any other form.

/** A person's display name: the form in the UI's script first, then any other form ('' when none is visible). */
export function personName(names: { sq: string | null; srLatn: string | null; srCyrl: string | null }, lng: string): string {
  const order = lng === 'sr-Cyrl' ? [names.srCyrl, names.srLatn, names.sq] : lng === 'sr-Latn' ? [names.srLatn, names.srCyrl, names.sq] : [names.sq, names.srLatn, names.srCyrl];
  return order.find((n) => n) ?? '';
}
