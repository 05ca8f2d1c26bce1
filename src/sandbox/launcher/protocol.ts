/** What the worker and its process launcher say to each other over the IPC channel. */

/** One process to start: argv (never a shell), directory, environment and identity. */
export interface LaunchRequest {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  uid?: number;
  gid?: number;
  /** Written to the process's stdin, which is then closed; without it stdin is ignored. */
  stdin?: string;
  /** Keeps stdin open for one later `input` message (a process started ahead of its work). */
  holdStdin?: boolean;
}

export type ToLauncher =
  | (LaunchRequest & {
      type: 'spawn';
      /** The worker's number for this run, echoed in every message about it. */
      id: number;
    })
  /** For a run started with `holdStdin`: written to its stdin, which is then closed. */
  | { type: 'input'; id: number; text: string };

export type FromLauncher =
  /** The run started; `pid` leads its process group. */
  | { type: 'spawned'; id: number; pid: number }
  | { type: 'output'; id: number; stream: 'stdout' | 'stderr'; chunk: Uint8Array }
  /** It could not be started (`code` as Node reports it: ENOENT, EACCES…). */
  | { type: 'error'; id: number; code: string }
  /** It ended and its output streams are closed. */
  | { type: 'close'; id: number; code: number | null; signal: NodeJS.Signals | null };
