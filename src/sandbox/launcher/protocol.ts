/** What the worker and its process launcher say to each other over the IPC channel. */

export type ToLauncher = {
  type: 'spawn';
  /** The worker's number for this run, echoed in every message about it. */
  id: number;
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  uid?: number;
  gid?: number;
  /** Written to the run's stdin, which is then closed; without it stdin is ignored. */
  stdin?: string;
};

export type FromLauncher =
  | { type: 'ready'; pid: number }
  /** The run started; `pid` leads its process group. */
  | { type: 'spawned'; id: number; pid: number }
  | { type: 'output'; id: number; stream: 'stdout' | 'stderr'; chunk: Uint8Array }
  /** It could not be started (`code` as Node reports it: ENOENT, EACCES…). */
  | { type: 'error'; id: number; code: string }
  /** It ended and its output streams are closed. */
  | { type: 'close'; id: number; code: number | null; signal: NodeJS.Signals | null };
