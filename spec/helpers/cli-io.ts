/** A command's stdout and stderr, caught line by line, with a hook on each stdout line (to wait for "listening on …"). */
export function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  const listeners: ((line: string) => void)[] = [];
  return {
    out,
    err,
    onLine: (listener: (line: string) => void) => listeners.push(listener),
    io: {
      stdout: (line: string) => {
        out.push(line);
        listeners.forEach((l) => l(line));
      },
      stderr: (line: string) => err.push(line),
    },
  };
}
