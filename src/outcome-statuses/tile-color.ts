/** `#RRGGBB`, upper case: how colours are stored and compared. */
export const COLOR_PATTERN = /^#[0-9A-F]{6}$/;

/** WCAG relative luminance of an sRGB colour (0 = black, 1 = white). */
export function relativeLuminance(hex: string): number {
  if (!/^#[0-9a-fA-F]{6}$/.test(hex)) throw new Error(`not a #RRGGBB colour: ${hex}`);
  const channel = (offset: number): number => {
    const c = parseInt(hex.slice(offset, offset + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/**
 * Black or white, whichever contrasts more with the tile's background (WCAG contrast
 * ratio), so a code on the wall stays readable whatever colour the admin picked.
 * public/js/statuses.js does the same sum for the live preview.
 */
export function readableTextColor(background: string): '#000000' | '#FFFFFF' {
  const l = relativeLuminance(background);
  const onBlack = (l + 0.05) / 0.05;
  const onWhite = 1.05 / (l + 0.05);
  return onBlack >= onWhite ? '#000000' : '#FFFFFF';
}
