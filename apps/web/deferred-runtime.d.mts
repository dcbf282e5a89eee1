/** Makes a Next-rendered document's framework scripts inert until the first interaction. */
export function deferChunkScripts(html: string): string;
