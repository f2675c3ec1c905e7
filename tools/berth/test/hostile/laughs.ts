// A "billion laughs" YAML text: anchors of aliases that a reader without bounds expands beyond any memory.

/** Nine aliases of nine aliases, nine levels deep: 9^9 "lol"s when expanded. */
export const laughs = (key = 'lol') => {
  const lines = [`${key}a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (const [index, name] of [...'bcdefghi'].entries()) {
    const previous = 'abcdefghi'[index];
    lines.push(`${key}${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
};
