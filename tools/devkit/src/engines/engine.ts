/** An engine found or started by the devkit. `stop` is set only for what we started ourselves. */
export interface Engine {
  name: string;
  url: string;
  started: boolean;
  /** Extra URLs to print (the Temporal Web UI). */
  extra?: Record<string, string>;
  stop?: () => Promise<void>;
  /** SIGKILL, no shutdown of its own (the fault-injection test crashes engines with it). */
  kill?: () => Promise<void>;
}

export type Log = (line: string) => void;
