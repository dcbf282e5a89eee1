/** How every benchmark reports its progress on stderr: steps with the seconds since it started, and counted items. */
export function progressLog(started: number) {
  return {
    step: (message: string): void => {
      const seconds = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
      process.stderr.write(`\n[${seconds}s] ${message}\n`);
    },
    item: (done: number, total: number, label: string): void => {
      process.stderr.write(`  (${String(done)}/${String(total)}) ${label}\n`);
    },
  };
}
