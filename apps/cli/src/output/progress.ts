const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function isTerminal(stream: NodeJS.WritableStream): boolean {
  return 'isTTY' in stream && stream.isTTY === true;
}

/** Progress on stderr: lines always; a spinner or a counter only when stderr is a terminal (logs stay clean). */
export interface Progress {
  /** One line that stays (an incident, a step, a phase). */
  line(text: string): void;
  /** A spinner with a label (a function: read at every frame) until the work settles; returns its result. */
  spin<T>(label: string | (() => string), work: Promise<T>): Promise<T>;
  /** A counter that rewrites itself on a terminal (`Reading reports 12/40`); silent otherwise. */
  count(label: string, done: number, total: number): void;
}

export function createProgress(stderr: NodeJS.WritableStream): Progress {
  const terminal = isTerminal(stderr);
  let transient = false;
  const clear = () => {
    if (transient) stderr.write('\r\x1b[2K');
    transient = false;
  };
  return {
    line(text) {
      clear();
      stderr.write(`${text}\n`);
    },
    async spin(label, work) {
      if (!terminal) return work;
      let frame = 0;
      const draw = () => {
        const text = typeof label === 'function' ? label() : label;
        stderr.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${text}`);
        transient = true;
      };
      draw();
      const timer = setInterval(draw, 80);
      try {
        return await work;
      } finally {
        clearInterval(timer);
        clear();
      }
    },
    count(label, done, total) {
      if (!terminal) return;
      stderr.write(`\r\x1b[2K${label} ${done}/${total}`);
      transient = true;
      if (done >= total) clear();
    },
  };
}
