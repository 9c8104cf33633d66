/**
 * UTF-8 checks for a file that arrives in chunks: Node's native isUtf8 does the work on
 * each chunk; these find where a multi-byte character is cut by the chunk boundary, and
 * where exactly a file stops being UTF-8 (only when it does, so speed does not matter).
 */

/** Where a possibly unfinished multi-byte character starts at the end of `buf` (or its length). */
export function incompleteTailStart(buf: Uint8Array): number {
  const n = buf.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const byte = buf[n - back]!;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? n - back : n;
  }
  return n;
}

/** The index of the first byte that is not valid UTF-8, or -1 when all of it is. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  const n = buf.length;
  let i = 0;
  while (i < n) {
    const b = buf[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // overlong
      if (b === 0xed) hi = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // overlong
      if (b === 0xf4) hi = 0x8f; // above U+10FFFF
    } else return i;
    if (i + need >= n) return i;
    const second = buf[i + 1]!;
    if (second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return -1;
}

/** How many line feeds `buf` holds before `end`. */
export function countLineFeeds(buf: Buffer, end = buf.length): number {
  let count = 0;
  let at = buf.indexOf(10);
  while (at !== -1 && at < end) {
    count++;
    at = buf.indexOf(10, at + 1);
  }
  return count;
}
