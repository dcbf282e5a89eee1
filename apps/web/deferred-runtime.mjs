// The HTML rewrite of server.mjs, apart so it can be tested: the page's framework scripts become inert
// `<script type="text/mentorhub-deferred">` elements, which the inline loader of src/app/layout.tsx starts on
// the first interaction.

/** Chunk scripts of a page: `<script src="/_next/static/…" async="">`, not the `noModule` polyfills. */
const chunkScript = /<script src="(\/_next\/static\/[^"]+\.js)" async=""><\/script>/g;

/** Next's early preloads of those chunks: they would compete with the page's own content for bandwidth. */
const chunkPreload =
  /<link rel="preload" as="script" fetchPriority="low" href="\/_next\/static\/[^"]+\.js"\/>/g;

/** The inline RSC payload for hydration: only the deferred runtime reads it, so it need not run at load either. */
const flightScript = /<script>((?:\(self\.__next_f=self\.__next_f\|\|\[\]\)|self\.__next_f)\.push\()/g;

/**
 * @param {string} html a complete document as Next rendered it
 * @returns {string} the same document with its framework scripts deferred
 */
export function deferChunkScripts(html) {
  // A not-found or error answer thrown before the page shell is an empty document that the runtime renders:
  // it runs at once, as Next intends.
  if (html.includes('<html id="__next_error__"')) return html;
  const sources = [];
  const body = html
    .replace(chunkScript, (_match, src) => {
      sources.push(src);
      return `<script type="text/mentorhub-deferred" data-src="${src}"></script>`;
    })
    .replace(flightScript, '<script type="text/mentorhub-deferred">$1')
    .replace(chunkPreload, '');
  return sources.length === 0 ? html : body;
}
