import { readableTextColor, relativeLuminance } from './tile-color';

describe('tile colours', () => {
  it('measures luminance from black to white', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#FFFFFF')).toBeCloseTo(1, 10);
    expect(relativeLuminance('#ff0000')).toBeCloseTo(0.2126, 4);
  });

  it.each([
    ['#FFFFFF', '#000000'],
    ['#FFEB3B', '#000000'], // yellow
    ['#00E676', '#000000'], // light green
    ['#9E9E9E', '#000000'], // mid grey
    ['#000000', '#FFFFFF'],
    ['#B71C1C', '#FFFFFF'], // dark red
    ['#0D47A1', '#FFFFFF'], // dark blue
    ['#6A1B9A', '#FFFFFF'], // purple
  ])('writes on %s in %s', (background, text) => {
    expect(readableTextColor(background)).toBe(text);
  });

  it('switches where the two contrasts are equal (luminance ~0.179)', () => {
    // #767676 has luminance 0.181: black still contrasts (marginally) more.
    expect(readableTextColor('#767676')).toBe('#000000');
    expect(readableTextColor('#757575')).toBe('#FFFFFF');
  });

  it('refuses what is not #RRGGBB', () => {
    expect(() => readableTextColor('red')).toThrow('not a #RRGGBB colour');
    expect(() => readableTextColor('#FFF')).toThrow('not a #RRGGBB colour');
  });
});
