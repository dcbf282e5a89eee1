/** Where Chromium is (CHROME_PATH, else Debian's /usr/bin/chromium). */
export const CHROMIUM_PATH: string;
/** The launch flags every Chromium start needs on this kind of machine. */
export const CHROMIUM_FLAGS: readonly string[];
