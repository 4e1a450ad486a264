// Characters outside Latin-1 that WinAnsiEncoding (the standard fonts' encoding) still has.
const winAnsiExtras: Record<string, number> = {
  "€": 0x80, "‚": 0x82, "ƒ": 0x83, "„": 0x84, "…": 0x85, "†": 0x86, "‡": 0x87, "ˆ": 0x88, "‰": 0x89, "Š": 0x8a, "‹": 0x8b, "Œ": 0x8c, "Ž": 0x8e,
  "‘": 0x91, "’": 0x92, "“": 0x93, "”": 0x94, "•": 0x95, "–": 0x96, "—": 0x97, "˜": 0x98, "™": 0x99, "š": 0x9a, "›": 0x9b, "œ": 0x9c, "ž": 0x9e, "Ÿ": 0x9f,
};
const approximations: Record<string, string> = { "→": "->", "←": "<-", "≤": "<=", "≥": ">=", "✓": "v", "✗": "x", "·": "\u00b7" };

/**
 * Text as WinAnsi bytes (one char per byte, code < 256) for the standard fonts: Latin-1 and the
 * WinAnsi extras map directly, a few arrows become ASCII, anything else becomes "?". Control
 * characters become spaces so a payload cannot break the content stream's layout.
 */
export function toWinAnsi(text: string): string {
  let out = "";
  for (const ch of text) {
    const mapped = approximations[ch] ?? ch;
    for (const c of mapped) {
      const code = c.codePointAt(0)!;
      if (code < 32 || code === 127) out += " ";
      else if (code < 127 || (code >= 0xa0 && code <= 0xff)) out += c;
      else if (winAnsiExtras[c] !== undefined) out += String.fromCharCode(winAnsiExtras[c]);
      else out += "?";
    }
  }
  return out;
}
