/** A progress bar on stderr: redrawn in place on a terminal, a line per 10 % in logs and CI. */
export interface ProgressReporter {
  advance(rows: number, phase: string): void;
  done(): void;
}

export function createProgressBar(
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressReporter {
  const started = performance.now();
  const width = 30;
  let done = 0;
  let lastDecile = -1;
  let lastDraw = 0;

  const render = (phase: string): string => {
    const ratio = total === 0 ? 1 : Math.min(1, done / total);
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const eta = rate > 0 ? Math.max(0, Math.round((total - done) / rate)) : 0;
    const filled = Math.round(ratio * width);
    return (
      `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ` +
      `${done.toLocaleString('en')}/${total.toLocaleString('en')} rows · ${rate.toLocaleString('en')} rows/s · ` +
      `ETA ${eta}s · ${phase}`
    );
  };

  return {
    advance(rows, phase) {
      done += rows;
      if (stream.isTTY) {
        const now = performance.now();
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        stream.write(`\r${render(phase)}\x1b[K`);
      } else {
        const decile = Math.floor((done / Math.max(1, total)) * 10);
        if (decile === lastDecile) return;
        lastDecile = decile;
        stream.write(`${render(phase)}\n`);
      }
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
