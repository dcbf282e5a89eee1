// Debian's Chromium and the flags every launch needs here (browser tests, Lighthouse, screenshots): no sandbox
// as root, and no background traffic to hosts a closed network cannot reach.
export const CHROMIUM_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
